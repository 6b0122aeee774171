// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "meeting/SignedObject.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace conclave::meeting {

/// A per-person invitation, signed by the chair: bound to a display name (and optionally to an
/// identity key), single use, expiring, and naming the hub and its TLS pin so the joiner
/// detects a substituted hub or chair (docs/protocol.md §4).
struct InviteToken {
    QByteArray meetingId;
    QByteArray inviteId; ///< 16 random bytes; the hub and chair refuse a second use
    QString name;
    std::optional<crypto::Ed25519PublicKey> identity;
    TimePoint expires;
    QString hubUrl;
    QString hubPin;

    SignedObject sign(const crypto::Ed25519SigningKey& chairKey) const;
    /// Decodes and verifies; the signer is the chair the invite speaks for.
    static Result<std::pair<InviteToken, crypto::Ed25519PublicKey>>
    fromSigned(const QByteArray& bytes);

    /// "conclave:invite:" + base64url(signed invite): one line to paste or mail.
    static QString toLink(const SignedObject& signedInvite);
    /// The signed invite bytes inside a link; "invite.malformed" with what is wrong.
    static Result<QByteArray> bytesFromLink(const QString& link);

    /// Checks expiry (against `now`) and the meeting; errors
    /// "invite.expired"/"invite.wrong_meeting".
    Result<void> checkUsable(const QByteArray& forMeeting, TimePoint now) const;
};

} // namespace conclave::meeting
