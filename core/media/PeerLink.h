// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "media/IceWatch.h"
#include "media/LocalStreams.h"
#include "media/MediaOptions.h"
#include "media/RemoteMember.h"
#include "media/SignalMessage.h"
#include "media/StreamStats.h"

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

namespace conclave::media {

/// The WebRTC connection between this member and one other in the mesh (MeshTransport: one
/// per pair of admitted members; the lower roster index offers). It sends the already
/// encrypted local streams (tee ! queue ! payloader ! webrtcbin) and hands each stream the
/// peer sends to the peer's RemoteMember, which decrypts and decodes it. Only carriage: the
/// keys are the RemoteMember's.
///
/// GStreamer calls back on its own threads: `sendSignal` may be called from any thread, and
/// the owner must hand it to its own thread. Destroying the link takes its streams from the
/// RemoteMember and tears its elements down while the rest of the pipeline keeps running.
class PeerLink {
public:
    using SignalSender = std::function<void(const SignalMessage&)>;
    /// The old spelling, so code written against it still builds (media/SinkFactory.h).
    using SinkFactory = media::SinkFactory;

    /// `remote` outlives the link and receives the peer's streams. `reportProblem` (any
    /// thread) hears when the link cannot carry media: no relay from the TURN servers, no ICE
    /// path (IceWatch).
    PeerLink(GstElement* pipeline, LocalStreams& local, const MediaOptions& options,
             RemoteMember& remote, bool offerer, SignalSender sendSignal,
             IceWatch::Reporter reportProblem = {});
    ~PeerLink();
    PeerLink(const PeerLink&) = delete;
    PeerLink& operator=(const PeerLink&) = delete;

    uint32_t peer() const { return m_remote.index(); }
    /// An offer, answer or ICE candidate from the peer (through the hub, signed).
    Result<void> onSignal(const SignalMessage& message);
    /// Until this is called nothing is sent to the peer: frames this member encrypted under
    /// an epoch the newcomer never had would only fail at its end (docs/media.md).
    /// Protected frame bytes this link has carried to its peer so far (the uplink it costs).
    uint64_t bytesSent() const { return m_bytesSent; }
    void startSending();
    bool sending() const { return m_sending; }
    /// The link's webrtcbin: its congestion feedback (CongestionControl).
    GstElement* webrtc() const { return m_webrtc; }

private:
    void addSender(StreamKind kind, const char* padName);
    void onNegotiationNeeded();
    /// Our offer or answer is ready: set it locally and send it to the peer.
    void onDescriptionCreated(GstPromise* promise, SignalMessage::Type type);
    void onIceCandidate(guint mline, const char* candidate);
    void onPadAdded(GstPad* pad);
    void setRemoteDescription(GstWebRTCSDPType type, const QString& sdp);

    static void negotiationNeeded(GstElement*, gpointer self);
    static void iceCandidate(GstElement*, guint mline, gchar* candidate, gpointer self);
    static void padAdded(GstElement*, GstPad* pad, gpointer self);
    static GstPadProbeReturn holdUntilStarted(GstPad* pad, GstPadProbeInfo* info, gpointer self);

    GstElement* m_pipeline;
    LocalStreams& m_local;
    MediaOptions m_options;
    RemoteMember& m_remote;
    bool m_offerer;
    SignalSender m_sendSignal;
    GstElement* m_webrtc = nullptr;
    std::unique_ptr<IceWatch> m_iceWatch;
    std::vector<GstElement*> m_elements; ///< the send side and webrtcbin (for teardown)
    std::vector<std::pair<StreamKind, GstPad*>> m_outputs; ///< from LocalStreams::requestOutput
    std::atomic<bool> m_offered{false};
    std::atomic<bool> m_sending{false};
    std::atomic<uint64_t> m_bytesSent{0}; ///< protected frame bytes handed to this link

    mutable std::mutex m_mutex; ///< guards what pad-added (a streaming thread) touches below
    /// Streams handed to the RemoteMember (taken back when the link goes).
    std::set<StreamKind> m_received;
};

} // namespace conclave::media
