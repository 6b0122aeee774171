// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SframeKeys.h"

#include <cassert>
#include <string_view>

namespace conclave::crypto {
namespace {

Bytes label(std::string_view prefix, uint16_t suiteId, uint64_t kid)
{
    Bytes out(prefix.begin(), prefix.end());
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<uint8_t>(kid >> shift));
    out.push_back(static_cast<uint8_t>(suiteId >> 8));
    out.push_back(static_cast<uint8_t>(suiteId));
    return out;
}

} // namespace

Bytes SframeKeys::keyLabel(uint16_t suiteId, uint64_t kid)
{
    return label("SFrame 1.0 Secret key ", suiteId, kid);
}

Bytes SframeKeys::saltLabel(uint16_t suiteId, uint64_t kid)
{
    return label("SFrame 1.0 Secret salt ", suiteId, kid);
}

Result<SframeKeys> SframeKeys::derive(CipherSuite suite, uint64_t kid, ByteView baseKey)
{
    return derive(suiteParameters(suite), kid, baseKey);
}

Result<SframeKeys> SframeKeys::derive(const SuiteParameters& suite, uint64_t kid, ByteView baseKey)
{
    if (baseKey.size() < kMinBaseKeySize)
        return makeError("sframe.base_key_size",
                         "an SFrame base key must be at least 16 bytes (Conclave uses 32)");
    if (suite.keySize == 0 || suite.nonceSize < 8)
        return makeError("sframe.unknown_suite", "the SFrame cipher suite has no parameters");
    SframeKeys keys;
    keys.m_secret = hkdf::extract(suite.hash, {}, baseKey);
    auto key =
        hkdf::expand(suite.hash, keys.m_secret.view(), keyLabel(suite.id, kid), suite.keySize);
    auto salt =
        hkdf::expand(suite.hash, keys.m_secret.view(), saltLabel(suite.id, kid), suite.nonceSize);
    if (!key)
        return key.error();
    if (!salt)
        return salt.error();
    keys.m_key = std::move(*key);
    keys.m_salt = std::move(*salt);
    return keys;
}

void sframeNonce(ByteView salt, uint64_t counter, std::span<uint8_t> out)
{
    assert(out.size() == salt.size() && salt.size() >= 8);
    const size_t n = salt.size();
    for (size_t i = 0; i < n; ++i)
        out[i] = salt[i];
    for (size_t i = 0; i < 8; ++i)
        out[n - 1 - i] ^= static_cast<uint8_t>(counter >> (8 * i));
}

} // namespace conclave::crypto
