// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"

namespace conclave::crypto {

/// XSalsa20-Poly1305 (crypto_secretbox) for sealing secrets at rest. The sealed form is
/// nonce || ciphertext, so a stored blob is self-contained.
class SecretBox {
public:
    static constexpr size_t kKeySize = 32;

    static Bytes seal(const SecureBuffer& key, ByteView plaintext);
    /// Fails (never returns garbage) when the key is wrong or any byte was changed.
    static Result<SecureBuffer> open(const SecureBuffer& key, ByteView sealed);
};

} // namespace conclave::crypto
