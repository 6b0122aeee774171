// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Roster.h"

#include <QByteArray>

#include <cstdint>
#include <map>
#include <set>

namespace conclave::meeting {

/// Who has acknowledged which epoch (signed `ack` messages), so senders can move to a new
/// epoch's keys as soon as everyone holds them instead of waiting the full grace period.
/// Acks are kept by identity key: one may arrive before this member has the epoch - or even
/// the roster naming its sender - itself. Only the last few epochs are kept.
class EpochAcks {
public:
    static constexpr size_t kEpochsKept = 4;

    /// This member's own record (and the chair's, for the epoch it made).
    void record(uint64_t epoch, const QByteArray& identity)
    {
        m_acks[epoch].insert(identity);
        while (m_acks.size() > kEpochsKept)
            m_acks.erase(m_acks.begin());
    }
    /// Someone else's `ack`, while this member is at `current`: kept only for an epoch that
    /// can still matter - one of the last few, or one of the next two (its sender may be faster).
    /// Acks for epochs further ahead are dropped: kept, they would push the current epoch's
    /// acks out, and anyone in the meeting could send them by the thousand.
    void recordFrom(uint64_t epoch, const QByteArray& identity, uint64_t current)
    {
        if (epoch > current + 2 || epoch + kEpochsKept <= current)
            return;
        record(epoch, identity);
    }
    size_t epochsKept() const { return m_acks.size(); }
    bool hasAck(uint64_t epoch, const QByteArray& identity) const
    {
        const auto it = m_acks.find(epoch);
        return it != m_acks.end() && it->second.count(identity) > 0;
    }
    /// The latest of the kept epochs `identity` acknowledged; 0 when it acknowledged none of
    /// them (0 is never an epoch a member holds).
    uint64_t latestAck(const QByteArray& identity) const
    {
        for (auto it = m_acks.rbegin(); it != m_acks.rend(); ++it)
            if (it->second.count(identity) > 0)
                return it->first;
        return 0;
    }
    /// The roster indices of those in `roster` who acknowledged `epoch`.
    std::set<uint32_t> holding(uint64_t epoch, const crypto::Roster& roster) const
    {
        std::set<uint32_t> out;
        const auto it = m_acks.find(epoch);
        if (it == m_acks.end())
            return out;
        for (const crypto::RosterEntry& e : roster.entries())
            if (it->second.count(QByteArray(reinterpret_cast<const char*>(e.identity.bytes.data()),
                                            qsizetype(e.identity.bytes.size()))))
                out.insert(e.index);
        return out;
    }

private:
    std::map<uint64_t, std::set<QByteArray>> m_acks;
};

} // namespace conclave::meeting
