// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"

#include <cstdint>
#include <string>

namespace conclave::storage {

/// The newest signed policy this device has accepted; the anti-rollback reference.
struct PolicyState {
    uint64_t serial = 0;
    std::string policyHashHex;
    TimePoint acceptedAt;
};

} // namespace conclave::storage
