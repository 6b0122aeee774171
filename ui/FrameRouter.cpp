// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/FrameRouter.h"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

namespace conclave::ui {

namespace {

struct SinkTarget {
    FrameRouter* router;
    uint32_t peer;
    media::StreamKind kind;
};

GstFlowReturn onSample(GstAppSink* sink, gpointer data)
{
    const auto* target = static_cast<SinkTarget*>(data);
    GstSample* sample = gst_app_sink_pull_sample(sink);
    if (!sample)
        return GST_FLOW_OK;
    GstVideoInfo info;
    GstMapInfo map;
    GstBuffer* buffer = gst_sample_get_buffer(sample);
    if (gst_video_info_from_caps(&info, gst_sample_get_caps(sample)) && buffer &&
        gst_buffer_map(buffer, &map, GST_MAP_READ)) {
        // Deep copy: the buffer goes back to the pipeline when this returns.
        QImage image = QImage(map.data, GST_VIDEO_INFO_WIDTH(&info), GST_VIDEO_INFO_HEIGHT(&info),
                              int(GST_VIDEO_INFO_PLANE_STRIDE(&info, 0)), QImage::Format_RGBX8888)
                           .copy();
        gst_buffer_unmap(buffer, &map);
        FrameRouter* router = target->router;
        const quint32 peer = target->peer;
        const int kind = int(target->kind);
        QMetaObject::invokeMethod(
            router, [router, peer, kind, image] { emit router->frame(peer, kind, image); },
            Qt::QueuedConnection);
    }
    gst_sample_unref(sample);
    return GST_FLOW_OK;
}

void freeTarget(gpointer data)
{
    delete static_cast<SinkTarget*>(data);
}

} // namespace

FrameRouter::FrameRouter(bool playAudio, QObject* parent) : QObject(parent), m_playAudio(playAudio)
{
}

media::SinkFactory FrameRouter::sinkFactory()
{
    return [this](uint32_t peer, media::StreamKind kind) { return makeVideoSink(peer, kind); };
}

GstElement* FrameRouter::makeVideoSink(uint32_t peer, media::StreamKind kind)
{
    if (kind == media::StreamKind::Audio) {
        if (!m_playAudio)
            return nullptr; // the mesh puts a fakesink there
        GstElement* bin = gst_parse_bin_from_description(
            "audioconvert ! audioresample ! autoaudiosink sync=false", TRUE, nullptr);
        return bin;
    }
    const QByteArray description =
        QByteArrayLiteral("videoconvert ! videoscale ! "
                          "video/x-raw,format=RGBx,pixel-aspect-ratio=1/1,width=[16,") +
        QByteArray::number(kMaxWidth) + QByteArrayLiteral("] ! appsink name=frames");
    GError* error = nullptr;
    GstElement* bin = gst_parse_bin_from_description(description.constData(), TRUE, &error);
    if (!bin) {
        g_warning("conclave: video sink: %s", error ? error->message : "unknown error");
        g_clear_error(&error);
        return nullptr;
    }
    GstElement* appsink = gst_bin_get_by_name(GST_BIN(bin), "frames");
    g_object_set(appsink, "sync", FALSE, "async", FALSE, "max-buffers", 2, "drop", TRUE, nullptr);
    GstAppSinkCallbacks callbacks{};
    callbacks.new_sample = onSample;
    gst_app_sink_set_callbacks(GST_APP_SINK(appsink), &callbacks, new SinkTarget{this, peer, kind},
                               freeTarget);
    gst_object_unref(appsink);
    return bin;
}

} // namespace conclave::ui
