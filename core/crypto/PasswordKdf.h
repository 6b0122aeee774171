// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"

#include <cstdint>
#include <string_view>

namespace conclave::crypto {

/// Argon2id parameters; stored beside what they protect so they can be raised later.
struct Argon2Params {
    uint64_t opsLimit = 0;
    size_t memLimit = 0;

    /// libsodium's INTERACTIVE limits (fast enough for unlocking at start-up).
    static Argon2Params interactive();
    /// Smallest libsodium accepts; only for tests, where seconds of hashing add nothing.
    static Argon2Params minimumForTests();
};

inline constexpr size_t kArgon2SaltSize = 16;

/// Derives a 32-byte key from a passphrase with Argon2id.
Result<SecureBuffer> deriveKeyFromPassphrase(std::string_view passphrase, ByteView salt,
                                             const Argon2Params& params);

} // namespace conclave::crypto
