// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Fingerprint.h"

#include "crypto/Blake2b.h"

#include <cassert>
#include <cstdio>

namespace conclave::crypto {
namespace {

Bytes fingerprintHash(ByteView publicKey)
{
    return Blake2b(32).update(asBytes("conclave fingerprint v1")).update(publicKey).finish();
}

} // namespace

std::string groupedDigits(ByteView hash, size_t groups)
{
    assert(hash.size() >= groups * 5);
    std::string out;
    for (size_t g = 0; g < groups; ++g) {
        uint64_t value = 0;
        for (size_t i = 0; i < 5; ++i)
            value = (value << 8) | hash[g * 5 + i];
        char buf[8];
        std::snprintf(buf, sizeof buf, "%05u", static_cast<unsigned>(value % 100000));
        if (!out.empty())
            out += ' ';
        out += buf;
    }
    return out;
}

std::string publicKeyFingerprint(ByteView publicKey)
{
    return groupedDigits(fingerprintHash(publicKey), 6);
}

std::string publicKeyId(ByteView publicKey)
{
    const Bytes hash = fingerprintHash(publicKey);
    return toHex(ByteView(hash).first(8));
}

} // namespace conclave::crypto
