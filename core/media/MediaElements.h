// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

namespace conclave::media {

/// Initialises GStreamer (once) and registers Conclave's own elements with it, statically
/// (no plugin files): conclavesframeenc, conclavesframedec, conclavevp8pay. Fails with
/// media.missing_element naming the first GStreamer element the media pipelines need that is
/// not installed (e.g. webrtcbin from gstreamer1.0-plugins-bad).
Result<void> initialiseMedia();

/// Starts making this process's DTLS certificate on a worker thread (once; a no-op after).
/// GStreamer makes one RSA-2048 certificate per process, the first time a DTLS element is made -
/// inside the first WebRTC negotiation, where its 0.1-0.6 s (prime search varies) was most of a
/// newcomer's admit-to-first-frame time. Called when a member's media starts (before it waits
/// to be admitted), so the certificate is ready by its first negotiation. Qt's global thread
/// pool runs it, which the application waits for before it exits.
void prepareDtlsCertificate();

} // namespace conclave::media
