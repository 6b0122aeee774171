// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Bytes.h"

#include <cstdint>
#include <string>

namespace conclave::storage {

/// One audit log row as stored. `at` is kept as the exact text that was hashed.
struct AuditEntry {
    int64_t id = 0;
    std::string at; // "YYYY-MM-DDTHH:MM:SSZ"
    std::string category;
    std::string marking;
    std::string detail; // a JSON object
    crypto::Bytes prevHash;
    crypto::Bytes hash;
};

} // namespace conclave::storage
