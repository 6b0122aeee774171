// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/Roster.h"
#include "crypto/SecureBuffer.h"

#include <cstdint>
#include <map>

namespace conclave::crypto {

/// Pairwise wrap keys between this device's ephemeral key and each peer's (docs/e2ee.md §3):
///   K_m      = crypto_box_beforenm(peer_eph_pub, own_eph_secret)
///   wrap_key = BLAKE2b-256 keyed with K_m over "conclave wrap v1"
/// One X25519 per peer per meeting: a rekey to N members then costs N symmetric wraps and no
/// public-key operation. Only wrap_key is kept (K_m is wiped at once), so nothing else can be
/// done with the shared secret.
class WrapKeyCache {
public:
    /// The wrap key between `own` and `peer`; keys.bad_ephemeral_key for a peer key that gives
    /// an all-zero shared secret (a low-order point), which would make the wrap public.
    static Result<SecureBuffer> deriveWrapKey(const EphemeralKeyPair& own,
                                              const X25519PublicKey& peer);

    /// The cached key for sender `index`, computed on first use. A different peer key under
    /// the same index replaces the cached key rather than reusing it.
    Result<const SecureBuffer*> get(uint32_t index, const X25519PublicKey& peer,
                                    const EphemeralKeyPair& own);
    /// Drops (wipes) the keys of everyone not in `roster`.
    void retainOnly(const Roster& roster);
    void clear() { m_slots.clear(); }

    bool contains(uint32_t index) const { return m_slots.count(index) != 0; }
    size_t size() const { return m_slots.size(); }

private:
    struct Slot {
        X25519PublicKey peer;
        SecureBuffer key;
    };
    std::map<uint32_t, Slot> m_slots;
};

} // namespace conclave::crypto
