// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "protocol/MessageType.h"

#include <QByteArray>

#include <cstdint>

namespace conclave::protocol {

/// A signed message: CBOR map {v, type, meeting, sender, seq, body, sig} (docs/protocol.md §2).
/// `body` holds the exact CBOR bytes of the message body; the signature covers those bytes and
/// every header field, so nothing a relay can change goes unnoticed.
struct Envelope {
    static constexpr uint8_t kVersion = 1;
    static constexpr qsizetype kMeetingIdSize = 16;
    static constexpr qsizetype kMaxBodyBytes = 256 * 1024;
    static constexpr qsizetype kMaxEnvelopeBytes = kMaxBodyBytes + 512;
    static constexpr uint64_t kMaxSeq = (uint64_t{1} << 53) - 1;

    MessageType type = MessageType::Heartbeat;
    QByteArray meetingId;
    crypto::Ed25519PublicKey sender;
    uint64_t seq = 0;
    QByteArray body;
    QByteArray signature;

    /// Builds and signs an envelope from `key` (the sender is key's public half).
    static Envelope sign(MessageType type, const QByteArray& meetingId, uint64_t seq,
                         const QByteArray& body, const crypto::Ed25519SigningKey& key);
    /// Strict decoding (error codes protocol.too_large/malformed/non_canonical/invalid/
    /// version). Decoding does not verify the signature; verify() does.
    static Result<Envelope> decode(const QByteArray& bytes);

    QByteArray encode() const;
    /// True when `signature` is the sender's Ed25519 signature over the header and body.
    bool verify() const;
    /// The exact bytes signed (documented in docs/protocol.md §2).
    QByteArray signedBytes() const;
};

} // namespace conclave::protocol
