// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"

#include <cstddef>
#include <cstdint>

namespace conclave::crypto {

/// The codec of a media stream, as far as SFrame cares: it decides the clear prefix.
/// Screen share VP8 is Vp8.
enum class MediaCodec : uint8_t { Opus, Vp8 };

/// The leading bytes of a frame that stay readable (authenticated, not encrypted) so the RTP
/// packetiser and SFUs still see a normal frame (docs/e2ee.md §2): VP8 keyframe 10 bytes
/// (frame tag, start code, dimensions), VP8 delta frame 3 (frame tag), Opus 0.
class ClearPrefix {
public:
    static constexpr size_t kVp8KeyframeLength = 10;
    static constexpr size_t kVp8DeltaLength = 3;
    static constexpr size_t kMaxLength = kVp8KeyframeLength;

    /// The prefix length of `frame` (a plain frame, or a protected one: the prefix comes first
    /// in both). Refuses a codec it does not know and a frame not longer than its prefix.
    static Result<size_t> length(MediaCodec codec, ByteView frame);
};

} // namespace conclave::crypto
