// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/ClearPrefix.h"

#include <gst/gst.h>

#include <optional>

namespace conclave::media {

/// The encoded-frame caps the SFrame elements accept (same on both sides: SFrame changes the
/// bytes, not the format as far as the pipeline is concerned).
inline constexpr const char* kFrameCaps = "video/x-vp8; audio/x-opus";

/// Which codec (and so which clear prefix) a stream has: Vp8 for video/x-vp8, Opus for
/// audio/x-opus, nothing for anything else.
std::optional<crypto::MediaCodec> codecOfCaps(const GstCaps* caps);

/// Adds "sink" and "src" always-pads with kFrameCaps to an element class.
void addFramePadTemplates(GstElementClass* elementClass);

} // namespace conclave::media
