// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>

namespace conclave {

using TimePoint = std::chrono::system_clock::time_point;

/// Wall-clock time, passed in so that validity windows and audit timestamps are testable.
class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

/// A clock that stays where it is put; for tests and deterministic replays.
class FixedClock final : public Clock {
public:
    explicit FixedClock(TimePoint t) : m_now(t) {}
    TimePoint now() const override { return m_now; }
    void set(TimePoint t) { m_now = t; }
    void advance(std::chrono::seconds s) { m_now += s; }

private:
    TimePoint m_now;
};

} // namespace conclave
