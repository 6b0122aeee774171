// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

namespace conclave::media {

/// Initialises GStreamer (once) and registers Conclave's own elements with it, statically
/// (no plugin files): conclavesframeenc, conclavesframedec, conclavevp8pay. Fails with
/// media.missing_element naming the first GStreamer element the media pipelines need that is
/// not installed (e.g. webrtcbin from gstreamer1.0-plugins-bad).
Result<void> initialiseMedia();

} // namespace conclave::media
