// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ClearPrefix.h"

namespace conclave::crypto {

Result<size_t> ClearPrefix::length(MediaCodec codec, ByteView frame)
{
    size_t prefix = 0;
    switch (codec) {
    case MediaCodec::Opus:
        prefix = 0;
        break;
    case MediaCodec::Vp8:
        if (frame.empty())
            return makeError("sframe.frame_too_short", "the VP8 frame is empty");
        // VP8 frame tag (RFC 6386 §9.1): bit 0 clear means keyframe.
        prefix = (frame[0] & 0x01) == 0 ? kVp8KeyframeLength : kVp8DeltaLength;
        break;
    default:
        return makeError("sframe.unknown_codec",
                         "the stream's codec is unknown, so its clear prefix cannot be found");
    }
    if (frame.size() <= prefix)
        return makeError("sframe.frame_too_short",
                         "the frame is not longer than its codec's clear prefix, so it carries "
                         "nothing to protect");
    return prefix;
}

} // namespace conclave::crypto
