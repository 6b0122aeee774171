// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/MeetingId.h"
#include "crypto/Roster.h"
#include "crypto/SecureBuffer.h"

#include <array>
#include <cstddef>
#include <cstdint>

/// Wrapping an epoch input to one member (docs/e2ee.md §3, "Wrapping"):
///   nonce = first 24 bytes of H("conclave wrap nonce v1" ‖ meeting_id ‖ epoch(8) ‖ index(4))
///   aad   = "conclave wrap aad v1" ‖ meeting_id ‖ epoch(8) ‖ roster_hash ‖ index(4)
///   wrap  = XChaCha20-Poly1305(wrap_key, nonce, aad, I_e)        (48 bytes)
/// The nonce is derived, never sent; the AAD binds the wrap to its COMMIT's roster.
namespace conclave::crypto::epoch_wrap {

inline constexpr size_t kWrapSize = 48;
inline constexpr size_t kNonceSize = 24;
using Wrap = std::array<uint8_t, kWrapSize>;

/// Where a wrap belongs: the same values appear in the COMMIT that carries it.
struct WrapContext {
    MeetingId meetingId;
    uint64_t epoch = 0;
    RosterHash rosterHash{};
};

std::array<uint8_t, kNonceSize> nonce(const MeetingId& meetingId, uint64_t epoch, uint32_t index);
Bytes aad(const WrapContext& context, uint32_t index);

/// `wrapKey` from WrapKeyCache; `input` is the 32-byte epoch input.
Wrap seal(const SecureBuffer& wrapKey, const WrapContext& context, uint32_t index,
          const SecureBuffer& input);
/// commit.unwrap_failed when the key, context, index or any byte of the wrap differs.
Result<SecureBuffer> open(const SecureBuffer& wrapKey, const WrapContext& context, uint32_t index,
                          ByteView wrap);

} // namespace conclave::crypto::epoch_wrap
