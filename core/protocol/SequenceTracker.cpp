// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/SequenceTracker.h"

#include "crypto/Fingerprint.h"

namespace conclave::protocol {
namespace {

QByteArray senderKey(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), qsizetype(key.bytes.size()));
}

/// What a sender outside the meeting can send: only those are worth nothing to remember.
bool provisionalType(MessageType type)
{
    return type == MessageType::Knock || type == MessageType::Leave;
}

} // namespace

Result<void> SequenceTracker::accept(const Envelope& envelope)
{
    const Key key{envelope.meetingId, senderKey(envelope.sender)};
    const size_t stream = size_t(sequenceStreamOf(envelope.type));
    const auto it = m_last.find(key);
    if (it == m_last.end()) {
        if (envelope.seq == 0)
            return makeError("protocol.replay", "sequence numbers start at 1");
        const bool provisional = provisionalType(envelope.type);
        if (provisional && m_provisional >= kMaxProvisional)
            forgetOldestProvisional();
        if (m_last.size() >= kMaxSenders) {
            if (!provisional || m_provisional == 0)
                return makeError("protocol.too_many_senders",
                                 "too many distinct senders; the message was dropped");
            forgetOldestProvisional();
        }
        Entry entry;
        entry.seq[stream] = envelope.seq;
        if (provisional) {
            entry.provisionalStamp = ++m_stamp;
            m_provisionalOrder.emplace_back(key, entry.provisionalStamp);
            ++m_provisional;
        }
        m_last.emplace(key, entry);
        return {};
    }
    if (envelope.seq <= it->second.seq[stream])
        return makeError("protocol.replay", "message " + std::to_string(envelope.seq) + " from " +
                                                crypto::publicKeyId(envelope.sender.view()) +
                                                " is a replay or out of order (last accepted " +
                                                std::to_string(it->second.seq[stream]) +
                                                "); it was dropped");
    it->second.seq[stream] = envelope.seq;
    if (it->second.provisionalStamp != 0 && !provisionalType(envelope.type)) {
        it->second.provisionalStamp = 0; // its place in the queue goes stale
        --m_provisional;
        // Stale places are dropped now and then, so the queue stays near kMaxProvisional.
        if (m_provisionalOrder.size() > 2 * kMaxProvisional) {
            std::deque<std::pair<Key, uint64_t>> live;
            for (const auto& [k, stamp] : m_provisionalOrder) {
                const auto e = m_last.find(k);
                if (e != m_last.end() && e->second.provisionalStamp == stamp)
                    live.emplace_back(k, stamp);
            }
            m_provisionalOrder = std::move(live);
        }
    }
    return {};
}

void SequenceTracker::forgetOldestProvisional()
{
    while (!m_provisionalOrder.empty()) {
        const auto [key, stamp] = m_provisionalOrder.front();
        m_provisionalOrder.pop_front();
        const auto it = m_last.find(key);
        if (it != m_last.end() && it->second.provisionalStamp == stamp) {
            m_last.erase(it);
            --m_provisional;
            return;
        }
    }
}

void SequenceTracker::release(const QByteArray& meetingId, const QByteArray& sender)
{
    const Key key{meetingId, sender};
    const auto it = m_last.find(key);
    if (it == m_last.end() || it->second.provisionalStamp != 0)
        return;
    if (m_provisional >= kMaxProvisional)
        forgetOldestProvisional();
    it->second.provisionalStamp = ++m_stamp;
    m_provisionalOrder.emplace_back(key, it->second.provisionalStamp);
    ++m_provisional;
}

uint64_t SequenceTracker::lastSeen(const QByteArray& meetingId,
                                   const crypto::Ed25519PublicKey& sender,
                                   SequenceStream stream) const
{
    const auto it = m_last.find({meetingId, senderKey(sender)});
    return it == m_last.end() ? 0 : it->second.seq[size_t(stream)];
}

} // namespace conclave::protocol
