// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/WrapKeyCache.h"

#include "crypto/Sodium.h"

#include <sodium.h>

#include <iterator>
#include <utility>

namespace conclave::crypto {

Result<SecureBuffer> WrapKeyCache::deriveWrapKey(const EphemeralKeyPair& own,
                                                 const X25519PublicKey& peer)
{
    ensureSodium();
    SecureBuffer shared(crypto_box_BEFORENMBYTES);
    if (crypto_box_beforenm(shared.data(), peer.bytes.data(), own.secret().data()) != 0)
        return makeError("keys.bad_ephemeral_key",
                         "a member's ephemeral key is not a usable X25519 key (it gives no "
                         "shared secret); that member must announce a new key");
    static constexpr char kLabel[] = "conclave wrap v1";
    SecureBuffer wrapKey(crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    crypto_generichash(wrapKey.data(), wrapKey.size(), reinterpret_cast<const uint8_t*>(kLabel),
                       sizeof kLabel - 1, shared.data(), shared.size());
    return wrapKey;
}

Result<const SecureBuffer*> WrapKeyCache::get(uint32_t index, const X25519PublicKey& peer,
                                              const EphemeralKeyPair& own)
{
    auto it = m_slots.find(index);
    if (it == m_slots.end() || !(it->second.peer == peer)) {
        auto key = deriveWrapKey(own, peer);
        if (!key)
            return key.error();
        it = m_slots.insert_or_assign(index, Slot{peer, std::move(key).value()}).first;
    }
    return &it->second.key;
}

void WrapKeyCache::retainOnly(const Roster& roster)
{
    for (auto it = m_slots.begin(); it != m_slots.end();)
        it = roster.find(it->first) ? std::next(it) : m_slots.erase(it);
}

} // namespace conclave::crypto
