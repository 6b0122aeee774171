// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "janus/VideoRoomPublisher.h"
#include "media/IceWatch.h"
#include "media/LocalStreams.h"
#include "media/MediaOptions.h"
#include "media/StreamKind.h"

#include <QObject>

#include <gst/gst.h>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace conclave::media {

/// This member's streams sent once to Janus (docs/media.md "Janus links", docs/scaling.md):
/// one webrtcbin with a SENDONLY transceiver per local stream (audio opus, camera vp8, screen
/// vp8, in that order), each fed from LocalStreams' tee through queue ! payloader - the same
/// already SFrame-protected frames the mesh sends; Janus forwards them without reading them (it
/// sees only the VP8 clear prefix). The offer goes out through the member's VideoRoomPublisher
/// (joined), Janus's answer comes back in. Janus's keyframe requests (RTCP PLI/FIR) arrive as
/// upstream force-key-unit events and travel up the tee to the encoder.
///
/// Lives on the Qt thread; webrtcbin's callbacks (its own threads) are handed over with queued
/// calls. Destroying the link unhooks it from the tees while the rest of the pipeline runs.
class JanusPublishLink : public QObject {
    Q_OBJECT
public:
    /// `reportProblem` (any thread) hears when the link cannot carry media: no relay from the
    /// TURN servers, no ICE path to Janus (IceWatch).
    JanusPublishLink(GstElement* pipeline, LocalStreams& local, const MediaOptions& options,
                     janus::VideoRoomPublisher& publisher, IceWatch::Reporter reportProblem = {},
                     QObject* parent = nullptr);
    ~JanusPublishLink() override;
    JanusPublishLink(const JanusPublishLink&) = delete;
    JanusPublishLink& operator=(const JanusPublishLink&) = delete;

    /// Makes the offer, publishes it and sets Janus's answer; `done` gets the outcome once.
    void start(std::function<void(Result<void>)> done);
    /// Keyframe requests (upstream force-key-unit events) webrtcbin passed up for `kind`:
    /// Janus's PLI/FIR on their way to the encoder.
    uint64_t keyframeRequests(StreamKind kind) const;
    /// Protected frame bytes handed to Janus so far (this member's whole uplink for media).
    uint64_t bytesSent() const { return m_bytesSent; }
    /// The link's webrtcbin: Janus's congestion feedback (CongestionControl).
    GstElement* webrtc() const { return m_webrtc; }

private:
    void addSender(StreamKind kind, const char* padName);
    void onOfferCreated(GstPromise* promise);
    void publish(const QString& sdp);
    void finish(Result<void> outcome);

    static void iceCandidate(GstElement*, guint mline, gchar* candidate, gpointer self);
    static GstPadProbeReturn countBytes(GstPad* pad, GstPadProbeInfo* info, gpointer counter);
    static GstPadProbeReturn countKeyframeRequest(GstPad* pad, GstPadProbeInfo* info,
                                                  gpointer counter);

    GstElement* m_pipeline;
    LocalStreams& m_local;
    MediaOptions m_options;
    janus::VideoRoomPublisher& m_publisher;
    GstElement* m_webrtc = nullptr;
    std::unique_ptr<IceWatch> m_iceWatch;
    std::vector<GstElement*> m_elements;                   ///< added for this link (teardown)
    std::vector<std::pair<StreamKind, GstPad*>> m_outputs; ///< from LocalStreams::requestOutput
    std::vector<StreamKind> m_order;                       ///< the stream of each m-line
    std::array<std::atomic<uint64_t>, 3> m_keyframeRequests{};
    std::atomic<uint64_t> m_bytesSent{0};
    std::function<void(Result<void>)> m_done;
};

} // namespace conclave::media
