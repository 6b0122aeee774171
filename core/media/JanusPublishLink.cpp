// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/JanusPublishLink.h"

#include "media/WebrtcParts.h"

#include <QMetaObject>
#include <QPointer>
#include <QRandomGenerator>

#include <gst/sdp/sdp.h>
#include <gst/video/video-event.h>
#include <gst/webrtc/webrtc.h>

namespace conclave::media {
namespace {

/// The word Janus gets for a stream (its `descriptions`), so subscribers can tell a feed's
/// camera from its screen share.
QString labelOf(StreamKind kind)
{
    switch (kind) {
    case StreamKind::Audio:
        return QStringLiteral("audio");
    case StreamKind::Camera:
        return QStringLiteral("camera");
    case StreamKind::Screen:
        break;
    }
    return QStringLiteral("screen");
}

} // namespace

JanusPublishLink::JanusPublishLink(GstElement* pipeline, LocalStreams& local,
                                   const MediaOptions& options,
                                   janus::VideoRoomPublisher& publisher,
                                   IceWatch::Reporter reportProblem, QObject* parent)
    : QObject(parent), m_pipeline(pipeline), m_local(local), m_options(options),
      m_publisher(publisher)
{
    m_webrtc = addWebrtcbin(m_pipeline, m_options);
    m_iceWatch = std::make_unique<IceWatch>(
        m_webrtc, m_options, QStringLiteral("the media server (Janus)"), std::move(reportProblem));
    m_elements.push_back(m_webrtc);
    g_signal_connect(m_webrtc, "on-ice-candidate", G_CALLBACK(iceCandidate), this);
    // webrtcbin plays before any stream is linked to it. The tees are live: the first frame
    // that reaches a sink pad of a webrtcbin still in NULL finds the pad flushing, the queue
    // feeding it stops for good (its task pauses on FLUSHING and nothing restarts it), so the
    // pad never gets its caps and webrtcbin never connects that stream to its RTP session once
    // Janus answers ("linking input stream" never happens) - one stream missing for the whole
    // run, mostly audio (linked first, so the longest in that window). A playing webrtcbin
    // holds early frames on its own blocking probe until the answer instead.
    gst_element_sync_state_with_parent(m_webrtc);
    for (const auto& [kind, padName] : kSenderPads)
        if (m_local.has(kind))
            addSender(kind, padName);
}

JanusPublishLink::~JanusPublishLink()
{
    m_iceWatch.reset(); // unhooked before its webrtcbin goes
    g_signal_handlers_disconnect_by_data(m_webrtc, this);
    removeLink(m_pipeline, m_local, m_outputs, m_elements);
}

void JanusPublishLink::addSender(StreamKind kind, const char* padName)
{
    const StreamTraits traits = traitsOf(kind);
    GstPad* output = m_local.requestOutput(kind);
    if (!output)
        return;
    GstPad* sink = gst_element_request_pad_simple(m_webrtc, padName);
    GstWebRTCRTPTransceiver* transceiver = nullptr;
    g_object_get(sink, "transceiver", &transceiver, nullptr);
    // Janus tells a publisher's bundled streams apart by the SSRCs in its offer (a=ssrc), and
    // webrtcbin writes those only for a stream whose caps it has already seen - unless the
    // codec preference names the SSRC. So each stream gets a random SSRC here, given to both.
    const guint ssrc = QRandomGenerator::system()->generate();
    GstCaps* preference = gst_caps_from_string(traits.rtpCaps);
    gst_caps_set_simple(preference, "ssrc", G_TYPE_UINT, ssrc, nullptr);
    // Send only: what this member receives comes through its subscription.
    g_object_set(transceiver, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY,
                 "codec-preferences", preference, nullptr);
    gst_caps_unref(preference);
    gst_object_unref(transceiver);
    const SendBranch branch = addSendBranch(m_pipeline, kind, sink, ssrc);
    gst_object_unref(sink);
    m_elements.push_back(branch.queue);
    m_elements.push_back(branch.payloader);
    // Janus's PLI/FIR come up from webrtcbin as force-key-unit events; counted on their way.
    GstPad* payloaderSink = gst_element_get_static_pad(branch.payloader, "sink");
    gst_pad_add_probe(payloaderSink, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, countKeyframeRequest,
                      &m_keyframeRequests[size_t(kind)], nullptr);
    gst_object_unref(payloaderSink);
    GstPad* queueSink = gst_element_get_static_pad(branch.queue, "sink");
    gst_pad_add_probe(queueSink, GST_PAD_PROBE_TYPE_BUFFER, countBytes, &m_bytesSent, nullptr);
    gst_pad_link(output, queueSink);
    gst_object_unref(queueSink);
    m_outputs.emplace_back(kind, output);
    m_order.push_back(kind);
}

GstPadProbeReturn JanusPublishLink::countBytes(GstPad*, GstPadProbeInfo* info, gpointer counter)
{
    if (GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info))
        *static_cast<std::atomic<uint64_t>*>(counter) += gst_buffer_get_size(buffer);
    return GST_PAD_PROBE_OK;
}

