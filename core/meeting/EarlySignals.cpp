// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/EarlySignals.h"

#include <utility>

namespace conclave::meeting {

bool EarlySignals::keepIfEarly(const protocol::Envelope& envelope, uint64_t sealedEpoch,
                               uint64_t currentEpoch, TimePoint arrived, TimePoint now)
{
    if (sealedEpoch <= currentEpoch || now - arrived > kPatience)
        return false;
    if (m_waiting.size() >= kMax)
        m_waiting.pop_front();
    m_waiting.push_back({envelope, arrived});
    return true;
}

std::vector<EarlySignals::Waiting> EarlySignals::takeAll()
{
    std::vector<Waiting> out(std::make_move_iterator(m_waiting.begin()),
                             std::make_move_iterator(m_waiting.end()));
    m_waiting.clear();
    return out;
}

} // namespace conclave::meeting
