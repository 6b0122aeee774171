// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "crypto/Ed25519.h"
#include "protocol/MessageType.h"
#include "protocol/SenderRoles.h"

#include <QByteArray>

#include <array>
#include <cstdint>
#include <vector>

namespace conclave::meeting {

/// Signs a session's outgoing messages with its identity key and numbers them, queuing the
/// encoded envelopes until the connection takes them. Messages to every member and the rest are
/// numbered apart (protocol::SequenceStream), so every member sees an unbroken run of the first
/// and can tell a dropped message from one sent elsewhere. Numbering starts at the session's
/// start time in microseconds, so a client that restarts (a new session for the same identity)
/// still continues above every number it used before and is not mistaken for a replay.
class MessageOutbox {
public:
    MessageOutbox(const crypto::Ed25519SigningKey& key, QByteArray meetingId, TimePoint start);

    void post(protocol::MessageType type, const QByteArray& body);
    std::vector<QByteArray> take();

private:
    const crypto::Ed25519SigningKey& m_key;
    QByteArray m_meetingId;
    std::array<uint64_t, 2> m_seq{}; ///< by protocol::SequenceStream
    std::vector<QByteArray> m_queue;
};

} // namespace conclave::meeting
