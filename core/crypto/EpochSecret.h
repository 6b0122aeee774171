// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Roster.h"
#include "crypto/SecureBuffer.h"

#include <cstddef>

/// The epoch secret schedule (docs/e2ee.md §3). Every epoch secret is
///   ES_e = HKDF-Extract(salt = BLAKE2b-256("conclave epoch salt v1" ‖ roster_hash_e ‖
///                                          descriptor_hash_e), IKM = I_e)
/// where the epoch input I_e is fresh randomness (epoch 0 and every rekey) or the ratchet
/// HKDF-Expand(ES_{e-1}, "conclave join", 32) (admit). Mixing the roster hash into every epoch
/// means two clients that were shown different rosters never share a key; mixing the hash of
/// the signed meeting descriptor means a client shown another revision of the meeting (say an
/// old one with a lower marking) never shares a key with those shown the current one.
namespace conclave::crypto::epoch_secret {

inline constexpr size_t kSize = 32;

/// I_e for an admit. One-way, so a newcomer given I_e learns nothing about ES_{e-1}.
Result<SecureBuffer> admitInput(const SecureBuffer& previous);
/// I_e for epoch 0 and every rekey: 32 random bytes, unrelated to any earlier epoch.
SecureBuffer freshInput();
/// ES_e from the epoch's roster hash, descriptor hash and input.
SecureBuffer derive(const RosterHash& rosterHash, const DescriptorHash& descriptorHash,
                    const SecureBuffer& input);

} // namespace conclave::crypto::epoch_secret
