// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/StreamKind.h"

#include <chrono>
#include <cstdint>
#include <optional>

namespace conclave::media {

/// One stream received from one peer, as the UI and conclave-cli report it.
struct StreamStats {
    uint32_t peer = 0; ///< the sender's index in the meeting roster
    StreamKind kind = StreamKind::Audio;
    uint64_t framesReceived = 0;  ///< reached SFrame decrypt
    uint64_t framesDecrypted = 0; ///< opened with a meeting key
    uint64_t decryptFailures = 0; ///< unknown key, wrong key, altered or replayed: dropped
    uint64_t unknownKey = 0;      ///< of which: no key for the frame's KID (e.g. an old epoch)
    uint64_t framesDecoded = 0;
    uint64_t bytesReceived = 0; ///< protected frame bytes
    double framesPerSecond = 0; ///< decoded, over the time since the previous stats() call
    double bitsPerSecond = 0;   ///< received, over the same time
    /// RTP packets that never reached the depayloader in time (RtpLossCounter): lost on the
    /// way and not retransmitted, or too late for the jitter buffer.
    int64_t packetsLost = 0;
    uint64_t packetsReceived = 0;
    int width = 0; ///< video, from the decoder's output
    int height = 0;
    /// From the link's creation (the moment both were in the meeting) to the first decoded frame.
    std::optional<std::chrono::milliseconds> firstFrameAfter;
};

} // namespace conclave::media
