// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"
#include "crypto/SframeCipherSuite.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace conclave::crypto {

/// The keys of one KID, RFC 9605 §4.4.2:
///   sframe_secret = HKDF-Extract("", base_key)
///   sframe_key    = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret key "  ‖ KID(8) ‖ suite(2), Nk)
///   sframe_salt   = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret salt " ‖ KID(8) ‖ suite(2), Nn)
/// with the suite's hash. The secret is kept only so the RFC vectors can check it.
class SframeKeys {
public:
    /// Smallest base key accepted. Conclave's base keys are 32 bytes; the RFC vectors use 16.
    static constexpr size_t kMinBaseKeySize = 16;

    static Result<SframeKeys> derive(CipherSuite suite, uint64_t kid, ByteView baseKey);
    /// Suite-generic form, for suites Conclave cannot encrypt with (RFC vectors 1–4).
    static Result<SframeKeys> derive(const SuiteParameters& suite, uint64_t kid, ByteView baseKey);

    /// "SFrame 1.0 Secret key " ‖ KID(8) ‖ suite(2) and its "salt" sibling; not secret.
    static Bytes keyLabel(uint16_t suiteId, uint64_t kid);
    static Bytes saltLabel(uint16_t suiteId, uint64_t kid);

    const SecureBuffer& secret() const { return m_secret; }
    const SecureBuffer& key() const { return m_key; }
    const SecureBuffer& salt() const { return m_salt; }

private:
    SecureBuffer m_secret;
    SecureBuffer m_key;
    SecureBuffer m_salt;
};

/// nonce = salt XOR (counter as salt.size()-byte big-endian), RFC 9605 §4.4.3. `out` must be
/// salt.size() bytes. The nonce reveals the salt, so callers wipe it after use.
void sframeNonce(ByteView salt, uint64_t counter, std::span<uint8_t> out);

} // namespace conclave::crypto
