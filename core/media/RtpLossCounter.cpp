// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/RtpLossCounter.h"

#include <algorithm>

namespace conclave::media {

void RtpLossCounter::received(uint16_t sequenceNumber)
{
    ++m_packets;
    if (!m_started) {
        m_started = true;
        m_first = m_highest = sequenceNumber;
        m_runPackets = 1;
        return;
    }
    // The distance from the highest so far, on the 16-bit circle: -32768 .. 32767.
    const auto delta = int64_t(int16_t(uint16_t(sequenceNumber - uint16_t(m_highest))));
    if (delta > kMaxDropout || delta < -kMaxDropout) {
        m_lostBefore = lost();
        m_first = m_highest = sequenceNumber;
        m_runPackets = 1;
        return;
    }
    if (delta > 0)
        m_highest += delta;
    ++m_runPackets; // late or duplicate ones count as received, as RFC 3550 has it
}

int64_t RtpLossCounter::lost() const
{
    if (!m_started)
        return 0;
    const int64_t expected = m_highest - m_first + 1;
    return m_lostBefore + std::max<int64_t>(0, expected - int64_t(m_runPackets));
}

} // namespace conclave::media
