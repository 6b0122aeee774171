// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/SframeCipherSuite.h"

#include <gst/gst.h>

#include <cstdint>

namespace conclave::media {

/// Counters of one `conclavesframeenc` element.
struct SframeEncryptStats {
    uint64_t protectedFrames = 0;
    uint64_t droppedWithoutKey = 0; ///< no key yet (or any more): nothing leaves in the clear
    uint64_t failed = 0;            ///< protect refused (e.g. counter limit, malformed frame)
};

/// `conclavesframeenc`: SFrame-protects every encoded frame (video/x-vp8 or audio/x-opus, caps
/// unchanged) of this member's stream under the key the meeting layer set last
/// (docs/e2ee.md §2). Without a key it drops frames: nothing is ever sent in the clear. A key
/// change asks upstream for a keyframe, so anyone who just got the key can start decoding.
/// Keys are set from any thread; frames are protected on the streaming thread.
namespace sframe_encrypt {

GType type();
/// Installs `kid`'s key and protects every later frame with it.
Result<void> setKey(GstElement* element, uint64_t kid, crypto::CipherSuite suite,
                    crypto::ByteView baseKey);
/// Forgets every key: frames are dropped until the next setKey (e.g. removed from a meeting).
void clearKeys(GstElement* element);
SframeEncryptStats stats(GstElement* element);

} // namespace sframe_encrypt
} // namespace conclave::media
