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

/// The AEAD of one KID, ready to use: the derived sframe_key (for AES-256-GCM already
/// expanded by crypto_aead_aes256gcm_beforenm, so no frame pays for the key schedule) and the
/// sframe_salt, all in one guarded buffer. nonce = salt XOR counter is formed per call on the
/// stack and wiped. Shared by SframeSender and SframeReceiver; knows nothing of counters'
/// history, headers or codecs.
class SframeAead {
public:
    static constexpr size_t kTagSize = 16;

    /// Derives the KID's key and salt from `baseKey` (RFC 9605 §4.4.2). Refuses a suite this
    /// CPU cannot run and base keys shorter than 16 bytes.
    static Result<SframeAead> create(CipherSuite suite, uint64_t kid, ByteView baseKey);

    CipherSuite suite() const { return m_suite; }

    /// Writes ciphertext ‖ tag (payload.size() + 16 bytes) to `out`, which must not overlap
    /// `payload`.
    void seal(uint64_t counter, ByteView aad, ByteView payload, std::span<uint8_t> out) const;
    /// Writes the payload (ciphertext.size() − 16 bytes) to `out`; false, with `out` wiped,
    /// when the tag does not verify.
    bool open(uint64_t counter, ByteView aad, ByteView ciphertext, std::span<uint8_t> out) const;

    /// Whether both hold the same suite, key and salt (constant time).
    bool sameKeyAs(const SframeAead& other) const;
    /// BLAKE2b of key and salt, so a sender can remember which keys it has used without
    /// keeping them.
    Bytes fingerprint() const;

private:
    SframeAead(CipherSuite suite, SecureBuffer buffer, size_t offset);

    uint8_t* state();
    const uint8_t* state() const;
    const uint8_t* key() const;
    const uint8_t* salt() const;

    CipherSuite m_suite = CipherSuite::ChaCha20Poly1305Sha256;
    SecureBuffer m_buffer; // padding to 16-byte alignment, [AES state], key(32), salt(12)
    size_t m_offset = 0;
};

} // namespace conclave::crypto
