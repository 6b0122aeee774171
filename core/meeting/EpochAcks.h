// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <set>

namespace conclave::meeting {

/// Who has acknowledged which epoch (signed `ack` messages), so senders can move to a new
/// epoch's keys as soon as everyone holds them instead of waiting the full grace period.
/// Acks may arrive before this member has the epoch itself, so a few epochs are kept.
class EpochAcks {
public:
    void record(uint64_t epoch, uint32_t index)
    {
        m_acks[epoch].insert(index);
        while (m_acks.size() > 4)
            m_acks.erase(m_acks.begin());
    }
    std::set<uint32_t> holding(uint64_t epoch) const
    {
        const auto it = m_acks.find(epoch);
        return it == m_acks.end() ? std::set<uint32_t>{} : it->second;
    }
    void clear() { m_acks.clear(); }

private:
    std::map<uint64_t, std::set<uint32_t>> m_acks;
};

} // namespace conclave::meeting
