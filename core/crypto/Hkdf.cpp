// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Hkdf.h"

#include "crypto/Sodium.h"

#include <sodium.h>

#include <algorithm>
#include <vector>

namespace conclave::crypto {
namespace {

/// HMAC over a list of parts, so T(i) = HMAC(PRK, T(i-1) | info | i) needs no concatenation
/// buffer (which would hold secret bytes outside guarded memory).
void hmac(HashAlgorithm hash, ByteView key, std::initializer_list<ByteView> parts, uint8_t* out)
{
    if (hash == HashAlgorithm::Sha256) {
        crypto_auth_hmacsha256_state state;
        crypto_auth_hmacsha256_init(&state, key.data(), key.size());
        for (ByteView part : parts)
            if (!part.empty())
                crypto_auth_hmacsha256_update(&state, part.data(), part.size());
        crypto_auth_hmacsha256_final(&state, out);
        sodium_memzero(&state, sizeof state);
    } else {
        crypto_auth_hmacsha512_state state;
        crypto_auth_hmacsha512_init(&state, key.data(), key.size());
        for (ByteView part : parts)
            if (!part.empty())
                crypto_auth_hmacsha512_update(&state, part.data(), part.size());
        crypto_auth_hmacsha512_final(&state, out);
        sodium_memzero(&state, sizeof state);
    }
}

} // namespace

size_t hashLength(HashAlgorithm hash)
{
    return hash == HashAlgorithm::Sha256 ? crypto_auth_hmacsha256_BYTES
                                         : crypto_auth_hmacsha512_BYTES;
}

namespace hkdf {

SecureBuffer extract(HashAlgorithm hash, ByteView salt, ByteView ikm)
{
    ensureSodium();
    const std::vector<uint8_t> zeros(hashLength(hash), 0);
    SecureBuffer prk(hashLength(hash));
    hmac(hash, salt.empty() ? ByteView(zeros) : salt, {ikm}, prk.data());
    return prk;
}

Result<SecureBuffer> expand(HashAlgorithm hash, ByteView prk, ByteView info, size_t length)
{
    ensureSodium();
    const size_t n = hashLength(hash);
    if (length > 255 * n)
        return makeError("crypto.hkdf_length",
                         "HKDF-Expand can produce at most 255 * HashLen bytes");
    if (prk.size() < n)
        return makeError("crypto.hkdf_prk", "the HKDF pseudorandom key is shorter than HashLen");
    SecureBuffer okm(length);
    SecureBuffer block(n);
    size_t produced = 0;
    for (uint8_t counter = 1; produced < length; ++counter) {
        const ByteView previous = counter == 1 ? ByteView() : block.view();
        const uint8_t c[1] = {counter};
        hmac(hash, prk, {previous, info, ByteView(c, 1)}, block.data());
        const size_t take = std::min(n, length - produced);
        std::copy_n(block.data(), take, okm.data() + produced);
        produced += take;
    }
    return okm;
}

} // namespace hkdf
} // namespace conclave::crypto
