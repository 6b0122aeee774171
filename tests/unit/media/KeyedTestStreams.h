// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A member's sending side for tests of what is built on it: LocalStreams from low-resolution
// test sources (160x120, 10 fps), each stream keyed as the mesh keys it - without a key the
// encryptor drops every frame.

#include "crypto/MediaKeyId.h"
#include "crypto/SecureBuffer.h"
#include "media/LocalStreams.h"
#include "media/SframeEncrypt.h"

#include <memory>

namespace conclave::testsupport {

/// The streams in `pipeline` (not yet playing), or nullptr when they could not be built or
/// keyed.
inline std::unique_ptr<media::LocalStreams> keyedTestStreams(GstElement* pipeline,
                                                             int audioFrameMilliseconds = 20)
{
    media::MediaOptions options;
    options.audioFrameMilliseconds = audioFrameMilliseconds;
    options.testSources = true;
    options.width = 160;
    options.height = 120;
    options.framesPerSecond = 10;
    options.videoBitrate = 100000;
    auto made = media::LocalStreams::create(pipeline, options);
    if (!made)
        return nullptr;
    std::unique_ptr<media::LocalStreams> local = std::move(made).value();
    const auto key = crypto::SecureBuffer::random(32);
    for (media::StreamKind kind : {media::StreamKind::Audio, media::StreamKind::Camera}) {
        const uint64_t kid = crypto::MediaKeyId::pack(media::traitsOf(kind).context, 0, 1).value();
        if (!media::sframe_encrypt::setKey(local->encryptor(kind), kid,
                                           crypto::CipherSuite::ChaCha20Poly1305Sha256, key.view()))
            return nullptr;
    }
    return local;
}

} // namespace conclave::testsupport
