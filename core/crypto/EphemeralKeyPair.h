// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"

#include <array>
#include <cstdint>

namespace conclave::crypto {

struct X25519PublicKey {
    static constexpr size_t kSize = 32;
    std::array<uint8_t, kSize> bytes{};

    ByteView view() const { return bytes; }
    static Result<X25519PublicKey> fromBytes(ByteView data);
    friend bool operator==(const X25519PublicKey&, const X25519PublicKey&) = default;
};

/// A member's (or the chair's) X25519 key pair for one meeting join (docs/e2ee.md §3). It is
/// made fresh for every join, so old COMMITs can never be replayed to a rejoining device, and
/// it is only ever used for crypto_box_beforenm with the chair's (or a member's) key.
class EphemeralKeyPair {
public:
    static constexpr size_t kSecretSize = 32;

    static EphemeralKeyPair generate();
    /// From a 32-byte X25519 secret; for deterministic tests and known-answer vectors.
    static Result<EphemeralKeyPair> fromSecret(ByteView secret);

    const X25519PublicKey& publicKey() const { return m_public; }
    const SecureBuffer& secret() const { return m_secret; }

private:
    EphemeralKeyPair(SecureBuffer secret, X25519PublicKey pub);

    SecureBuffer m_secret;
    X25519PublicKey m_public;
};

} // namespace conclave::crypto
