// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/EpochPacer.h"

namespace conclave::meeting {

size_t EpochPacer::recent(TimePoint now) const
{
    size_t n = 0;
    for (TimePoint t : m_changes)
        n += now - t < kWindow ? 1 : 0;
    return n;
}

Result<void> EpochPacer::mayChange(TimePoint now) const
{
    if (recent(now) < kMaxPerWindow)
        return {};
    return makeError("keys.epoch_rate",
                     "the meeting's keys have changed " + std::to_string(kMaxPerWindow) +
                         " times in the last " + std::to_string(kWindow.count()) +
                         " seconds, the most they safely can; try again in a few seconds");
}

void EpochPacer::changed(TimePoint now)
{
    // A clock stepping back must not leave old entries counted for ever.
    while (!m_changes.empty() && (now - m_changes.front() >= kWindow || m_changes.front() > now))
        m_changes.pop_front();
    m_changes.push_back(now);
}

} // namespace conclave::meeting
