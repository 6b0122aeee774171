// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/LocalStreams.h"
#include "media/MediaOptions.h"
#include "media/StreamKind.h"

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include <array>
#include <utility>
#include <vector>

namespace conclave::media {

/// The pieces every WebRTC link here is built from - a mesh PeerLink and the Janus publish and
/// subscribe links - so they are built one way.

/// The webrtcbin sink pad (and so the m-line) of each of this member's streams, in the order
/// every sending link adds them: the mesh's offerer and answerer and the Janus publisher agree.
inline constexpr std::array<std::pair<StreamKind, const char*>, 3> kSenderPads{{
    {StreamKind::Audio, "sink_0"},
    {StreamKind::Camera, "sink_1"},
    {StreamKind::Screen, "sink_2"},
}};

/// An element of `factory`; aborts when it is missing (initialiseMedia checked them all).
GstElement* makeElement(const char* factory);

/// A webrtcbin added to `pipeline` (not yet synced with it): one bundled transport, the
/// options' jitter buffer latency, ICE host candidates only on the options' local addresses
/// when there are any, the options' TURN servers and, with relayOnly, the "relay" ICE
/// transport policy.
GstElement* addWebrtcbin(GstElement* pipeline, const MediaOptions& options);

/// queue ! payloader for one of this member's (already protected) streams, linked to `sink`
/// (a webrtcbin sink pad) and synced with `pipeline`; the caller adds its probes and then
/// links the stream's tee output to queue's sink pad. The queue is leaky, so one slow link
/// never holds up the others; the payloader never parses the protected frame
/// (conclavevp8pay, or rtpopuspay for audio). `ssrc` 0 leaves the payloader's own.
struct SendBranch {
    GstElement* queue = nullptr;
    GstElement* payloader = nullptr;
};
SendBranch addSendBranch(GstElement* pipeline, StreamKind kind, GstPad* sink, guint ssrc = 0);

/// Takes a link out of a running pipeline: its tee outputs are unhooked and given back first
/// (the other links keep flowing), then its elements are stopped and removed.
void removeLink(GstElement* pipeline, LocalStreams& local,
                const std::vector<std::pair<StreamKind, GstPad*>>& outputs,
                const std::vector<GstElement*>& elements);

/// The offer or answer ("offer" / "answer") webrtcbin put in a create-offer/create-answer
/// promise's reply (nullptr when none); the promise is released.
GstWebRTCSessionDescription* takeDescription(GstPromise* promise, const char* field);

} // namespace conclave::media
