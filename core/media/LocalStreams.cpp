// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/LocalStreams.h"

#include <gst/video/video-event.h>

namespace conclave::media {
namespace {

GstElement* child(GstElement* bin, const char* name)
{
    GstElement* e = gst_bin_get_by_name(GST_BIN(bin), name);
    if (e)
        gst_object_unref(e); // the bin keeps it
    return e;
}

QString sourceOf(StreamKind kind, const MediaOptions& o)
{
    switch (kind) {
    case StreamKind::Audio:
        return QStringLiteral("audiotestsrc is-live=true wave=sine freq=440 volume=0.2");
    case StreamKind::Camera:
        return QStringLiteral("videotestsrc is-live=true pattern=ball ! "
                              "video/x-raw,width=%1,height=%2,framerate=%3/1")
            .arg(o.width)
            .arg(o.height)
            .arg(o.framesPerSecond);
    case StreamKind::Screen:
        break;
    }
    return QStringLiteral("videotestsrc is-live=true pattern=smpte ! "
                          "video/x-raw,width=%1,height=%2,framerate=5/1")
        .arg(o.width * 2)
        .arg(o.height * 2);
}

QString encoderOf(StreamKind kind, const MediaOptions& o)
{
    if (kind == StreamKind::Audio)
        return QStringLiteral("audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=1 "
                              "! valve name=gate drop=false ! opusenc name=encoder");
    // Realtime VP8; a keyframe at least every 10 s so a lost one heals even without a request.
    return QStringLiteral("videoconvert ! valve name=gate drop=%1 ! "
                          "vp8enc name=encoder deadline=1 cpu-used=8 threads=1 "
                          "target-bitrate=%2 keyframe-max-dist=%3 error-resilient=partitions")
        .arg(kind == StreamKind::Screen ? QStringLiteral("true") : QStringLiteral("false"))
        .arg(kind == StreamKind::Screen ? o.videoBitrate * 2 : o.videoBitrate)
        .arg(o.framesPerSecond * 10);
}

} // namespace

Result<std::unique_ptr<LocalStreams>> LocalStreams::create(GstElement* pipeline,
                                                           const MediaOptions& options)
{
    std::unique_ptr<LocalStreams> streams(new LocalStreams(pipeline));
    for (StreamKind kind : kAllStreams) {
        if (!options.testSources)
            continue; // devices: DeviceList picks sources (a missing device: receive-only)
        const QString description =
            sourceOf(kind, options) + QStringLiteral(" ! ") + encoderOf(kind, options) +
            QStringLiteral(" ! conclavesframeenc name=encryptor ! tee name=tee "
                           "allow-not-linked=true");
        if (auto added = streams->add(kind, description); !added)
            return added.error();
    }
    return streams;
}

Result<void> LocalStreams::add(StreamKind kind, const QString& description)
{
    GError* error = nullptr;
    GstElement* bin =
        gst_parse_bin_from_description(description.toUtf8().constData(), FALSE, &error);
    if (!bin || error) {
        const std::string why = error ? error->message : "unknown reason";
        g_clear_error(&error);
        if (bin)
            gst_object_unref(bin);
        return makeError("media.pipeline", std::string("the ") + traitsOf(kind).name +
                                               " stream could not be built: " + why);
    }
    gchar* name = g_strdup_printf("send-%s", traitsOf(kind).name);
    gst_object_set_name(GST_OBJECT(bin), name);
    g_free(name);
    gst_bin_add(GST_BIN(m_pipeline), bin);
    m_streams[kind] = {bin, child(bin, "gate"), child(bin, "encoder"), child(bin, "encryptor"),
                       child(bin, "tee")};
    return {};
}

LocalStreams::~LocalStreams()
{
    for (auto& [kind, s] : m_streams) {
        gst_element_set_state(s.bin, GST_STATE_NULL);
        gst_bin_remove(GST_BIN(m_pipeline), s.bin);
    }
}

GstPad* LocalStreams::requestOutput(StreamKind kind)
{
    const auto it = m_streams.find(kind);
    if (it == m_streams.end())
        return nullptr;
    // The tee sits inside the stream's bin: its new pad leaves the bin through a ghost pad.
    GstPad* teePad = gst_element_request_pad_simple(it->second.tee, "src_%u");
    GstPad* ghost = gst_ghost_pad_new(nullptr, teePad);
    gst_object_unref(teePad);
    gst_pad_set_active(ghost, TRUE);
    gst_element_add_pad(it->second.bin, ghost);
    return ghost;
}

void LocalStreams::releaseOutput(StreamKind kind, GstPad* output)
{
    const auto it = m_streams.find(kind);
    if (it == m_streams.end() || !output)
        return;
    GstPad* teePad = gst_ghost_pad_get_target(GST_GHOST_PAD(output));
    gst_element_remove_pad(it->second.bin, output);
    if (teePad) {
        gst_element_release_request_pad(it->second.tee, teePad);
        gst_object_unref(teePad);
    }
}

GstElement* LocalStreams::encryptor(StreamKind kind) const
{
    const auto it = m_streams.find(kind);
    return it == m_streams.end() ? nullptr : it->second.encryptor;
}

void LocalStreams::setSending(StreamKind kind, bool sending)
{
    const auto it = m_streams.find(kind);
    if (it == m_streams.end())
        return;
    g_object_set(it->second.gate, "drop", sending ? FALSE : TRUE, nullptr);
    if (sending)
        requestKeyframe(kind);
}

bool LocalStreams::sending(StreamKind kind) const
{
    const auto it = m_streams.find(kind);
    if (it == m_streams.end())
        return false;
    gboolean drop = TRUE;
    g_object_get(it->second.gate, "drop", &drop, nullptr);
    return !drop;
}

void LocalStreams::requestKeyframe(StreamKind kind)
{
    const auto it = m_streams.find(kind);
    if (it == m_streams.end() || kind == StreamKind::Audio)
        return;
    GstPad* pad = gst_element_get_static_pad(it->second.encoder, "src");
    gst_pad_send_event(pad,
                       gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
    gst_object_unref(pad);
}

} // namespace conclave::media
