// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "media/BitrateController.h"
#include "media/MediaOptions.h"
#include "media/StreamKind.h"

#include <gst/gst.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace conclave::media {

/// This member's outgoing streams inside the meeting's pipeline, each encoded once and fanned
/// out to every peer: source ! gate ! encoder ! conclavesframeenc ! tee. The gate (a valve
/// before the encoder) is how mute, stop video, share and suspend stop a stream at its source:
/// nothing is encoded, encrypted or sent while it is closed. Audio and camera start open,
/// screen share closed. A stream with no device is absent (receive-only for it).
class LocalStreams {
public:
    static Result<std::unique_ptr<LocalStreams>> create(GstElement* pipeline,
                                                        const MediaOptions& options);
    ~LocalStreams();
    LocalStreams(const LocalStreams&) = delete;
    LocalStreams& operator=(const LocalStreams&) = delete;

    bool has(StreamKind kind) const { return m_streams.count(kind) > 0; }
    /// Streams this member cannot send because it has no such device (camera, microphone,
    /// screen capture): it still receives everyone else's.
    const std::vector<StreamKind>& missing() const { return m_missing; }
    /// A new output of the stream's tee for one peer (a pad on the stream's bin, to link in
    /// the pipeline), or nullptr when the stream is absent. Give it back with releaseOutput.
    GstPad* requestOutput(StreamKind kind);
    void releaseOutput(StreamKind kind, GstPad* output);
    /// Shows this member's own video in `sink` (taken over) as it goes to the encoder.
    Result<void> attachLocalView(StreamKind kind, GstElement* sink);
    GstElement* encryptor(StreamKind kind) const;
    /// Opens or closes the gate; opening asks the encoder for a keyframe at once.
    void setSending(StreamKind kind, bool sending);
    bool sending(StreamKind kind) const;
    void requestKeyframe(StreamKind kind);
    /// The congestion controller's decision for a video stream (CongestionControl): the
    /// encoder's target bitrate, and its input cut to half the frame rate and then also half
    /// the width and height (QualityStep) - changed while playing; the encoder and the
    /// receivers' decoders follow the new caps. Only what changed is set.
    void setVideoRate(StreamKind kind, int64_t bitsPerSecond, QualityStep step);

    /// Keyframe requests from the links (a peer's or Janus's PLI, one per receiver that needs
    /// one) are passed to the encoder at most once per this gap: one within the gap after the
    /// last is held and passed when the gap is over (with the first frame after it), together
    /// with any others that came meanwhile. No request is lost, none waits longer than the
    /// gap, and the keyframe made reaches every receiver alike. Without it each of a Janus
    /// meeting's many receivers could have the sender make its own keyframe, multiplying its
    /// uplink. Requests the sender makes itself (a new key, a gate opening) are not held.
    static constexpr std::chrono::milliseconds kKeyframeRequestGap{500};
    /// Requests from the links for `kind` so far, and those passed to the encoder.
    uint64_t keyframeRequestsAsked(StreamKind kind) const;
    uint64_t keyframeRequestsPassed(StreamKind kind) const;

private:
    /// What the links asked of one video stream's encoder (GStreamer's threads).
    struct KeyframeRequests {
        std::mutex mutex;
        int64_t lastPassed = 0; ///< steady_clock ticks; 0 = never
        bool held = false;      ///< a request waits for the gap to end
        std::atomic<uint64_t> asked{0};
        std::atomic<uint64_t> passed{0};
        GstPad* encoderSide = nullptr; ///< the encryptor's sink pad: where a held one leaves
        /// Passes a request now if the gap since the last is over (true), else holds it.
        bool passOrHold(int64_t now);
    };
    /// A link's request reaching the encryptor's source pad: passed, or held (dropped here).
    static GstPadProbeReturn onKeyframeRequest(GstPad*, GstPadProbeInfo* info, gpointer requests);
    /// Each frame leaving the encryptor: a held request whose gap is over goes to the encoder.
    static GstPadProbeReturn releaseHeldRequest(GstPad*, GstPadProbeInfo* info, gpointer requests);

    struct Stream {
        GstElement* bin = nullptr;
        GstElement* device = nullptr; ///< outside the bin; nullptr for test sources
        GstElement* gate = nullptr;
        GstElement* encoder = nullptr;
        GstElement* encryptor = nullptr;
        GstElement* tee = nullptr;
        std::unique_ptr<KeyframeRequests> keyframeRequests; ///< video only
        GstElement* size = nullptr;                         ///< video: the caps before the gate
        int width = 0, height = 0, framesPerSecond = 0;     ///< video: as configured
        int64_t bitrate = 0;                                ///< video: the encoder's target now
        QualityStep step = QualityStep::Full;
    };

    explicit LocalStreams(GstElement* pipeline) : m_pipeline(pipeline) {}
    Result<void> add(StreamKind kind, GstElement* device, const QString& description);

    GstElement* m_pipeline;
    std::map<StreamKind, Stream> m_streams;
    std::vector<StreamKind> m_missing;
};

} // namespace conclave::media
