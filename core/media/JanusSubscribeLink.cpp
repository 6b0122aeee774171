// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/JanusSubscribeLink.h"

#include "media/WebrtcParts.h"

#include <QMetaObject>
#include <QPointer>
#include <QStringList>

#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

namespace conclave::media {
namespace {

/// The stream kind of one subscribed stream: audio is audio; a video is the publisher's screen
/// share when it labelled it so (JanusPublishLink does), otherwise its camera.
std::optional<StreamKind> kindOf(const janus::SubscribedStream& s)
{
    switch (s.type) {
    case janus::SubscribedStream::Type::Audio:
        return StreamKind::Audio;
    case janus::SubscribedStream::Type::Video:
        return s.description == "screen" ? StreamKind::Screen : StreamKind::Camera;
    case janus::SubscribedStream::Type::Data:
        break;
    }
    return std::nullopt;
}

QString midOf(GstPad* pad)
{
    GstWebRTCRTPTransceiver* transceiver = nullptr;
    g_object_get(pad, "transceiver", &transceiver, nullptr);
    if (!transceiver)
        return {};
    gchar* mid = nullptr;
    g_object_get(transceiver, "mid", &mid, nullptr);
    const QString out = QString::fromUtf8(mid);
    g_free(mid);
    gst_object_unref(transceiver);
    return out;
}

} // namespace

JanusSubscribeLink::JanusSubscribeLink(GstElement* pipeline, const MediaOptions& options,
                                       janus::VideoRoomSubscriber& subscriber, PadHandler onPad,
                                       PadGone onGone, IceWatch::Reporter reportProblem,
                                       QObject* parent)
    : QObject(parent), m_pipeline(pipeline), m_options(options), m_subscriber(subscriber),
      m_onPad(std::move(onPad)), m_onGone(std::move(onGone))
{
    m_webrtc = addWebrtcbin(m_pipeline, m_options);
    m_iceWatch = std::make_unique<IceWatch>(
        m_webrtc, m_options, QStringLiteral("the media server (Janus)"), std::move(reportProblem));
    m_elements.push_back(m_webrtc);
    g_signal_connect(m_webrtc, "on-ice-candidate", G_CALLBACK(iceCandidate), this);
    g_signal_connect(m_webrtc, "pad-added", G_CALLBACK(padAdded), this);
    gst_element_sync_state_with_parent(m_webrtc);
    connect(&m_subscriber, &janus::VideoRoomSubscriber::streamsChanged, this,
            &JanusSubscribeLink::onStreamsChanged);
    connect(&m_subscriber, &janus::VideoRoomSubscriber::offer, this, &JanusSubscribeLink::onOffer);
    // The layout may already be known (the subscriber joined before the link was made).
    onStreamsChanged();
}

JanusSubscribeLink::~JanusSubscribeLink()
{
    m_iceWatch.reset(); // unhooked before its webrtcbin goes
    g_signal_handlers_disconnect_by_data(m_webrtc, this);
    std::vector<GstElement*> elements;
    {
        std::lock_guard lock(m_mutex);
        elements = m_elements;
        for (auto& [mid, pad] : m_pads)
            gst_object_unref(pad);
        m_pads.clear();
    }
    for (GstElement* e : elements) {
        gst_element_set_state(e, GST_STATE_NULL);
        gst_bin_remove(GST_BIN(m_pipeline), e);
    }
}

std::optional<JanusSubscribeLink::Route> JanusSubscribeLink::routeOf(const QString& mid) const
{
    const auto it = m_routes.find(mid);
    if (it == m_routes.end())
        return std::nullopt;
    return it->second;
}

void JanusSubscribeLink::onStreamsChanged()
{
    std::map<QString, Route> routes;
    for (const janus::SubscribedStream& s : m_subscriber.streams())
        if (const auto kind = kindOf(s); kind && s.active && s.feed != 0)
            routes[s.mid] = Route{s.feed, *kind};
    std::vector<std::pair<Route, GstPad*>> gone, handed;
    std::vector<GstElement*> unparked;
    {
        std::lock_guard lock(m_mutex);
        m_routes = routes;
        for (auto it = m_handed.begin(); it != m_handed.end();) {
            const auto now = routeOf(it->first);
            if (now && now->feed == it->second.feed && now->kind == it->second.kind) {
                ++it;
                continue;
            }
            gone.emplace_back(it->second, m_pads[it->first]);
            it = m_handed.erase(it);
        }
        // A pad seen before whose m-line now carries a feed (Janus reuses free m-lines).
        for (const auto& [mid, pad] : m_pads)
            if (const auto route = routeOf(mid); route && !m_handed.count(mid)) {
                m_handed[mid] = *route;
                handed.emplace_back(*route, pad);
            }
    }
    for (const auto& [route, pad] : gone)
        if (m_onGone)
            m_onGone(route.feed, route.kind, pad);
    for (const auto& [route, pad] : handed) {
        // Nothing may still be linked to it (a parking fakesink, or the old branch if the
        // PadGone handler left it).
        if (GstPad* peer = gst_pad_get_peer(pad)) {
            gst_pad_unlink(pad, peer);
            gst_object_unref(peer);
        }
        if (m_onPad)
            m_onPad(route.feed, route.kind, pad);
    }
}

void JanusSubscribeLink::onOffer(const QString& sdp)
{
    GstSDPMessage* message = nullptr;
    gst_sdp_message_new(&message);
    const QByteArray bytes = sdp.toUtf8();
    // An offer without streams parses but is nothing Janus sends a subscriber: refused too.
    if (gst_sdp_message_parse_buffer(reinterpret_cast<const guint8*>(bytes.constData()),
                                     guint(bytes.size()), message) != GST_SDP_OK ||
        gst_sdp_message_medias_len(message) == 0) {
        gst_sdp_message_free(message);
        return failNegotiation(QStringLiteral("the media server's (Janus) offer is not valid SDP"));
    }
    GstWebRTCSessionDescription* offer =
        gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_OFFER, message);
    for (int i = IceWatch::candidatesIn(sdp); i > 0; --i)
        m_iceWatch->peerCandidate();
    m_iceWatch->peerDescription();
    // Not waited for: webrtcbin carries out its operations in order on its own thread, so the
    // answer below is made once the offer is set (or refused: the answer's callback looks).
    // Waiting held the Qt thread - the meeting's control messages - for seconds when a busy
    // machine set an offer of many streams.
    GstPromise* remoteSet = gst_promise_new();
    g_signal_emit_by_name(m_webrtc, "set-remote-description", offer, remoteSet);
    gst_webrtc_session_description_free(offer);
    // The link may be gone when webrtcbin answers (a meeting left mid-negotiation): the
    // callback holds a guarded pointer, freed with the promise.
    struct Context {
        QPointer<JanusSubscribeLink> self;
        GstPromise* remoteSet;
    };
    GstPromise* promise = gst_promise_new_with_change_func(
        [](GstPromise* p, gpointer data) {
            auto* context = static_cast<Context*>(data);
            if (auto* self = context->self.data())
                self->onAnswerCreated(context->remoteSet, p);
            else
                gst_promise_unref(p);
        },
        new Context{this, remoteSet},
        [](gpointer data) {
            auto* context = static_cast<Context*>(data);
            gst_promise_unref(context->remoteSet);
            delete context;
        });
    g_signal_emit_by_name(m_webrtc, "create-answer", nullptr, promise);
}

