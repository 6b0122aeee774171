// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/MessageOutbox.h"

#include "protocol/Envelope.h"

namespace conclave::meeting {

MessageOutbox::MessageOutbox(const crypto::Ed25519SigningKey& key, QByteArray meetingId,
                             TimePoint start)
    : m_key(key), m_meetingId(std::move(meetingId)),
      m_seq(uint64_t(
          std::chrono::duration_cast<std::chrono::microseconds>(start.time_since_epoch()).count()))
{
}

void MessageOutbox::post(protocol::MessageType type, const QByteArray& body)
{
    m_queue.push_back(protocol::Envelope::sign(type, m_meetingId, ++m_seq, body, m_key).encode());
}

std::vector<QByteArray> MessageOutbox::take()
{
    return std::exchange(m_queue, {});
}

} // namespace conclave::meeting
