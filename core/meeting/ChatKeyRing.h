// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "crypto/SecureBuffer.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

namespace conclave::meeting {

/// The chat keys a member can read with (chat, and media set-up messages): the current
/// epoch's, and each earlier epoch's for kGrace after it was replaced, so a message sent in the
/// instant of a key change is not lost - also when several epochs come within seconds (a chair
/// admitting a queue of people; a member a few epochs behind still signals under its own). A
/// retired key is wiped (SecureBuffer) once its grace is over, and at most kMaxRetired are
/// kept whatever the pace.
class ChatKeyRing {
public:
    static constexpr std::chrono::seconds kGrace{10};
    static constexpr size_t kMaxRetired = 16;

    /// Installs the key of a newer epoch; the one it replaces stays readable for kGrace.
    void install(uint64_t epoch, crypto::SecureBuffer key, TimePoint now);
    const crypto::SecureBuffer* keyFor(uint64_t epoch, TimePoint now) const;
    void clear();

private:
    struct Entry {
        uint64_t epoch = 0;
        crypto::SecureBuffer key;
        TimePoint retiredAt;
    };
    std::optional<Entry> m_current;
    std::deque<Entry> m_retired; ///< oldest first
};

} // namespace conclave::meeting
