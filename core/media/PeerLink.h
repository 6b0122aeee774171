// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "crypto/Bytes.h"
#include "crypto/SecureBuffer.h"
#include "crypto/SframeCipherSuite.h"
#include "media/LocalStreams.h"
#include "media/MediaOptions.h"
#include "media/SignalMessage.h"
#include "media/StreamStats.h"

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

namespace conclave::media {

/// The WebRTC connection between this member and one other (mesh: one per pair of admitted
/// members; the lower roster index offers). It sends the already encrypted local streams
/// (tee ! queue ! payloader ! webrtcbin) and, for each stream the peer sends, builds
/// depayloader ! conclavesframedec ! decoder ! sink. The peer's keys are installed here per
/// stream kind; a kind with no key (e.g. screen share the chair did not allow) decrypts nothing.
///
/// GStreamer calls back on its own threads: `sendSignal` may be called from any thread, and
/// the owner must hand it to its own thread. Destroying the link tears its branch down while
/// the rest of the pipeline keeps running.
class PeerLink {
public:
    using SignalSender = std::function<void(const SignalMessage&)>;
    /// The element a decoded stream ends in (a video widget's sink, say); nullptr: a fakesink.
    using SinkFactory = std::function<GstElement*(uint32_t peer, StreamKind kind)>;

    PeerLink(GstElement* pipeline, LocalStreams& local, const MediaOptions& options,
             uint32_t peerIndex, bool offerer, SignalSender sendSignal, SinkFactory sinks);
    ~PeerLink();
    PeerLink(const PeerLink&) = delete;
    PeerLink& operator=(const PeerLink&) = delete;

    uint32_t peer() const { return m_peer; }
    /// An offer, answer or ICE candidate from the peer (through the hub, signed).
    Result<void> onSignal(const SignalMessage& message);

    /// The peer's key for one of its streams in the current epoch (kept until retired).
    /// Installing a key again that was retired leaves it retired.
    void setPeerKey(StreamKind kind, uint64_t kid, crypto::CipherSuite suite,
                    crypto::ByteView baseKey);
    /// Keeps an old key until `at` for frames still in flight, then wipes it - here and in a
    /// decryptor built later for the stream, whatever is installed in between.
    void retirePeerKey(StreamKind kind, uint64_t kid, TimePoint at);
    /// Wipes the key of one stream kind (e.g. the chair revoked the peer's share permission).
    void dropPeerKeys(StreamKind kind);
    /// Wipes every retired key whose time is at or before `now`, even if no frame arrives.
    void pruneKeys(TimePoint now);

    /// Per stream received from the peer; rates cover the last stretch of at least a second
    /// between two calls.
    std::vector<StreamStats> stats();
    /// Until this is called nothing is sent to the peer: frames this member encrypted under
    /// an epoch the newcomer never had would only fail at its end (docs/media.md).
    void startSending();
    /// Cheap: when each of the peer's streams first decoded, since the link was made.
    std::map<StreamKind, std::chrono::milliseconds> firstFrames() const;

private:
    struct Incoming {
        GstElement* decryptor = nullptr;
        GstElement* decoder = nullptr;
        std::atomic<uint64_t> decoded{0};
        std::atomic<uint64_t> bytes{0}; ///< protected frame bytes reaching the decryptor
        std::atomic<int> width{0};
        std::atomic<int> height{0};
        /// steady_clock ticks of the first decoded (load mode: authenticated) frame; 0 = none
        std::atomic<int64_t> firstDecodedAt{0};
        std::atomic<uint32_t> ssrc{0}; ///< the RTP stream's, for webrtcbin's stats
        /// The previous stats() sample, for rates.
        std::chrono::steady_clock::time_point sampledAt{};
        uint64_t sampledFrames = 0;
        uint64_t sampledBytes = 0;
        double framesPerSecond = 0; ///< over the last window of at least a second
        double bitsPerSecond = 0;
    };
    /// A key of the peer's, held (guarded, wiped) for a decryptor built later.
    struct PeerKey {
        uint64_t kid;
        crypto::CipherSuite suite;
        crypto::SecureBuffer key;
        std::optional<TimePoint> retireAt;
    };

    void addSender(StreamKind kind, const char* padName);
    void onNegotiationNeeded();
    /// Our offer or answer is ready: set it locally and send it to the peer.
    void onDescriptionCreated(GstPromise* promise, SignalMessage::Type type);
    void onIceCandidate(guint mline, const char* candidate);
    void onPadAdded(GstPad* pad);
    void buildReceiver(StreamKind kind, GstPad* pad, uint32_t ssrc);
    /// Gives a decryptor just built every key held for its stream, retired ones with their
    /// time. Caller holds m_mutex.
    void installKeys(StreamKind kind);
    void pruneLocked(TimePoint now);
    void setRemoteDescription(GstWebRTCSDPType type, const QString& sdp);
    /// RTP packets received and lost per incoming stream (by SSRC), from webrtcbin.
    std::map<uint32_t, std::pair<uint64_t, int64_t>> rtpCounts();

    static void negotiationNeeded(GstElement*, gpointer self);
    static void iceCandidate(GstElement*, guint mline, gchar* candidate, gpointer self);
    static void padAdded(GstElement*, GstPad* pad, gpointer self);
    static GstPadProbeReturn countDecoded(GstPad* pad, GstPadProbeInfo* info, gpointer data);
    /// Load mode: when the first authenticated frame came (nothing is decoded).
    static GstPadProbeReturn noteFirstFrame(GstPad* pad, GstPadProbeInfo* info, gpointer data);
    static GstPadProbeReturn countBytes(GstPad* pad, GstPadProbeInfo* info, gpointer data);
    static GstPadProbeReturn holdUntilStarted(GstPad* pad, GstPadProbeInfo* info, gpointer self);

    GstElement* m_pipeline;
    LocalStreams& m_local;
    MediaOptions m_options;
    uint32_t m_peer;
    bool m_offerer;
    SignalSender m_sendSignal;
    SinkFactory m_sinks;
    GstElement* m_webrtc = nullptr;
    std::vector<GstElement*> m_elements; ///< everything added for this link (for teardown)
    std::vector<std::pair<StreamKind, GstPad*>> m_outputs; ///< from LocalStreams::requestOutput
    std::chrono::steady_clock::time_point m_created;
    std::atomic<bool> m_offered{false};
    std::atomic<bool> m_sending{false};

    mutable std::mutex m_mutex; ///< guards what streaming threads touch below
    std::map<StreamKind, Incoming> m_incoming;
    /// The peer's current key and retired ones not yet past their time, per stream.
    std::map<StreamKind, std::vector<PeerKey>> m_keys;
};

} // namespace conclave::media
