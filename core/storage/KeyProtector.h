// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/Ed25519.h"
#include "crypto/SecureBuffer.h"
#include "storage/ProtectionMode.h"

#include <cstdint>
#include <string>

namespace conclave::storage {

/// Non-secret parameters a protector needs stored beside the sealed identity (the Argon2id
/// salt and limits for a passphrase; empty for the others).
struct KeyDerivation {
    crypto::Bytes salt;
    uint64_t opsLimit = 0;
    uint64_t memLimit = 0;
};

/// A fresh wrapping key and what must be stored to obtain it again.
struct WrappingKey {
    crypto::SecureBuffer key; // crypto::SecretBox::kKeySize bytes
    KeyDerivation derivation;
};

/// Supplies the 32-byte key that seals the device identity at rest. The identity's public key
/// is passed in so a protector can name what it keeps after it (a keyring entry per identity).
class KeyProtector {
public:
    virtual ~KeyProtector() = default;

    virtual ProtectionMode mode() const = 0;
    /// Where the key lives, for messages: "the key file /home/a/.local/.../conclave.db.key".
    virtual std::string location() const = 0;

    /// Makes (and keeps, where the protector keeps keys) a key for a new identity.
    virtual Result<WrappingKey> createWrappingKey(const crypto::Ed25519PublicKey& identity) = 0;
    /// Returns the key made earlier for this identity. A wrong key is not detected here;
    /// IdentityStore compares it with the stored key check.
    virtual Result<crypto::SecureBuffer>
    recoverWrappingKey(const crypto::Ed25519PublicKey& identity, const KeyDerivation& stored) = 0;
};

} // namespace conclave::storage
