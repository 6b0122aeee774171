// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "crypto/Ed25519.h"
#include "protocol/MessageType.h"

#include <QByteArray>

#include <cstdint>
#include <vector>

namespace conclave::meeting {

/// Signs a session's outgoing messages with its identity key and numbers them, queuing the
/// encoded envelopes until the connection takes them. Numbering starts at the session's start
/// time in microseconds, so a client that restarts (a new session for the same identity) still
/// continues above every number it used before and is not mistaken for a replay.
class MessageOutbox {
public:
    MessageOutbox(const crypto::Ed25519SigningKey& key, QByteArray meetingId, TimePoint start);

    void post(protocol::MessageType type, const QByteArray& body);
    std::vector<QByteArray> take();
    uint64_t lastSeq() const { return m_seq; }

private:
    const crypto::Ed25519SigningKey& m_key;
    QByteArray m_meetingId;
    uint64_t m_seq = 0;
    std::vector<QByteArray> m_queue;
};

} // namespace conclave::meeting
