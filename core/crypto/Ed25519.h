// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"

#include <array>
#include <cstdint>

namespace conclave::crypto {

struct Ed25519PublicKey {
    static constexpr size_t kSize = 32;
    std::array<uint8_t, kSize> bytes{};

    ByteView view() const { return bytes; }
    static Result<Ed25519PublicKey> fromBytes(ByteView data);
    friend bool operator==(const Ed25519PublicKey&, const Ed25519PublicKey&) = default;
};

inline constexpr size_t kEd25519SignatureSize = 64;

/// An Ed25519 signing key (device identity, policy authority, chair). The secret stays in
/// guarded memory; only signatures and the public key leave this object.
class Ed25519SigningKey {
public:
    static constexpr size_t kSecretSize = 64; // libsodium's seed || public key form

    static Ed25519SigningKey generate();
    /// From the 64-byte libsodium secret key; refuses bytes whose embedded public key does not
    /// match the seed (a corrupted or tampered key file).
    static Result<Ed25519SigningKey> fromSecret(ByteView secret);
    /// From a 32-byte seed (e.g. an invite link's secret); errors "crypto.bad_seed".
    static Result<Ed25519SigningKey> fromSeed(ByteView seed);
    static constexpr size_t kSeedSize = 32;
    /// The 32-byte seed the key was made from, in guarded memory (for putting it in a link).
    SecureBuffer seed() const;

    const Ed25519PublicKey& publicKey() const { return m_public; }
    Bytes sign(ByteView message) const;
    /// The raw 64-byte secret, for sealing it at rest. Handle with care.
    const SecureBuffer& secret() const { return m_secret; }

private:
    Ed25519SigningKey(SecureBuffer secret, Ed25519PublicKey pub);

    SecureBuffer m_secret;
    Ed25519PublicKey m_public;
};

bool verifyEd25519(const Ed25519PublicKey& key, ByteView message, ByteView signature);

} // namespace conclave::crypto
