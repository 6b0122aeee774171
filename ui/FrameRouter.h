// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/SinkFactory.h"
#include "media/StreamKind.h"

#include <QImage>
#include <QObject>

namespace conclave::ui {

/// Where decoded media ends up in the desktop app. Video streams end in an appsink whose
/// frames (converted to RGB, at most kMaxWidth wide) are handed to the GUI thread as QImages;
/// audio plays on the default output when `playAudio` (the demo keeps its three test tones
/// quiet). Must outlive every media mesh it made sinks for: queued frames are addressed to it.
class FrameRouter : public QObject {
    Q_OBJECT

public:
    static constexpr int kMaxWidth = 640;

    explicit FrameRouter(bool playAudio, QObject* parent = nullptr);

    /// For MediaMesh::create. Called on GStreamer's streaming threads: makes elements only.
    media::SinkFactory sinkFactory();
    /// A sink for a local preview pipeline (the pre-join device check), reported as `peer`.
    GstElement* makeVideoSink(uint32_t peer, media::StreamKind kind);

signals:
    /// A decoded frame of `peer`'s stream `kind` (media::StreamKind as int).
    void frame(quint32 peer, int kind, const QImage& image);

private:
    bool m_playAudio;
};

} // namespace conclave::ui
