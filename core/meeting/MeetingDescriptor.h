// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "meeting/SignedObject.h"

#include <QByteArray>
#include <QString>

#include <cstdint>

namespace conclave::meeting {

/// What the chair chose when opening the meeting (docs/protocol.md §4).
struct MeetingOptions {
    bool waitingRoom = true;
    bool invitesRequired = true;
    bool openKnocking = false;
    bool chat = false;
    bool shareByAll = false; ///< false: chair-only screen share (the default)

    friend bool operator==(const MeetingOptions&, const MeetingOptions&) = default;
};

/// The chair-signed description of a meeting: the label, the backend and the keys everything
/// else is checked against. A new revision (e.g. a marking change) is signed again with a
/// higher `revision`; members refuse a lower or equal one.
struct MeetingDescriptor {
    static constexpr qsizetype kMaxTitleBytes = 200;

    QByteArray meetingId; ///< 16 random bytes
    uint64_t revision = 1;
    QString title;
    QString marking; ///< canonical text; members re-parse it against their own policy's scheme
    QString schemeId;
    QString backendId;
    QString hubPin; ///< SPKI pin of the hub the meeting runs on
    crypto::Ed25519PublicKey chair;
    QByteArray chairEphemeral; ///< X25519 public key, 32 bytes
    TimePoint created;
    uint16_t cipherSuite = 0;
    MeetingOptions options;

    QByteArray encodeBody() const;
    static Result<MeetingDescriptor> decodeBody(const QByteArray& body);

    /// Signs with the chair's identity key (which must be `chair`).
    SignedObject sign(const crypto::Ed25519SigningKey& chairKey) const;
    /// Decodes a signed descriptor and checks the signature is by the chair it names.
    static Result<MeetingDescriptor> fromSigned(const QByteArray& signedBytes);
};

} // namespace conclave::meeting
