// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/MessageOutbox.h"

#include "protocol/Envelope.h"

namespace conclave::meeting {

MessageOutbox::MessageOutbox(const crypto::Ed25519SigningKey& key, QByteArray meetingId,
                             TimePoint start)
    : m_key(key), m_meetingId(std::move(meetingId))
{
    const auto startSeq = uint64_t(
        std::chrono::duration_cast<std::chrono::microseconds>(start.time_since_epoch()).count());
    m_seq.fill(startSeq);
}

void MessageOutbox::post(protocol::MessageType type, const QByteArray& body)
{
    uint64_t& seq = m_seq[size_t(protocol::sequenceStreamOf(type))];
    m_queue.push_back(protocol::Envelope::sign(type, m_meetingId, ++seq, body, m_key).encode());
}

std::vector<QByteArray> MessageOutbox::take()
{
    return std::exchange(m_queue, {});
}

} // namespace conclave::meeting
