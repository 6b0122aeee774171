// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"

#include <cstdint>
#include <map>
#include <string>

namespace conclave::storage {

/// The newest signed policy this device has accepted from one security authority; the
/// anti-rollback reference for that authority's policies.
struct PolicyState {
    std::string authority; ///< key id of the trust anchor that signed it
    uint64_t serial = 0;
    std::string policyHashHex;
    TimePoint acceptedAt;
};

/// Highest accepted serial by authority key id.
using HighestSerials = std::map<std::string, uint64_t>;

} // namespace conclave::storage
