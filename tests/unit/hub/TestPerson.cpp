// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestPerson.h"

#include "protocol/Envelope.h"

namespace conclave::hubtest {

QByteArray TestPerson::id() const
{
    return QByteArray(reinterpret_cast<const char*>(m_key.publicKey().bytes.data()), 32);
}

QByteArray TestPerson::envelope(protocol::MessageType type, const QByteArray& meetingId,
                                const QByteArray& body)
{
    return envelopeWithSeq(type, meetingId, body, ++m_seq);
}

QByteArray TestPerson::envelopeWithSeq(protocol::MessageType type, const QByteArray& meetingId,
                                       const QByteArray& body, uint64_t seq) const
{
    return protocol::Envelope::sign(type, meetingId, seq, body, m_key).encode();
}

} // namespace conclave::hubtest
