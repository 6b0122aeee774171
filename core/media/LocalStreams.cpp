// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/LocalStreams.h"

#include "media/DeviceList.h"

#include <gst/video/video-event.h>

#include <algorithm>

namespace conclave::media {
namespace {

/// The loss Opus's in-band FEC is sized for: enough for the 10 % a poor network shows, without
/// spending much of the audio's bitrate on it when there is none.
constexpr int kExpectedAudioLossPercent = 10;

GstElement* child(GstElement* bin, const char* name)
{
    GstElement* e = gst_bin_get_by_name(GST_BIN(bin), name);
    if (e)
        gst_object_unref(e); // the bin keeps it
    return e;
}

QString testSourceOf(StreamKind kind)
{
    switch (kind) {
    case StreamKind::Audio:
        return QStringLiteral("audiotestsrc is-live=true wave=sine freq=440 volume=0.2");
    case StreamKind::Camera:
        return QStringLiteral("videotestsrc is-live=true pattern=ball");
    case StreamKind::Screen:
        break;
    }
    return QStringLiteral("videotestsrc is-live=true pattern=smpte");
}

/// From raw media to the tee: format, gate, encoder, SFrame, fan-out. Video passes a `local`
/// tee after the gate, where the self view taps what is about to be encoded (so it shows
/// exactly what is sent, and stops when the gate closes).
QString chainOf(StreamKind kind, const MediaOptions& o)
{
    // Opus carries a low-rate copy of each frame in the next (in-band FEC, sized for the loss
    // expected), which the receiver's decoder uses for a frame that never came; DTX sends
    // almost nothing while the microphone hears silence.
    if (kind == StreamKind::Audio)
        return QStringLiteral("audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=1 "
                              "! valve name=gate drop=false ! opusenc name=encoder frame-size=%1 "
                              "inband-fec=true packet-loss-percentage=%2 dtx=true "
                              "! conclavesframeenc name=encryptor ! tee name=tee "
                              "allow-not-linked=true")
            .arg(o.audioFrameMilliseconds)
            .arg(kExpectedAudioLossPercent);
    const bool screen = kind == StreamKind::Screen;
    // Realtime VP8; a keyframe at least every 10 s so a lost one heals even without a request.
    // Constant bitrate: the congestion controller changes target-bitrate while playing, and
    // libvpx's VBR drifts back towards its old rate after such a change (docs/media.md
    // "Congestion control"). The size caps filter is named so a quality step can change it.
    return QStringLiteral(
               "videoconvert ! videoscale ! videorate ! "
               "capsfilter name=size caps=video/x-raw,width=%1,height=%2,framerate=%3/1 ! "
               "valve name=gate drop=%4 ! tee name=local allow-not-linked=true ! "
               "vp8enc name=encoder deadline=1 cpu-used=8 threads=1 end-usage=cbr "
               "target-bitrate=%5 keyframe-max-dist=%6 error-resilient=partitions ! "
               "conclavesframeenc name=encryptor ! tee name=tee allow-not-linked=true")
        .arg(screen ? o.width * 2 : o.width)
        .arg(screen ? o.height * 2 : o.height)
        .arg(screen ? 5 : o.framesPerSecond)
        .arg(screen ? QStringLiteral("true") : QStringLiteral("false"))
        .arg(screen ? o.videoBitrate * 2 : o.videoBitrate)
        .arg(o.framesPerSecond * 10);
}

/// The device source for a stream, or nullptr when there is none (receive-only).
GstElement* deviceSourceOf(StreamKind kind, const MediaOptions& o)
{
    switch (kind) {
    case StreamKind::Audio:
        return DeviceList::createSource(MediaDevice::Kind::Microphone, o.microphone);
    case StreamKind::Camera:
        return DeviceList::createSource(MediaDevice::Kind::Camera, o.camera);
    case StreamKind::Screen:
        break;
    }
    return DeviceList::createScreenSource();
}

} // namespace

Result<std::unique_ptr<LocalStreams>> LocalStreams::create(GstElement* pipeline,
                                                           const MediaOptions& options)
{
    std::unique_ptr<LocalStreams> streams(new LocalStreams(pipeline));
    for (StreamKind kind : kAllStreams) {
        GstElement* device = nullptr;
        QString description = chainOf(kind, options);
        if (options.testSources) {
            description = testSourceOf(kind) + QStringLiteral(" ! ") + description;
        } else if (!(device = deviceSourceOf(kind, options))) {
            streams->m_missing.push_back(kind);
            continue; // no such device: this member receives the stream, sends none
        }
        if (auto added = streams->add(kind, device, description); !added)
            return added.error();
    }
    return streams;
}

Result<void> LocalStreams::add(StreamKind kind, GstElement* device, const QString& description)
{
    GError* error = nullptr;
    // With a device, the chain's first pad becomes the bin's sink and the device feeds it.
    GstElement* bin =
        gst_parse_bin_from_description(description.toUtf8().constData(), device != nullptr, &error);
    if (!bin || error) {
        const std::string why = error ? error->message : "unknown reason";
        g_clear_error(&error);
        if (bin)
            gst_object_unref(bin);
        if (device)
            gst_object_unref(device);
        return makeError("media.pipeline", std::string("the ") + traitsOf(kind).name +
                                               " stream could not be built: " + why);
    }
    gchar* name = g_strdup_printf("send-%s", traitsOf(kind).name);
    gst_object_set_name(GST_OBJECT(bin), name);
    g_free(name);
    gst_bin_add(GST_BIN(m_pipeline), bin);
    if (device) {
        gst_bin_add(GST_BIN(m_pipeline), device);
        if (!gst_element_link(device, bin))
            return makeError("media.device", std::string("the ") + traitsOf(kind).name +
                                                 " device gives a format Conclave cannot use");
    }
    Stream& stream = m_streams[kind];
    stream = {bin,
              device,
              child(bin, "gate"),
              child(bin, "encoder"),
              child(bin, "encryptor"),
              child(bin, "tee"),
              nullptr};
    if (kind != StreamKind::Audio) {
        stream.size = child(bin, "size");
        GstCaps* configured = nullptr;
        g_object_get(stream.size, "caps", &configured, nullptr);
        if (configured && gst_caps_get_size(configured) > 0) {
            const GstStructure* s = gst_caps_get_structure(configured, 0);
            int denominator = 1;
            gst_structure_get_int(s, "width", &stream.width);
            gst_structure_get_int(s, "height", &stream.height);
            gst_structure_get_fraction(s, "framerate", &stream.framesPerSecond, &denominator);
        }
        if (configured)
            gst_caps_unref(configured);
        guint bitrate = 0;
        g_object_get(stream.encoder, "target-bitrate", &bitrate, nullptr);
        stream.bitrate = bitrate;
        // The links' requests come up through the tee to the encryptor's source pad; the
        // encryptor's own (a new key) leave from its sink pad and pass untouched.
        stream.keyframeRequests = std::make_unique<KeyframeRequests>();
        KeyframeRequests* requests = stream.keyframeRequests.get();
        requests->encoderSide = gst_element_get_static_pad(stream.encryptor, "sink");
        GstPad* src = gst_element_get_static_pad(stream.encryptor, "src");
        gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, onKeyframeRequest, requests,
                          nullptr);
        gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_BUFFER, releaseHeldRequest, requests, nullptr);
        gst_object_unref(src);
    }
    return {};
}

