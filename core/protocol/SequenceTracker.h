// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "protocol/Envelope.h"
#include "protocol/SenderRoles.h"

#include <QByteArray>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <utility>

namespace conclave::protocol {

/// Refuses replayed and reordered messages: per (meeting, sender, SequenceStream) every
/// accepted sequence number must be higher than the last one accepted in that stream. Senders
/// count from 1 in each. The stream comes from the signed message type, so a relay cannot move
/// a message into the other stream to replay it.
///
/// A sender that has only knocked (or withdrawn a knock) is provisional: anyone can mint such
/// senders without end by cycling identity keys through one leaked invite. At most
/// kMaxProvisional of them are remembered; past that the one heard from longest ago is
/// forgotten. A sender becomes permanent with its first other message, which only an admitted
/// member can send, so members are never forgotten for a stranger's sake.
class SequenceTracker {
public:
    static constexpr size_t kMaxSenders = 100000;
    static constexpr size_t kMaxProvisional = 4096;

    /// Records the envelope's seq if it is new; "protocol.replay" otherwise.
    Result<void> accept(const Envelope& envelope);
    uint64_t lastSeen(const QByteArray& meetingId, const crypto::Ed25519PublicKey& sender,
                      SequenceStream stream) const;
    /// The sender (32 raw key bytes) left the meeting: from now on it is remembered like a
    /// knocker, so members coming and going cannot grow the record without end either.
    void release(const QByteArray& meetingId, const QByteArray& sender);

    size_t size() const { return m_last.size(); }
    size_t provisionalCount() const { return m_provisional; }

private:
    using Key = std::pair<QByteArray, QByteArray>;
    struct Entry {
        std::array<uint64_t, 2> seq{}; ///< by SequenceStream; 0 = none yet
        uint64_t provisionalStamp = 0; ///< 0 once permanent
    };

    void forgetOldestProvisional();

    std::map<Key, Entry> m_last;
    std::deque<std::pair<Key, uint64_t>> m_provisionalOrder; ///< oldest first; may hold stale
    size_t m_provisional = 0;
    uint64_t m_stamp = 0;
};

} // namespace conclave::protocol
