// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SframeCipherSuite.h"

#include "crypto/Sodium.h"

#include <sodium.h>

namespace conclave::crypto {

SuiteParameters suiteParameters(CipherSuite suite)
{
    switch (suite) {
    case CipherSuite::Aes256GcmSha512_128:
        return {0x0005, HashAlgorithm::Sha512, 32, 12, 16};
    case CipherSuite::ChaCha20Poly1305Sha256:
        return {0xF001, HashAlgorithm::Sha256, 32, 12, 16};
    }
    return {};
}

std::optional<CipherSuite> cipherSuiteFromId(uint16_t id)
{
    switch (id) {
    case 0x0005:
        return CipherSuite::Aes256GcmSha512_128;
    case 0xF001:
        return CipherSuite::ChaCha20Poly1305Sha256;
    default:
        return std::nullopt;
    }
}

std::string_view suiteName(CipherSuite suite)
{
    switch (suite) {
    case CipherSuite::Aes256GcmSha512_128:
        return "AES_256_GCM_SHA512_128";
    case CipherSuite::ChaCha20Poly1305Sha256:
        return "CHACHA20_POLY1305_SHA256 (private 0xF001)";
    }
    return "unknown";
}

bool aesGcmAvailable()
{
    // sodium_init() is what probes the CPU; asking before it always answers "no".
    ensureSodium();
    return crypto_aead_aes256gcm_is_available() == 1;
}

Result<void> checkSuiteAvailable(CipherSuite suite, bool aesAvailable)
{
    switch (suite) {
    case CipherSuite::ChaCha20Poly1305Sha256:
        return {};
    case CipherSuite::Aes256GcmSha512_128:
        if (aesAvailable)
            return {};
        return makeError("sframe.suite_unavailable",
                         "this computer's processor lacks the AES instructions that cipher suite "
                         "AES_256_GCM_SHA512_128 needs; the meeting must use the ChaCha20-Poly1305 "
                         "suite (0xF001)");
    }
    return makeError("sframe.unknown_suite", "the SFrame cipher suite is not one Conclave speaks");
}

} // namespace conclave::crypto
