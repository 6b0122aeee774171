// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "media/MediaOptions.h"
#include "media/StreamKind.h"

#include <gst/gst.h>

#include <map>
#include <memory>
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

private:
    struct Stream {
        GstElement* bin = nullptr;
        GstElement* device = nullptr; ///< outside the bin; nullptr for test sources
        GstElement* gate = nullptr;
        GstElement* encoder = nullptr;
        GstElement* encryptor = nullptr;
        GstElement* tee = nullptr;
    };

    explicit LocalStreams(GstElement* pipeline) : m_pipeline(pipeline) {}
    Result<void> add(StreamKind kind, GstElement* device, const QString& description);

    GstElement* m_pipeline;
    std::map<StreamKind, Stream> m_streams;
    std::vector<StreamKind> m_missing;
};

} // namespace conclave::media