GstPadProbeReturn JanusPublishLink::countKeyframeRequest(GstPad*, GstPadProbeInfo* info,
                                                         gpointer counter)
{
    if (GstEvent* event = GST_PAD_PROBE_INFO_EVENT(info);
        event && gst_video_event_is_force_key_unit(event))
        ++*static_cast<std::atomic<uint64_t>*>(counter);
    return GST_PAD_PROBE_OK;
}

uint64_t JanusPublishLink::keyframeRequests(StreamKind kind) const
{
    return m_keyframeRequests[size_t(kind)];
}

void JanusPublishLink::start(std::function<void(Result<void>)> done)
{
    m_done = std::move(done);
    if (m_order.empty())
        return finish(makeError("media.nothing_to_send",
                                "this member has no microphone, camera or screen to send"));
    // The link may be gone when webrtcbin answers (a meeting left mid-negotiation): the
    // callback holds a guarded pointer, freed with the promise.
    GstPromise* promise = gst_promise_new_with_change_func(
        [](GstPromise* p, gpointer guard) {
            if (auto* self = static_cast<QPointer<JanusPublishLink>*>(guard)->data())
                self->onOfferCreated(p);
            else
                gst_promise_unref(p);
        },
        new QPointer<JanusPublishLink>(this),
        [](gpointer guard) { delete static_cast<QPointer<JanusPublishLink>*>(guard); });
    g_signal_emit_by_name(m_webrtc, "create-offer", nullptr, promise);
}

void JanusPublishLink::onOfferCreated(GstPromise* promise)
{
    // webrtcbin's thread: set the offer here, publish it from the Qt thread.
    GstWebRTCSessionDescription* offer = takeDescription(promise, "offer");
    QPointer<JanusPublishLink> self(this);
    if (!offer) {
        QMetaObject::invokeMethod(
            this,
            [self] {
                if (self)
                    self->finish(makeError("media.offer", "webrtcbin made no offer for Janus"));
            },
            Qt::QueuedConnection);
        return;
    }
    g_signal_emit_by_name(m_webrtc, "set-local-description", offer, nullptr);
    gchar* text = gst_sdp_message_as_text(offer->sdp);
    const QString sdp = QString::fromUtf8(text);
    g_free(text);
    gst_webrtc_session_description_free(offer);
    QMetaObject::invokeMethod(
        this,
        [self, sdp] {
            if (self)
                self->publish(sdp);
        },
        Qt::QueuedConnection);
}

void JanusPublishLink::publish(const QString& sdp)
{
    // Each m-line's mid, from the offer itself (m-lines follow the transceivers' order).
    QList<janus::StreamLabel> labels;
    GstSDPMessage* parsed = nullptr;
    gst_sdp_message_new(&parsed);
    const QByteArray bytes = sdp.toUtf8();
    gst_sdp_message_parse_buffer(reinterpret_cast<const guint8*>(bytes.constData()),
                                 guint(bytes.size()), parsed);
    for (guint i = 0; i < gst_sdp_message_medias_len(parsed) && i < m_order.size(); ++i)
        if (const char* mid =
                gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(parsed, i), "mid"))
            labels.append({QString::fromUtf8(mid), labelOf(m_order[i])});
    gst_sdp_message_free(parsed);
    QPointer<JanusPublishLink> self(this);
    m_publisher.publish(sdp, labels, [self](Result<QString> answer) {
        if (!self)
            return;
        if (!answer)
            return self->finish(answer.error());
        GstSDPMessage* message = nullptr;
        gst_sdp_message_new(&message);
        const QByteArray text = answer->toUtf8();
        if (gst_sdp_message_parse_buffer(reinterpret_cast<const guint8*>(text.constData()),
                                         guint(text.size()), message) != GST_SDP_OK) {
            gst_sdp_message_free(message);
            return self->finish(
                makeError("media.answer", "the media server's (Janus) answer is not valid SDP"));
        }
        GstWebRTCSessionDescription* description =
            gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, message);
        for (int i = IceWatch::candidatesIn(*answer); i > 0; --i)
            self->m_iceWatch->peerCandidate();
        self->m_iceWatch->peerDescription();
        // Not waited for (webrtcbin sets it on its own thread, in order): the Qt thread - the
        // meeting's control messages - is not held while a busy machine gets to it.
        g_signal_emit_by_name(self->m_webrtc, "set-remote-description", description, nullptr);
        gst_webrtc_session_description_free(description);
        self->finish(Result<void>{});
    });
}

void JanusPublishLink::finish(Result<void> outcome)
{
    if (m_done)
        std::exchange(m_done, {})(std::move(outcome));
}

void JanusPublishLink::iceCandidate(GstElement*, guint mline, gchar* candidate, gpointer data)
{
    auto* link = static_cast<JanusPublishLink*>(data);
    QPointer<JanusPublishLink> self(link);
    const QString line = QString::fromUtf8(candidate);
    QMetaObject::invokeMethod(
        link,
        [self, mline, line] {
            if (self)
                self->m_publisher.trickle(int(mline), line);
        },
        Qt::QueuedConnection);
}

} // namespace conclave::media
