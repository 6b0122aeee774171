// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ReplayWindow.h"

#include <cassert>

namespace conclave::crypto {

ReplayWindow::Verdict ReplayWindow::check(uint64_t counter) const
{
    if (!m_any || counter > m_highest)
        return Verdict::Fresh;
    const uint64_t distance = m_highest - counter;
    if (distance == 0)
        return Verdict::Replayed;
    if (distance > kSize)
        return Verdict::TooOld;
    return seen(distance) ? Verdict::Replayed : Verdict::Fresh;
}

void ReplayWindow::commit(uint64_t counter)
{
    assert(check(counter) == Verdict::Fresh);
    if (!m_any) {
        m_any = true;
        m_highest = counter;
        return;
    }
    if (counter > m_highest) {
        const uint64_t by = counter - m_highest;
        shift(by);
        mark(by); // the previous highest is now `by` below the new one
        m_highest = counter;
        return;
    }
    mark(m_highest - counter);
}

bool ReplayWindow::seen(uint64_t distance) const
{
    const uint64_t bit = distance - 1;
    return bit < 64 ? ((m_low >> bit) & 1) != 0 : ((m_high >> (bit - 64)) & 1) != 0;
}

void ReplayWindow::mark(uint64_t distance)
{
    if (distance == 0 || distance > kSize)
        return;
    const uint64_t bit = distance - 1;
    if (bit < 64)
        m_low |= uint64_t(1) << bit;
    else
        m_high |= uint64_t(1) << (bit - 64);
}

void ReplayWindow::shift(uint64_t by)
{
    // A 128-bit left shift in two words; shifts of 64 or more are undefined on one word.
    if (by >= kSize) {
        m_low = m_high = 0;
    } else if (by >= 64) {
        m_high = m_low << (by - 64);
        m_low = 0;
    } else {
        m_high = (m_high << by) | (m_low >> (64 - by));
        m_low <<= by;
    }
}

} // namespace conclave::crypto