void JanusSubscribeLink::failNegotiation(const QString& why)
{
    m_problem = why;
    emit negotiationFailed(why);
}

void JanusSubscribeLink::releasePads()
{
    std::vector<std::pair<Route, GstPad*>> gone;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [mid, route] : m_handed)
            gone.emplace_back(route, m_pads[mid]);
        m_handed.clear();
        m_routes.clear(); // a pad added from now on is nobody's
    }
    for (const auto& [route, pad] : gone)
        if (m_onGone)
            m_onGone(route.feed, route.kind, pad);
}

void JanusSubscribeLink::waitForJanusHandshake(GstSDPMessage* answer)
{
    // webrtcbin answers Janus's `actpass` with `active` and, as the DTLS client, sends its first
    // handshake message as soon as its own side of ICE is up - sometimes before Janus's side is
    // and Janus can take it. The retransmission then comes 1 s later (OpenSSL's timer, Janus's
    // too): one admission in ten waited that second for its first frame. As `passive`,
    // webrtcbin lets Janus start the handshake once Janus's side is up, as it does for a
    // publisher (Janus answers that offer `active`), where no such wait was seen.
    for (guint i = 0; i < gst_sdp_message_medias_len(answer); ++i) {
        GstSDPMedia* media = const_cast<GstSDPMedia*>(gst_sdp_message_get_media(answer, i));
        for (guint a = 0; a < gst_sdp_media_attributes_len(media); ++a) {
            const GstSDPAttribute* attribute = gst_sdp_media_get_attribute(media, a);
            if (g_strcmp0(attribute->key, "setup") == 0 &&
                g_strcmp0(attribute->value, "active") == 0) {
                GstSDPAttribute passive;
                gst_sdp_attribute_set(&passive, "setup", "passive");
                gst_sdp_media_replace_attribute(media, a, &passive);
            }
        }
    }
}