LocalStreams::~LocalStreams()
{
    for (auto& [kind, s] : m_streams)
        for (GstElement* e : {s.device, s.bin})
            if (e) {
                gst_element_set_state(e, GST_STATE_NULL);
                gst_bin_remove(GST_BIN(m_pipeline), e);
            }
    // Stopped: no frame can reach the probes that use these any more.
    for (auto& [kind, s] : m_streams)
        if (s.keyframeRequests && s.keyframeRequests->encoderSide)
            gst_object_unref(s.keyframeRequests->encoderSide);
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

Result<void> LocalStreams::attachLocalView(StreamKind kind, GstElement* sink)
{
    const auto it = m_streams.find(kind);
    GstElement* local = it == m_streams.end() ? nullptr : child(it->second.bin, "local");
    if (!local) {
        gst_object_unref(gst_object_ref_sink(sink));
        return makeError("media.no_stream",
                         std::string("there is no ") + traitsOf(kind).name + " stream to show");
    }
    // A leaky queue: a slow window never holds up what is sent.
    GstElement* queue = gst_element_factory_make("queue", nullptr);
    g_object_set(queue, "max-size-buffers", 2, "leaky", 2 /* downstream */, nullptr);
    gst_bin_add_many(GST_BIN(m_pipeline), queue, sink, nullptr);
    GstPad* teePad = gst_element_request_pad_simple(local, "src_%u");
    GstPad* ghost = gst_ghost_pad_new(nullptr, teePad);
    gst_object_unref(teePad);
    gst_pad_set_active(ghost, TRUE);
    gst_element_add_pad(it->second.bin, ghost);
    GstPad* queueSink = gst_element_get_static_pad(queue, "sink");
    const bool linked =
        gst_pad_link(ghost, queueSink) == GST_PAD_LINK_OK && gst_element_link(queue, sink);
    gst_object_unref(queueSink);
    gst_element_sync_state_with_parent(queue);
    gst_element_sync_state_with_parent(sink);
    if (!linked)
        return makeError("media.pipeline", "the self view could not be connected");
    return {};
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

bool LocalStreams::KeyframeRequests::passOrHold(int64_t now)
{
    const int64_t gap =
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(kKeyframeRequestGap)
            .count();
    std::lock_guard lock(mutex);
    if (lastPassed != 0 && now - lastPassed < gap) {
        held = true;
        return false;
    }
    held = false;
    lastPassed = now;
    ++passed;
    return true;
}

GstPadProbeReturn LocalStreams::onKeyframeRequest(GstPad*, GstPadProbeInfo* info, gpointer data)
{
    GstEvent* event = GST_PAD_PROBE_INFO_EVENT(info);
    if (!event || !gst_video_event_is_force_key_unit(event))
        return GST_PAD_PROBE_OK;
    auto* requests = static_cast<KeyframeRequests*>(data);
    ++requests->asked;
    return requests->passOrHold(std::chrono::steady_clock::now().time_since_epoch().count())
               ? GST_PAD_PROBE_OK
               : GST_PAD_PROBE_DROP;
}

GstPadProbeReturn LocalStreams::releaseHeldRequest(GstPad*, GstPadProbeInfo*, gpointer data)
{
    auto* requests = static_cast<KeyframeRequests*>(data);
    {
        std::lock_guard lock(requests->mutex);
        if (!requests->held)
            return GST_PAD_PROBE_OK;
    }
    if (requests->passOrHold(std::chrono::steady_clock::now().time_since_epoch().count()))
        gst_pad_push_event(requests->encoderSide, gst_video_event_new_upstream_force_key_unit(
                                                      GST_CLOCK_TIME_NONE, TRUE, 0));
    return GST_PAD_PROBE_OK;
}

uint64_t LocalStreams::keyframeRequestsAsked(StreamKind kind) const
{
    const auto it = m_streams.find(kind);
    return it == m_streams.end() || !it->second.keyframeRequests
               ? 0
               : it->second.keyframeRequests->asked.load();
}

uint64_t LocalStreams::keyframeRequestsPassed(StreamKind kind) const
{
    const auto it = m_streams.find(kind);
    return it == m_streams.end() || !it->second.keyframeRequests
               ? 0
               : it->second.keyframeRequests->passed.load();
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

void LocalStreams::setVideoRate(StreamKind kind, int64_t bitsPerSecond, QualityStep step)
{
    const auto it = m_streams.find(kind);
    if (it == m_streams.end() || kind == StreamKind::Audio)
        return;
    Stream& stream = it->second;
    if (bitsPerSecond > 0 && bitsPerSecond != stream.bitrate) {
        g_object_set(stream.encoder, "target-bitrate", gint(bitsPerSecond), nullptr);
        stream.bitrate = bitsPerSecond;
    }
    if (step == stream.step || !stream.size || stream.width <= 0)
        return;
    stream.step = step;
    const bool half = step == QualityStep::HalfResolution;
    // Even sizes: VP8 and the colour conversion work on 2x2 blocks.
    const int width = half ? std::max(2, (stream.width / 2) & ~1) : stream.width;
    const int height = half ? std::max(2, (stream.height / 2) & ~1) : stream.height;
    const int rate = step == QualityStep::Full ? stream.framesPerSecond
                                               : std::max(1, stream.framesPerSecond / 2);
    GstCaps* caps =
        gst_caps_new_simple("video/x-raw", "width", G_TYPE_INT, width, "height", G_TYPE_INT, height,
                            "framerate", GST_TYPE_FRACTION, rate, 1, nullptr);
    g_object_set(stream.size, "caps", caps, nullptr);
    gst_caps_unref(caps);
}

} // namespace conclave::media
