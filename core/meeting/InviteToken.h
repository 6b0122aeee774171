// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "crypto/SecureBuffer.h"
#include "meeting/SignedObject.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace conclave::meeting {

/// An invite link taken apart: the chair-signed invite (which travels to the hub in the knock)
/// and the link's secret (which never leaves the invitee's device).
struct InviteLink {
    QByteArray signedInvite;
    crypto::SecureBuffer secret; ///< seed of the invite's redeem key
};

/// A per-person invitation, signed by the chair: bound to a display name (and optionally to an
/// identity key), single use, expiring, and naming the hub and its TLS pin so the joiner
/// detects a substituted hub or chair (docs/protocol.md §4).
///
/// The signed token names a redeem key whose secret travels only in the link. A knock carries
/// a proof: the redeem key's signature over the knocker's own signed ephemeral announcement
/// (meeting, identity, ephemeral key). Whoever relays or sees a knock - the hub, a co-chair -
/// holds the signed token but not the secret, so it cannot redeem the invite under its own key.
struct InviteToken {
    QByteArray meetingId;
    QByteArray inviteId; ///< 16 random bytes; the hub and chair refuse a second use
    QString name;
    std::optional<crypto::Ed25519PublicKey> identity;
    TimePoint expires;
    QString hubUrl;
    QString hubPin;
    crypto::Ed25519PublicKey redeemKey;

    SignedObject sign(const crypto::Ed25519SigningKey& chairKey) const;
    /// Decodes and verifies; the signer is the chair the invite speaks for.
    static Result<std::pair<InviteToken, crypto::Ed25519PublicKey>>
    fromSigned(const QByteArray& bytes);

    /// "conclave:invite:" + base64url(signed invite) + "." + base64url(redeem secret): one line
    /// to paste or mail.
    static QString toLink(const SignedObject& signedInvite,
                          const crypto::Ed25519SigningKey& redeem);
    /// The parts of a link; "invite.malformed" / "invite.incomplete" with what is wrong.
    static Result<InviteLink> parseLink(const QString& link);

    /// The knock's proof that its sender holds this invite's link: the redeem key's signature
    /// over the knocker's encoded ephemeral announcement (which binds meeting, identity and key).
    static QByteArray prove(const crypto::Ed25519SigningKey& redeem, const QByteArray& inviteId,
                            const QByteArray& announcement);
    /// "invite.no_proof" when `proof` is not this invite's redeem signature over `announcement`.
    Result<void> checkProof(const QByteArray& proof, const QByteArray& announcement) const;

    /// Checks expiry (against `now`) and the meeting; errors
    /// "invite.expired"/"invite.wrong_meeting".
    Result<void> checkUsable(const QByteArray& forMeeting, TimePoint now) const;
};

} // namespace conclave::meeting
