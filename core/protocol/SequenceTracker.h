// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "protocol/Envelope.h"

#include <QByteArray>

#include <cstdint>
#include <map>
#include <utility>

namespace conclave::protocol {

/// Refuses replayed and reordered messages: per (meeting, sender) every accepted sequence
/// number must be higher than the last one accepted. Senders count from 1.
class SequenceTracker {
public:
    static constexpr size_t kMaxSenders = 100000;

    /// Records the envelope's seq if it is new; "protocol.replay" otherwise.
    Result<void> accept(const Envelope& envelope);
    uint64_t lastSeen(const QByteArray& meetingId, const crypto::Ed25519PublicKey& sender) const;

private:
    using Key = std::pair<QByteArray, QByteArray>;
    std::map<Key, uint64_t> m_last;
};

} // namespace conclave::protocol
