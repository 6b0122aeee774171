// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace conclave::storage {

/// Outcome of checking the whole audit chain and every seal. When something is wrong,
/// `firstBrokenEntry` is the earliest entry that can no longer be trusted and `reason` says
/// what was found there, in words.
struct AuditVerification {
    bool intact = false;
    std::optional<int64_t> firstBrokenEntry;
    std::string reason;
    int64_t entries = 0;
    int64_t seals = 0;
};

} // namespace conclave::storage
