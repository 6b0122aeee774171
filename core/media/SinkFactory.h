// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/StreamKind.h"

#include <gst/gst.h>

#include <cstdint>
#include <functional>

namespace conclave::media {

/// The element a decoded stream of member `peer` ends in (a video widget's sink, say);
/// nullptr: a fakesink. Called on GStreamer's streaming threads: it makes elements only.
using SinkFactory = std::function<GstElement*(uint32_t peer, StreamKind kind)>;

} // namespace conclave::media
