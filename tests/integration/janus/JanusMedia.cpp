// SPDX-License-Identifier: GPL-3.0-or-later
#include "JanusMedia.h"

#include "JanusAwait.h"
#include "PipelineWalk.h"
#include "crypto/MediaKeyId.h"
#include "hub/JanusRandom.h"
#include "janus/FeedId.h"
#include "media/MediaElements.h"
#include "media/SframeEncrypt.h"

#include <QDeadlineTimer>
#include <QStringList>
#include <QTest>

#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

namespace conclave::testsupport {

using media::StreamKind;

uint64_t mediaKid(StreamKind kind, uint32_t index)
{
    return crypto::MediaKeyId::pack(media::traitsOf(kind).context, index, 1).value();
}

bool Pipeline::play()
{
    return gst_element_set_state(element, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE;
}

Pipeline::~Pipeline()
{
    gst_element_set_state(element, GST_STATE_NULL);
    gst_object_unref(element);
}

bool sawEvent(const QSignalSpy& spy, janus::JanusEvent::Kind kind)
{
    for (const auto& args : spy)
        if (args.at(0).value<janus::JanusEvent>().kind == kind)
            return true;
    return false;
}

GstElement* branchDecryptor(GstPad* pad)
{
    GstPad* depaySink = gst_pad_get_peer(pad);
    if (!depaySink)
        return nullptr;
    GstElement* depay = gst_pad_get_parent_element(depaySink);
    gst_object_unref(depaySink);
    GstPad* depaySrc = gst_element_get_static_pad(depay, "src");
    gst_object_unref(depay);
    GstPad* next = gst_pad_get_peer(depaySrc);
    gst_object_unref(depaySrc);
    if (!next)
        return nullptr;
    GstElement* decryptor = gst_pad_get_parent_element(next);
    gst_object_unref(next);
    return decryptor;
}

QStringList localAnswerSetups(GstElement* pipeline)
{
    QStringList out;
    forEachElementOf(pipeline, "webrtcbin", [&out](GstElement* webrtc) {
        GstWebRTCSessionDescription* local = nullptr;
        g_object_get(webrtc, "local-description", &local, nullptr);
        if (!local)
            return;
        if (local->type == GST_WEBRTC_SDP_TYPE_ANSWER)
            for (guint i = 0; i < gst_sdp_message_medias_len(local->sdp); ++i)
                out << QString::fromUtf8(gst_sdp_media_get_attribute_val(
                    gst_sdp_message_get_media(local->sdp, i), "setup"));
        gst_webrtc_session_description_free(local);
    });
    return out;
}

QString describeReceivePads(GstElement* pipeline)
{
    QStringList out;
    forEachElementOf(pipeline, "webrtcbin", [&out](GstElement* webrtc) {
        forEachSrcPad(webrtc, [&out](GstPad* pad) {
            GstWebRTCRTPTransceiver* transceiver = nullptr;
            g_object_get(pad, "transceiver", &transceiver, nullptr);
            gchar* mid = nullptr;
            if (transceiver) {
                g_object_get(transceiver, "mid", &mid, nullptr);
                gst_object_unref(transceiver);
            }
            QString peerName = QStringLiteral("nothing");
            if (GstElement* peer = peerElementOf(pad)) {
                peerName = QString::fromUtf8(GST_ELEMENT_NAME(peer));
                gst_object_unref(peer);
            }
            out << QStringLiteral("%1 mid %2 -> %3")
                       .arg(QString::fromUtf8(GST_PAD_NAME(pad)),
                            mid ? QString::fromUtf8(mid) : QStringLiteral("(none)"), peerName);
            g_free(mid);
        });
    });
    return out.isEmpty() ? QStringLiteral("no receive pads") : out.join(", ");
}

QString JanusMedia::start()
{
    if (const auto ready = media::initialiseMedia(); !ready)
        return why(ready);
    if (QString failure = m_janus.start(); !failure.isEmpty())
        return failure;
    m_options.testSources = true;
    m_options.width = 160;
    m_options.height = 120;
    m_options.framesPerSecond = 10;
    m_options.videoBitrate = 100000;
    m_options.localAddresses = {m_janus.hostAddress()};
    m_control = connect(QStringLiteral("the hub"));
    if (!m_control)
        return QStringLiteral("the hub could not connect to Janus");
    m_rooms = std::make_unique<hub::JanusRoomControl>(*m_control, m_janus.adminKey());
    const auto room = await<hub::JanusRoom>(
        [this](auto done) { m_rooms->createRoom(hub::JanusRoomSpec{}, done); });
    if (!room)
        return why(room);
    m_room = *room;
    return {};
}

std::unique_ptr<janus::JanusConnection> JanusMedia::connect(const QString& requester)
{
    janus::JanusConnection::Options options;
    options.apiSecret = m_janus.apiSecret();
    options.expectedPins = {m_janus.spkiPin()};
    options.keepaliveInterval = std::chrono::milliseconds(5000);
    options.requester = requester;
    auto c = std::make_unique<janus::JanusConnection>(m_janus.wssUrl(), options);
    auto* raw = c.get();
    const auto opened = await<void>([raw](auto done) { raw->open(done); });
    if (!opened)
        qWarning("open: %s", qPrintable(describe(opened.error())));
    return opened ? std::move(c) : nullptr;
}

std::unique_ptr<Publishing> JanusMedia::publish(char identity, uint32_t index)
{
    auto m = std::make_unique<Publishing>();
    m->index = index;
    m->feed = janus::feedIdFor(m_room.id, QByteArray(32, identity));
    const QString token = hub::JanusRandom::memberToken();
    if (!await<QStringList>([&](auto done) { m_rooms->allow(m_room, token, done); }))
        return nullptr;
    auto local = media::LocalStreams::create(m->pipeline.element, m_options);
    if (!local)
        return nullptr;
    m->local = std::move(*local);
    // The keys as the mesh sets them (MediaMesh::switchOwnKeys).
    for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera})
        if (!media::sframe_encrypt::setKey(m->local->encryptor(kind), mediaKid(kind, index),
                                           kMediaSuite, m->key.view()))
            return nullptr;
    GstPad* encoded = gst_element_get_static_pad(m->local->encryptor(StreamKind::Camera), "sink");
    gst_pad_add_probe(encoded, GST_PAD_PROBE_TYPE_BUFFER, countKeyframes, &m->keyframes, nullptr);
    gst_object_unref(encoded);
    if (!m->pipeline.play())
        return nullptr;
    m->connection = connect(QStringLiteral("this member"));
    if (!m->connection)
        return nullptr;
    m->publisher = std::make_unique<janus::VideoRoomPublisher>(*m->connection);
    QSignalSpy up(m->publisher.get(), &janus::VideoRoomPublisher::peerConnectionEvent);
    const auto joined = await<QList<std::uint64_t>>([&](auto done) {
        m->publisher->join(janus::VideoRoomJoin{m_room.id, m->feed, token}, done);
    });
    if (!joined) {
        qWarning("join: %s", qPrintable(why(joined)));
        return nullptr;
    }
    m->link = std::make_unique<media::JanusPublishLink>(m->pipeline.element, *m->local, m_options,
                                                        *m->publisher);
    const auto published = await<void>([&](auto done) { m->link->start(done); });
    if (!published) {
        qWarning("publish: %s", qPrintable(why(published)));
        return nullptr;
    }
    QDeadlineTimer deadline(10000);
    while (!sawEvent(up, janus::JanusEvent::Kind::WebrtcUp) && !deadline.hasExpired())
        QTest::qWait(20);
    if (!sawEvent(up, janus::JanusEvent::Kind::WebrtcUp)) {
        qWarning("Janus never reported the publisher's PeerConnection up:\n%s",
                 qPrintable(m_janus.logTail(20)));
        return nullptr;
    }
    return m;
}

std::unique_ptr<Viewing> JanusMedia::view(char identity)
{
    auto v = std::make_unique<Viewing>();
    v->feed = janus::feedIdFor(m_room.id, QByteArray(32, identity));
    v->token = hub::JanusRandom::memberToken();
    if (!v->pipeline.play())
        return nullptr;
    if (!await<QStringList>([&](auto done) { m_rooms->allow(m_room, v->token, done); }))
        return nullptr;
    v->connection = connect(QStringLiteral("this member"));
    if (!v->connection)
        return nullptr;
    v->publisher = std::make_unique<janus::VideoRoomPublisher>(*v->connection);
    const auto joined = await<QList<std::uint64_t>>([&](auto done) {
        v->publisher->join(janus::VideoRoomJoin{m_room.id, v->feed, v->token}, done);
    });
    if (!joined) {
        qWarning("join: %s", qPrintable(why(joined)));
        return nullptr;
    }
    v->subscriber = std::make_unique<janus::VideoRoomSubscriber>(*v->connection);
    return v;
}

} // namespace conclave::testsupport
