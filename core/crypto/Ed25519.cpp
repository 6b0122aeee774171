// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Ed25519.h"

#include "crypto/Sodium.h"

#include <sodium.h>

#include <algorithm>
#include <utility>

namespace conclave::crypto {

Result<Ed25519PublicKey> Ed25519PublicKey::fromBytes(ByteView data)
{
    if (data.size() != kSize)
        return makeError("crypto.bad_public_key",
                         "an Ed25519 public key is 32 bytes, not " + std::to_string(data.size()));
    Ed25519PublicKey key;
    std::copy(data.begin(), data.end(), key.bytes.begin());
    return key;
}

Ed25519SigningKey::Ed25519SigningKey(SecureBuffer secret, Ed25519PublicKey pub)
    : m_secret(std::move(secret)), m_public(pub)
{
}

Ed25519SigningKey Ed25519SigningKey::generate()
{
    ensureSodium();
    SecureBuffer secret(crypto_sign_SECRETKEYBYTES);
    Ed25519PublicKey pub;
    crypto_sign_keypair(pub.bytes.data(), secret.data());
    return Ed25519SigningKey(std::move(secret), pub);
}

Result<Ed25519SigningKey> Ed25519SigningKey::fromSecret(ByteView secret)
{
    ensureSodium();
    if (secret.size() != crypto_sign_SECRETKEYBYTES)
        return makeError("crypto.bad_secret_key",
                         "an Ed25519 secret key is 64 bytes, not " + std::to_string(secret.size()));
    // Re-derive from the seed so a secret whose public half was altered is caught here.
    SecureBuffer rebuilt(crypto_sign_SECRETKEYBYTES);
    Ed25519PublicKey pub;
    crypto_sign_seed_keypair(pub.bytes.data(), rebuilt.data(), secret.data());
    if (sodium_memcmp(rebuilt.data(), secret.data(), crypto_sign_SECRETKEYBYTES) != 0)
        return makeError("crypto.bad_secret_key",
                         "the Ed25519 secret key is inconsistent (its public half does not match "
                         "its seed); the key file is damaged");
    return Ed25519SigningKey(std::move(rebuilt), pub);
}

Result<Ed25519SigningKey> Ed25519SigningKey::fromSeed(ByteView seed)
{
    ensureSodium();
    if (seed.size() != crypto_sign_SEEDBYTES)
        return makeError("crypto.bad_seed",
                         "an Ed25519 seed is 32 bytes, not " + std::to_string(seed.size()));
    SecureBuffer secret(crypto_sign_SECRETKEYBYTES);
    Ed25519PublicKey pub;
    crypto_sign_seed_keypair(pub.bytes.data(), secret.data(), seed.data());
    return Ed25519SigningKey(std::move(secret), pub);
}

SecureBuffer Ed25519SigningKey::seed() const
{
    // libsodium's secret key is seed || public key.
    return SecureBuffer::copyOf(ByteView(m_secret.data(), crypto_sign_SEEDBYTES));
}

Bytes Ed25519SigningKey::sign(ByteView message) const
{
    Bytes signature(crypto_sign_BYTES);
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(),
                         m_secret.data());
    return signature;
}

bool verifyEd25519(const Ed25519PublicKey& key, ByteView message, ByteView signature)
{
    ensureSodium();
    if (signature.size() != crypto_sign_BYTES)
        return false;
    return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                       key.bytes.data()) == 0;
}

} // namespace conclave::crypto
