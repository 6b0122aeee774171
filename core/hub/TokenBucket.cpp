// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/TokenBucket.h"

#include <algorithm>

namespace conclave::hub {

TokenBucket::TokenBucket(double ratePerSecond, double burst, TimePoint now)
    : m_rate(std::max(0.0, ratePerSecond)), m_burst(std::max(1.0, burst)), m_tokens(m_burst),
      m_last(now)
{
}

double TokenBucket::tokensAt(TimePoint now) const
{
    // The wall clock may step backwards; never let that mint or destroy tokens.
    const double elapsed = std::max(0.0, std::chrono::duration<double>(now - m_last).count());
    return std::min(m_burst, m_tokens + elapsed * m_rate);
}

bool TokenBucket::take(TimePoint now)
{
    m_tokens = tokensAt(now);
    m_last = std::max(m_last, now);
    if (m_tokens < 1.0)
        return false;
    m_tokens -= 1.0;
    return true;
}

bool TokenBucket::isFull(TimePoint now) const
{
    return tokensAt(now) >= m_burst;
}

} // namespace conclave::hub
