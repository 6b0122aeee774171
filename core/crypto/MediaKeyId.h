// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/SecureBuffer.h"

#include <cstdint>

namespace conclave::crypto {

/// Which of a sender's streams a media key protects.
enum class MediaContext : uint8_t { Audio = 0, Video = 1, Screen = 2 };

/// The SFrame key id of one sender's stream in one epoch (docs/e2ee.md §3):
///   KID = ctx << (S+E) | sender_index << E | (epoch mod 2^E),  S = 16, E = 4
/// so every KID fits in 3 bytes and each receiver holds exactly one key per KID.
struct MediaKeyId {
    static constexpr unsigned kSenderBits = 16;
    static constexpr unsigned kEpochBits = 4;
    static constexpr uint64_t kMaxKid = (uint64_t(MediaContext::Screen) + 1)
                                        << (kSenderBits + kEpochBits);

    MediaContext context = MediaContext::Audio;
    uint32_t senderIndex = 0;
    /// The epoch's low kEpochBits bits only.
    uint8_t epochBits = 0;

    /// keys.bad_kid for a sender index ≥ 2^16 or an unknown context.
    static Result<uint64_t> pack(MediaContext context, uint32_t senderIndex, uint64_t epoch);
    /// keys.bad_kid for a KID no sender could have (unknown context bits).
    static Result<MediaKeyId> unpack(uint64_t kid);

    uint64_t value() const;
    friend bool operator==(const MediaKeyId&, const MediaKeyId&) = default;
};

/// What the SFrame layer installs for one sender stream: the KID and its 32-byte base_key.
struct MediaKey {
    uint64_t kid = 0;
    SecureBuffer baseKey;
};

/// base_key = HKDF-Expand(ES_e, "conclave sframe base v1" ‖ index(4) ‖ ctx(1), 32), with the
/// KID for (ctx, index, epoch). The caller checks that `senderIndex` is in the epoch's roster.
Result<MediaKey> deriveMediaKey(const SecureBuffer& epochSecret, uint64_t epoch,
                                uint32_t senderIndex, MediaContext context);

} // namespace conclave::crypto
