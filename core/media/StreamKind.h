// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/ClearPrefix.h"
#include "crypto/MediaKeyId.h"

#include <array>
#include <optional>
#include <string_view>

namespace conclave::media {

/// The streams each member may send. Each has its own SFrame context (so its own keys: a
/// member without share permission is given no screen key by anyone, docs/media.md) and its
/// own m-line (in this order) and RTP payload type.
enum class StreamKind { Audio, Camera, Screen };

inline constexpr std::array<StreamKind, 3> kAllStreams{StreamKind::Audio, StreamKind::Camera,
                                                       StreamKind::Screen};

struct StreamTraits {
    crypto::MediaContext context;
    crypto::MediaCodec codec;
    int payloadType;
    const char* rtpCaps; ///< webrtcbin codec preference (payload type included)
    const char* name;    ///< in stats and logs
};

/// Transport-wide congestion control (transport-cc): a sequence number over all of a link's
/// packets, which the receiver reports on, so the sender learns loss and rate (CongestionControl).
/// webrtcbin 1.22 negotiates its header extension only when both sides' codec preferences carry
/// it (it never echoes an offered one); the payloaders then add it on their own. The same id on
/// every m-line, as BUNDLE requires.
#define CONCLAVE_TWCC_EXTMAP                                                                       \
    ",extmap-3=(string)\"http://www.ietf.org/id/"                                                  \
    "draft-holmer-rmcat-transport-wide-cc-extensions-01\""

inline StreamTraits traitsOf(StreamKind kind)
{
    switch (kind) {
    case StreamKind::Audio:
        return {crypto::MediaContext::Audio, crypto::MediaCodec::Opus, 97,
                "application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=97,"
                "encoding-params=(string)2" CONCLAVE_TWCC_EXTMAP,
                "audio"};
    case StreamKind::Camera:
        return {
            crypto::MediaContext::Video, crypto::MediaCodec::Vp8, 96,
            "application/"
            "x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96" CONCLAVE_TWCC_EXTMAP,
            "video"};
    case StreamKind::Screen:
        break;
    }
    return {crypto::MediaContext::Screen, crypto::MediaCodec::Vp8, 98,
            "application/"
            "x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=98" CONCLAVE_TWCC_EXTMAP,
            "screen"};
}

} // namespace conclave::media
