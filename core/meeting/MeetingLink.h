// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "meeting/SignedObject.h"

#include <QByteArray>
#include <QString>

namespace conclave::meeting {

/// How to reach a meeting without being invited by name: meeting id, hub and pin, signed by
/// the chair. It admits nobody - the holder can only knock and wait, and only where the
/// meeting allows uninvited knocking. Link form: "conclave:meeting:" + base64url.
struct MeetingLink {
    QByteArray meetingId;
    QString hubUrl;
    QString hubPin;
    TimePoint expires;

    QString toLink(const crypto::Ed25519SigningKey& chairKey) const;
    /// Parses and verifies a link; returns it with the chair key that signed it.
    static Result<std::pair<MeetingLink, crypto::Ed25519PublicKey>> fromLink(const QString& link);
};

} // namespace conclave::meeting
