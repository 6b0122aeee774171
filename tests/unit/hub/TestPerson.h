// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Ed25519.h"
#include "protocol/MessageType.h"

#include <QByteArray>

#include <cstdint>

namespace conclave::hubtest {

/// Someone in a hub test: an identity key and the sequence counter of its envelopes.
class TestPerson {
public:
    TestPerson() : m_key(crypto::Ed25519SigningKey::generate()) {}

    const crypto::Ed25519SigningKey& key() const { return m_key; }
    /// The 32 raw bytes of the public key, as the hub keys members.
    QByteArray id() const;
    /// A signed, encoded envelope with the next sequence number.
    QByteArray envelope(protocol::MessageType type, const QByteArray& meetingId,
                        const QByteArray& body);
    /// The same with a chosen sequence number (for replay tests); the counter is untouched.
    QByteArray envelopeWithSeq(protocol::MessageType type, const QByteArray& meetingId,
                               const QByteArray& body, uint64_t seq) const;
    uint64_t lastSeq() const { return m_seq; }

private:
    crypto::Ed25519SigningKey m_key;
    uint64_t m_seq = 0;
};

} // namespace conclave::hubtest
