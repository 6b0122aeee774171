// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/EphemeralKeyPair.h"

#include "crypto/Sodium.h"

#include <sodium.h>

#include <algorithm>
#include <string>
#include <utility>

namespace conclave::crypto {

Result<X25519PublicKey> X25519PublicKey::fromBytes(ByteView data)
{
    if (data.size() != kSize)
        return makeError("keys.bad_ephemeral_key",
                         "an X25519 public key is 32 bytes, not " + std::to_string(data.size()));
    X25519PublicKey key;
    std::copy(data.begin(), data.end(), key.bytes.begin());
    return key;
}

EphemeralKeyPair::EphemeralKeyPair(SecureBuffer secret, X25519PublicKey pub)
    : m_secret(std::move(secret)), m_public(pub)
{
}

EphemeralKeyPair EphemeralKeyPair::generate()
{
    ensureSodium();
    SecureBuffer secret(crypto_box_SECRETKEYBYTES);
    X25519PublicKey pub;
    crypto_box_keypair(pub.bytes.data(), secret.data());
    return EphemeralKeyPair(std::move(secret), pub);
}

Result<EphemeralKeyPair> EphemeralKeyPair::fromSecret(ByteView secret)
{
    ensureSodium();
    if (secret.size() != kSecretSize)
        return makeError("keys.bad_ephemeral_key",
                         "an X25519 secret key is 32 bytes, not " + std::to_string(secret.size()));
    X25519PublicKey pub;
    crypto_scalarmult_base(pub.bytes.data(), secret.data());
    return EphemeralKeyPair(SecureBuffer::copyOf(secret), pub);
}

} // namespace conclave::crypto
