// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Hkdf.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace conclave::crypto {

/// The SFrame cipher suites Conclave speaks (docs/e2ee.md §1). The values are the suite
/// identifiers that go into the key derivation labels and the signed meeting descriptor.
enum class CipherSuite : uint16_t {
    /// RFC 9605 AES_256_GCM_SHA512_128; needs AES-NI and PCLMUL in libsodium 1.0.18.
    Aes256GcmSha512_128 = 0x0005,
    /// Private suite: ChaCha20-Poly1305 (IETF) with HKDF-SHA-256; runs everywhere.
    ChaCha20Poly1305Sha256 = 0xF001,
};

/// The numbers RFC 9605 §4.5 gives for a suite. Kept separate from CipherSuite so the
/// suite-generic key derivation can also be checked against the RFC's suites 1–4, which
/// Conclave cannot encrypt with (libsodium has no AES-CTR+HMAC).
struct SuiteParameters {
    uint16_t id = 0;
    HashAlgorithm hash = HashAlgorithm::Sha256;
    size_t keySize = 0;   ///< Nk
    size_t nonceSize = 0; ///< Nn
    size_t tagSize = 0;   ///< Nt
};

SuiteParameters suiteParameters(CipherSuite suite);

/// The suite with this identifier, if Conclave speaks it (for decoding descriptors).
std::optional<CipherSuite> cipherSuiteFromId(uint16_t id);

std::string_view suiteName(CipherSuite suite);

/// Whether this CPU can run AES-256-GCM in libsodium (AES-NI and PCLMUL).
bool aesGcmAvailable();

/// Ok when `suite` can run here. `aesAvailable` is only a parameter so the refusal can be
/// tested on machines that have AES-NI; callers leave it at its default.
Result<void> checkSuiteAvailable(CipherSuite suite, bool aesAvailable = aesGcmAvailable());

} // namespace conclave::crypto
