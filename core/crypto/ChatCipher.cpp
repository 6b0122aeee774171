// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ChatCipher.h"

#include "crypto/Hkdf.h"
#include "crypto/ScheduleWire.h"
#include "crypto/Sodium.h"

#include <sodium.h>

namespace conclave::crypto::chat_cipher {

Result<SecureBuffer> deriveKey(const SecureBuffer& epochSecret, uint64_t epoch)
{
    Bytes info;
    schedule_wire::putLabel(info, "conclave chat v1");
    schedule_wire::putU64(info, epoch);
    return hkdf::expand(HashAlgorithm::Sha256, epochSecret.view(), info, 32);
}

Sealed seal(const SecureBuffer& chatKey, ByteView aad, ByteView plaintext)
{
    ensureSodium();
    Sealed out;
    randombytes_buf(out.nonce.data(), out.nonce.size());
    out.ciphertext.resize(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long length = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.ciphertext.data(), &length, plaintext.data(),
                                               plaintext.size(), aad.data(), aad.size(), nullptr,
                                               out.nonce.data(), chatKey.data());
    out.ciphertext.resize(size_t(length));
    return out;
}

Result<Bytes> open(const SecureBuffer& chatKey, ByteView aad, ByteView nonce, ByteView ciphertext)
{
    ensureSodium();
    if (nonce.size() != kNonceSize ||
        ciphertext.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES ||
        chatKey.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
        return makeError("chat.undecryptable", "the chat message is malformed");
    Bytes plain(ciphertext.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES);
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &length, nullptr,
                                                   ciphertext.data(), ciphertext.size(), aad.data(),
                                                   aad.size(), nonce.data(), chatKey.data()) != 0)
        return makeError(
            "chat.undecryptable",
            "a chat message could not be decrypted (wrong epoch or altered); it was dropped");
    plain.resize(size_t(length));
    return plain;
}

} // namespace conclave::crypto::chat_cipher
