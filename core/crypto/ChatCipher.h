// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"

#include <array>
#include <cstdint>

namespace conclave::crypto {

/// Chat messages travel through the hub encrypted with a key of the current epoch, so the
/// hub (and anyone removed) reads nothing (docs/e2ee.md §3, "Chat").
///   chat_key = HKDF-Expand(ES_e, "conclave chat v1" ‖ epoch(8), 32)
///   sealed   = XChaCha20-Poly1305(chat_key, random 24-byte nonce, aad, plaintext)
/// The AAD binds the meeting, epoch and sender, so a message cannot be replayed under another
/// sender or epoch.
namespace chat_cipher {

inline constexpr size_t kNonceSize = 24;

Result<SecureBuffer> deriveKey(const SecureBuffer& epochSecret, uint64_t epoch);

struct Sealed {
    std::array<uint8_t, kNonceSize> nonce{};
    Bytes ciphertext;
};

Sealed seal(const SecureBuffer& chatKey, ByteView aad, ByteView plaintext);
/// "chat.undecryptable" when the key, AAD or any byte is wrong.
Result<Bytes> open(const SecureBuffer& chatKey, ByteView aad, ByteView nonce, ByteView ciphertext);

} // namespace chat_cipher
} // namespace conclave::crypto
