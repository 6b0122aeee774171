// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SframeAead.h"

#include "crypto/Blake2b.h"
#include "crypto/SframeKeys.h"

#include <sodium.h>

#include <cassert>
#include <cstring>

namespace conclave::crypto {
namespace {

constexpr size_t kKeySize = 32;
constexpr size_t kSaltSize = 12;
constexpr size_t kAlign = 16;

size_t stateSize(CipherSuite suite)
{
    return suite == CipherSuite::Aes256GcmSha512_128 ? sizeof(crypto_aead_aes256gcm_state) : 0;
}

/// Wipes the nonce when the frame is done: with the public counter it would reveal the salt.
class Nonce {
public:
    Nonce(const uint8_t* salt, uint64_t counter)
    {
        sframeNonce(ByteView(salt, kSaltSize), counter, m_bytes);
    }
    ~Nonce() { sodium_memzero(m_bytes, sizeof m_bytes); }
    Nonce(const Nonce&) = delete;
    Nonce& operator=(const Nonce&) = delete;
    const uint8_t* data() const { return m_bytes; }

private:
    uint8_t m_bytes[kSaltSize];
};

} // namespace

SframeAead::SframeAead(CipherSuite suite, SecureBuffer buffer, size_t offset)
    : m_suite(suite), m_buffer(std::move(buffer)), m_offset(offset)
{
}

Result<SframeAead> SframeAead::create(CipherSuite suite, uint64_t kid, ByteView baseKey)
{
    if (auto available = checkSuiteAvailable(suite); !available)
        return available.error();
    auto keys = SframeKeys::derive(suite, kid, baseKey);
    if (!keys)
        return keys.error();
    assert(keys->key().size() == kKeySize && keys->salt().size() == kSaltSize);

    // crypto_aead_aes256gcm_state must be 16-byte aligned. sodium_malloc does not promise
    // alignment (it places the block against a guard page), so align inside the block.
    const size_t payload = stateSize(suite) + kKeySize + kSaltSize;
    SecureBuffer buffer(payload + kAlign);
    const auto address = reinterpret_cast<uintptr_t>(buffer.data());
    const size_t offset = (kAlign - address % kAlign) % kAlign;
    SframeAead aead(suite, std::move(buffer), offset);

    std::memcpy(aead.state() + stateSize(suite), keys->key().data(), kKeySize);
    std::memcpy(aead.state() + stateSize(suite) + kKeySize, keys->salt().data(), kSaltSize);
    if (suite == CipherSuite::Aes256GcmSha512_128) {
        auto* aes = reinterpret_cast<crypto_aead_aes256gcm_state*>(aead.state());
        if (crypto_aead_aes256gcm_beforenm(aes, aead.key()) != 0)
            return makeError("sframe.suite_unavailable",
                             "libsodium could not prepare an AES-256-GCM key on this computer");
    }
    return aead;
}

uint8_t* SframeAead::state()
{
    return m_buffer.data() + m_offset;
}

const uint8_t* SframeAead::state() const
{
    return m_buffer.data() + m_offset;
}

const uint8_t* SframeAead::key() const
{
    return state() + stateSize(m_suite);
}

const uint8_t* SframeAead::salt() const
{
    return key() + kKeySize;
}

void SframeAead::seal(uint64_t counter, ByteView aad, ByteView payload,
                      std::span<uint8_t> out) const
{
    assert(out.size() == payload.size() + kTagSize);
    const Nonce nonce(salt(), counter);
    unsigned long long written = 0;
    if (m_suite == CipherSuite::Aes256GcmSha512_128) {
        crypto_aead_aes256gcm_encrypt_afternm(
            out.data(), &written, payload.data(), payload.size(), aad.data(), aad.size(), nullptr,
            nonce.data(), reinterpret_cast<const crypto_aead_aes256gcm_state*>(state()));
    } else {
        crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &written, payload.data(),
                                                  payload.size(), aad.data(), aad.size(), nullptr,
                                                  nonce.data(), key());
    }
    assert(written == out.size());
}

bool SframeAead::open(uint64_t counter, ByteView aad, ByteView ciphertext,
                      std::span<uint8_t> out) const
{
    assert(ciphertext.size() >= kTagSize && out.size() == ciphertext.size() - kTagSize);
    const Nonce nonce(salt(), counter);
    unsigned long long written = 0;
    int rc = 0;
    if (m_suite == CipherSuite::Aes256GcmSha512_128) {
        rc = crypto_aead_aes256gcm_decrypt_afternm(
            out.data(), &written, nullptr, ciphertext.data(), ciphertext.size(), aad.data(),
            aad.size(), nonce.data(),
            reinterpret_cast<const crypto_aead_aes256gcm_state*>(state()));
    } else {
        rc = crypto_aead_chacha20poly1305_ietf_decrypt(out.data(), &written, nullptr,
                                                       ciphertext.data(), ciphertext.size(),
                                                       aad.data(), aad.size(), nonce.data(), key());
    }
    if (rc != 0) {
        // Never hand back unauthenticated plaintext, even partly.
        sodium_memzero(out.data(), out.size());
        return false;
    }
    return true;
}

bool SframeAead::sameKeyAs(const SframeAead& other) const
{
    return m_suite == other.m_suite && sodium_memcmp(key(), other.key(), kKeySize + kSaltSize) == 0;
}

Bytes SframeAead::fingerprint() const
{
    const uint8_t suiteId[2] = {static_cast<uint8_t>(uint16_t(m_suite) >> 8),
                                static_cast<uint8_t>(uint16_t(m_suite))};
    return Blake2b(32)
        .update(asBytes("conclave sframe key fingerprint v1"))
        .update(ByteView(suiteId, 2))
        .update(ByteView(key(), kKeySize + kSaltSize))
        .finish();
}

} // namespace conclave::crypto
