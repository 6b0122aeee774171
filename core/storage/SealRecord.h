// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Bytes.h"

#include <cstdint>

namespace conclave::storage {

/// The latest audit seal this device wrote, as remembered outside the database: its number in
/// audit_seals and the entry it covers. Cutting the log back to an earlier seal leaves the
/// database ending before this record.
struct SealRecord {
    int64_t sealId = 0;
    int64_t entryId = 0;
    crypto::Bytes entryHash;
};

} // namespace conclave::storage
