// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/SequenceTracker.h"

#include "crypto/Fingerprint.h"

namespace conclave::protocol {
namespace {

QByteArray senderKey(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), qsizetype(key.bytes.size()));
}

} // namespace

Result<void> SequenceTracker::accept(const Envelope& envelope)
{
    const Key key{envelope.meetingId, senderKey(envelope.sender)};
    const auto it = m_last.find(key);
    if (it == m_last.end()) {
        if (m_last.size() >= kMaxSenders)
            return makeError("protocol.too_many_senders",
                             "too many distinct senders; the message was dropped");
        if (envelope.seq == 0)
            return makeError("protocol.replay", "sequence numbers start at 1");
        m_last.emplace(key, envelope.seq);
        return {};
    }
    if (envelope.seq <= it->second)
        return makeError("protocol.replay", "message " + std::to_string(envelope.seq) + " from " +
                                                crypto::publicKeyId(envelope.sender.view()) +
                                                " is a replay or out of order (last accepted " +
                                                std::to_string(it->second) + "); it was dropped");
    it->second = envelope.seq;
    return {};
}

uint64_t SequenceTracker::lastSeen(const QByteArray& meetingId,
                                   const crypto::Ed25519PublicKey& sender) const
{
    const auto it = m_last.find({meetingId, senderKey(sender)});
    return it == m_last.end() ? 0 : it->second;
}

} // namespace conclave::protocol
