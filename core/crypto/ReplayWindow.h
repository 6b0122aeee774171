// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>

namespace conclave::crypto {

/// Replay protection for one KID (docs/e2ee.md §2): the highest counter accepted so far and
/// which of the 128 counters below it were accepted. A counter already accepted, or more than
/// 128 below the highest, is refused; a higher one moves the window.
///
/// check() is side-effect free and runs before decryption; commit() runs only once the frame
/// authenticated, so forged frames can never move the window and lock out the real sender.
class ReplayWindow {
public:
    static constexpr uint64_t kSize = 128;

    enum class Verdict { Fresh, Replayed, TooOld };

    Verdict check(uint64_t counter) const;
    /// Records `counter` as accepted; call only after check() said Fresh and the frame
    /// authenticated.
    void commit(uint64_t counter);

    bool empty() const { return !m_any; }
    uint64_t highest() const { return m_highest; }

private:
    bool seen(uint64_t distance) const;
    void mark(uint64_t distance);
    void shift(uint64_t by);

    // Bit (d - 1) records counter (m_highest - d), for d = 1..128: m_low holds d = 1..64.
    uint64_t m_low = 0;
    uint64_t m_high = 0;
    uint64_t m_highest = 0;
    bool m_any = false;
};

} // namespace conclave::crypto
