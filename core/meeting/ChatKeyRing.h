// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "crypto/SecureBuffer.h"

#include <chrono>
#include <cstdint>
#include <optional>

namespace conclave::meeting {

/// The chat keys a member can read with: the current epoch's, and the previous epoch's for a
/// short grace period, so a message sent in the instant of a key change is not lost. Older
/// keys are wiped (SecureBuffer) as soon as they fall out.
class ChatKeyRing {
public:
    static constexpr std::chrono::seconds kGrace{10};

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
    std::optional<Entry> m_previous;
};

} // namespace conclave::meeting
