// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/SframeCipherSuite.h"
#include "crypto/SframeReceiver.h"

#include <gst/gst.h>

#include <cstdint>

namespace conclave::media {

/// `conclavesframedec`: opens SFrame-protected frames of one remote member's stream with the
/// keys the meeting layer installed (one per KID: the sender's current and, for a few seconds,
/// previous epoch). A frame that does not open - unknown KID, wrong key, altered, replayed -
/// is dropped and counted, never passed on; after a failure it asks upstream (the sender, via
/// RTCP) for a keyframe, at most once a second, so decoding resumes as soon as keys match.
namespace sframe_decrypt {

GType type();
Result<void> addKey(GstElement* element, uint64_t kid, crypto::CipherSuite suite,
                    crypto::ByteView baseKey);
/// Keeps `kid`'s key until `at` (frames from the old epoch still in flight), then wipes it.
void retireKey(GstElement* element, uint64_t kid, TimePoint at);
/// Wipes every retired key whose time is at or before `now` (frames also prune as they come).
void prune(GstElement* element, TimePoint now);
/// Wipes every key now (e.g. this member was removed).
void clearKeys(GstElement* element);
crypto::SframeReceiverStats stats(GstElement* element);

} // namespace sframe_decrypt
} // namespace conclave::media
