// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Bytes.h"

#include <sodium.h>

namespace conclave::crypto {

/// BLAKE2b (libsodium crypto_generichash), for hash chains, fingerprints and codes.
class Blake2b {
public:
    explicit Blake2b(size_t outputSize = 32);
    Blake2b& update(ByteView data);
    /// Appends a length-prefixed field, so that ("ab","c") and ("a","bc") hash differently.
    Blake2b& updateField(ByteView data);
    Bytes finish();

    static Bytes hash(ByteView data, size_t outputSize = 32);

private:
    crypto_generichash_state m_state;
    size_t m_outputSize;
};

} // namespace conclave::crypto