void JanusSubscribeLink::onAnswerCreated(GstPromise* remoteSet, GstPromise* answered)
{
    // webrtcbin's thread: set the answer here, send it from the Qt thread.
    QString refused;
    if (gst_promise_wait(remoteSet) != GST_PROMISE_RESULT_REPLIED) // at once: replied before
        refused = QStringLiteral("webrtcbin did not take Janus's offer");
    else if (const GstStructure* reply = gst_promise_get_reply(remoteSet);
             reply && gst_structure_has_field(reply, "error")) {
        GError* error = nullptr;
        gst_structure_get(reply, "error", G_TYPE_ERROR, &error, nullptr);
        refused = QStringLiteral("webrtcbin refused Janus's offer: %1")
                      .arg(QString::fromUtf8(error ? error->message : "no reason given"));
        g_clear_error(&error);
    }
    GstWebRTCSessionDescription* answer = takeDescription(answered, "answer");
    QPointer<JanusSubscribeLink> self(this);
    if (!answer || !refused.isEmpty()) {
        if (answer)
            gst_webrtc_session_description_free(answer);
        if (refused.isEmpty())
            refused = QStringLiteral("webrtcbin made no answer to Janus's offer");
        QMetaObject::invokeMethod(
            this,
            [self, refused] {
                if (self)
                    self->failNegotiation(refused);
            },
            Qt::QueuedConnection);
        return;
    }
    waitForJanusHandshake(answer->sdp);
    g_signal_emit_by_name(m_webrtc, "set-local-description", answer, nullptr);
    gchar* text = gst_sdp_message_as_text(answer->sdp);
    const QString sdp = QString::fromUtf8(text);
    g_free(text);
    gst_webrtc_session_description_free(answer);
    QMetaObject::invokeMethod(
        this,
        [self, sdp] {
            if (!self)
                return;
            self->m_subscriber.answer(sdp, [self](Result<void> started) {
                if (!self)
                    return;
                if (started) {
                    ++self->m_answers;
                    self->requestKeyframesForNewStreams();
                } else
                    self->failNegotiation(QString::fromStdString(started.error().message));
            });
        },
        Qt::QueuedConnection);
}

void JanusSubscribeLink::requestKeyframesForNewStreams()
{
    QStringList mids;
    std::map<QString, uint64_t> now;
    for (const janus::SubscribedStream& s : m_subscriber.streams())
        if (s.type == janus::SubscribedStream::Type::Video && s.active && s.feed != 0) {
            now[s.mid] = s.feed;
            const auto before = m_keyframed.find(s.mid);
            if (before == m_keyframed.end() || before->second != s.feed)
                mids << s.mid;
        }
    m_keyframed = now;
    // The first answer's streams get Janus's own request when the connection comes up.
    if (mids.isEmpty() || m_answers == 1)
        return;
    ++m_keyframeAsks;
    QPointer<JanusSubscribeLink> self(this);
    m_subscriber.requestKeyframes(mids, [self](Result<void> asked) {
        if (self && !asked)
            self->m_problem = QString::fromStdString(asked.error().message);
    });
}

bool JanusSubscribeLink::askForKeyframe(uint64_t feed, StreamKind kind)
{
    QString mid;
    {
        std::lock_guard lock(m_mutex);
        for (const auto& [streamMid, route] : m_routes)
            if (route.feed == feed && route.kind == kind)
                mid = streamMid;
    }
    if (mid.isEmpty())
        return false;
    QPointer<JanusSubscribeLink> self(this);
    m_subscriber.requestKeyframes({mid}, [self](Result<void> asked) {
        if (self && !asked)
            self->m_problem = QString::fromStdString(asked.error().message);
    });
    return true;
}

void JanusSubscribeLink::padAdded(GstElement*, GstPad* pad, gpointer self)
{
    if (GST_PAD_DIRECTION(pad) == GST_PAD_SRC)
        static_cast<JanusSubscribeLink*>(self)->onPadAdded(pad);
}

void JanusSubscribeLink::onPadAdded(GstPad* pad)
{
    const QString mid = midOf(pad);
    std::optional<Route> route;
    {
        std::lock_guard lock(m_mutex);
        // Held, so a pad webrtcbin drops later is still a valid object to compare and unlink.
        GstPad*& held = m_pads[mid];
        if (held)
            gst_object_unref(held);
        held = GST_PAD(gst_object_ref(pad));
        route = routeOf(mid);
        if (route)
            m_handed[mid] = *route;
    }
    if (route && m_onPad)
        return m_onPad(route->feed, route->kind, pad);
    g_warning("conclave: a stream from Janus (mid \"%s\", pad %s) belongs to no feed Janus "
              "described; it is not decoded",
              mid.toUtf8().constData(), GST_PAD_NAME(pad));
    // No feed Janus has told us of: parked on a fakesink (never decoded), so the unlinked
    // pad does not stop the PeerConnection's other streams; re-handed if a feed comes.
    GstElement* sink = makeElement("fakesink");
    g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
    gst_bin_add(GST_BIN(m_pipeline), sink);
    {
        std::lock_guard lock(m_mutex);
        m_elements.push_back(sink);
    }
    gst_element_sync_state_with_parent(sink);
    GstPad* sinkPad = gst_element_get_static_pad(sink, "sink");
    gst_pad_link(pad, sinkPad);
    gst_object_unref(sinkPad);
}

void JanusSubscribeLink::iceCandidate(GstElement*, guint mline, gchar* candidate, gpointer data)
{
    auto* link = static_cast<JanusSubscribeLink*>(data);
    QPointer<JanusSubscribeLink> self(link);
    const QString line = QString::fromUtf8(candidate);
    QMetaObject::invokeMethod(
        link,
        [self, mline, line] {
            if (self)
                self->m_subscriber.trickle(int(mline), line);
        },
        Qt::QueuedConnection);
}

} // namespace conclave::media
