// SPDX-License-Identifier: GPL-3.0-or-later
// Client media through a real Janus VideoRoom (wss, pinned key) in its own network namespace:
// member A publishes SFrame-protected test media once (JanusPublishLink), member B subscribes
// to A's feed (JanusSubscribeLink) and B's pads, mapped by mid to A's feed id, carry frames that
// open under A's keys - audio and camera. Janus's keyframe requests reach A's encoder. A member
// without a publisher's private id (never admitted) cannot subscribe.
#include "JanusAwait.h"
#include "JanusProcess.h"
#include "crypto/MediaKeyId.h"
#include "crypto/SecureBuffer.h"
#include "hub/JanusRandom.h"
#include "hub/JanusRoomControl.h"
#include "janus/FeedId.h"
#include "janus/JanusConnection.h"
#include "janus/VideoRoomPublisher.h"
#include "janus/VideoRoomSubscriber.h"
#include "media/JanusPublishLink.h"
#include "media/JanusSubscribeLink.h"
#include "media/LocalStreams.h"
#include "media/MediaElements.h"
#include "media/SframeDecrypt.h"
#include "media/SframeEncrypt.h"

#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>

using namespace conclave;
using namespace conclave::media;
using conclave::janus::JanusConnection;
using conclave::janus::VideoRoomJoin;
using conclave::janus::VideoRoomPublisher;
using conclave::janus::VideoRoomSubscriber;
using conclave::testsupport::await;
using conclave::testsupport::describe;
using conclave::testsupport::JanusProcess;
using conclave::testsupport::why;

namespace {

constexpr auto kSuite = crypto::CipherSuite::ChaCha20Poly1305Sha256;

uint64_t kidOf(StreamKind kind)
{
    return crypto::MediaKeyId::pack(traitsOf(kind).context, 0, 1).value();
}

/// A member's pipeline, stopped and freed when the test is done.
struct Pipeline {
    GstElement* element = gst_pipeline_new(nullptr);
    ~Pipeline()
    {
        gst_element_set_state(element, GST_STATE_NULL);
        gst_object_unref(element);
    }
};

/// What B received, per (feed, kind): the decryptor holding A's key for that stream.
struct Received {
    std::mutex mutex;
    std::map<std::pair<uint64_t, StreamKind>, GstElement*> decryptors;
    std::set<uint64_t> feeds;

    uint64_t opened(uint64_t feed, StreamKind kind)
    {
        std::lock_guard lock(mutex);
        const auto it = decryptors.find({feed, kind});
        return it == decryptors.end() ? 0 : sframe_decrypt::stats(it->second).accepted;
    }
};

GstPadProbeReturn countKeyframe(GstPad*, GstPadProbeInfo* info, gpointer counter)
{
    if (GstBuffer* b = GST_PAD_PROBE_INFO_BUFFER(info);
        b && !GST_BUFFER_FLAG_IS_SET(b, GST_BUFFER_FLAG_DELTA_UNIT))
        ++*static_cast<std::atomic<uint64_t>*>(counter);
    return GST_PAD_PROBE_OK;
}

} // namespace

class TestJanusMedia : public QObject {
    Q_OBJECT

    JanusProcess m_janus;
    std::unique_ptr<JanusConnection> m_control;
    std::unique_ptr<hub::JanusRoomControl> m_rooms;
    hub::JanusRoom m_room;
    const crypto::SecureBuffer m_keyA = crypto::SecureBuffer::random(32);

    std::unique_ptr<JanusConnection> connect(const QString& requester)
    {
        JanusConnection::Options options;
        options.apiSecret = m_janus.apiSecret();
        options.expectedPins = {m_janus.spkiPin()};
        options.keepaliveInterval = std::chrono::milliseconds(5000);
        options.requester = requester;
        auto c = std::make_unique<JanusConnection>(m_janus.wssUrl(), options);
        auto* raw = c.get();
        const auto opened = await<void>([raw](auto done) { raw->open(done); });
        if (!opened)
            qWarning("open: %s", qPrintable(describe(opened.error())));
        return opened ? std::move(c) : nullptr;
    }

    MediaOptions smallTestMedia() const
    {
        MediaOptions o;
        o.testSources = true;
        o.width = 160;
        o.height = 120;
        o.framesPerSecond = 10;
        o.videoBitrate = 100000;
        o.localAddresses = {m_janus.hostAddress()};
        return o;
    }

private slots:
    void initTestCase()
    {
        const auto ready = initialiseMedia();
        QVERIFY2(ready, qPrintable(why(ready)));
        const QString failure = m_janus.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        m_control = connect(QStringLiteral("the hub"));
        QVERIFY(m_control);
        m_rooms = std::make_unique<hub::JanusRoomControl>(*m_control, m_janus.adminKey());
        const auto room = await<hub::JanusRoom>(
            [this](auto done) { m_rooms->createRoom(hub::JanusRoomSpec{}, done); });
        QVERIFY2(room, qPrintable(why(room)));
        m_room = *room;
    }

    void memberReceivesAnotherMembersStreamsThroughJanus()
    {
        const MediaOptions options = smallTestMedia();
        const uint64_t feedA = janus::feedIdFor(m_room.id, QByteArray(32, 'A'));
        const uint64_t feedB = janus::feedIdFor(m_room.id, QByteArray(32, 'B'));
        const QString tokenA = hub::JanusRandom::memberToken();
        const QString tokenB = hub::JanusRandom::memberToken();
        for (const QString& t : {tokenA, tokenB})
            QVERIFY(await<QStringList>([&](auto done) { m_rooms->allow(m_room, t, done); }));

        // Member A: test media, SFrame keys set as the mesh sets them, published once.
        Pipeline pipelineA;
        auto localA = LocalStreams::create(pipelineA.element, options);
        QVERIFY2(localA, qPrintable(why(localA)));
        for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera})
            QVERIFY(sframe_encrypt::setKey((*localA)->encryptor(kind), kidOf(kind), kSuite,
                                           m_keyA.view()));
        std::atomic<uint64_t> keyframes{0};
        GstPad* encoded =
            gst_element_get_static_pad((*localA)->encryptor(StreamKind::Camera), "sink");
        gst_pad_add_probe(encoded, GST_PAD_PROBE_TYPE_BUFFER, countKeyframe, &keyframes, nullptr);
        gst_object_unref(encoded);
        QVERIFY(gst_element_set_state(pipelineA.element, GST_STATE_PLAYING) !=
                GST_STATE_CHANGE_FAILURE);
        auto connA = connect(QStringLiteral("this member"));
        QVERIFY(connA);
        VideoRoomPublisher publisherA(*connA);
        QSignalSpy upA(&publisherA, &VideoRoomPublisher::peerConnectionEvent);
        const auto joinedA = await<QList<std::uint64_t>>([&](auto done) {
            publisherA.join(VideoRoomJoin{m_room.id, feedA, tokenA}, done);
        });
        QVERIFY2(joinedA, qPrintable(why(joinedA)));
        JanusPublishLink linkA(pipelineA.element, **localA, options, publisherA);
        const auto published = await<void>([&](auto done) { linkA.start(done); });
        QVERIFY2(published, qPrintable(why(published) + '\n' + m_janus.logTail()));
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                for (const auto& args : upA)
                    if (args.at(0).value<janus::JanusEvent>().kind ==
                        janus::JanusEvent::Kind::WebrtcUp)
                        return true;
                return false;
            }(),
            "Janus never reported A's publisher PeerConnection up", 10000);

        // Member B joins as a publisher only for its private id, then subscribes to A's feed.
        Pipeline pipelineB;
        QVERIFY(gst_element_set_state(pipelineB.element, GST_STATE_PLAYING) !=
                GST_STATE_CHANGE_FAILURE);
        auto connB = connect(QStringLiteral("this member"));
        QVERIFY(connB);
        VideoRoomPublisher publisherB(*connB);
        const auto joinedB = await<QList<std::uint64_t>>([&](auto done) {
            publisherB.join(VideoRoomJoin{m_room.id, feedB, tokenB}, done);
        });
        QVERIFY2(joinedB, qPrintable(why(joinedB)));
        QVERIFY2(joinedB->contains(feedA), "B's join does not list A's feed as publishing");

        Received received;
        GstElement* pipelineBElement = pipelineB.element;
        const crypto::SecureBuffer& keyA = m_keyA;
        VideoRoomSubscriber subscriberB(*connB);
        JanusSubscribeLink linkB(
            pipelineB.element, options, subscriberB,
            [&received, pipelineBElement, &keyA](uint64_t feed, StreamKind kind, GstPad* pad) {
                // What the media seam does with A's keys: depayload, decrypt, (here) count.
                const bool audio = kind == StreamKind::Audio;
                GstElement* depay =
                    gst_element_factory_make(audio ? "rtpopusdepay" : "rtpvp8depay", nullptr);
                GstElement* dec = gst_element_factory_make("conclavesframedec", nullptr);
                GstElement* sink = gst_element_factory_make("fakesink", nullptr);
                g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
                (void)sframe_decrypt::addKey(dec, kidOf(kind), kSuite, keyA.view());
                gst_bin_add_many(GST_BIN(pipelineBElement), depay, dec, sink, nullptr);
                gst_element_link_many(depay, dec, sink, nullptr);
                for (GstElement* e : {sink, dec, depay})
                    gst_element_sync_state_with_parent(e);
                GstPad* depaySink = gst_element_get_static_pad(depay, "sink");
                gst_pad_link(pad, depaySink);
                gst_object_unref(depaySink);
                std::lock_guard lock(received.mutex);
                received.decryptors[{feed, kind}] = dec;
                received.feeds.insert(feed);
            },
            [](uint64_t, StreamKind, GstPad*) {});
        const uint64_t keyframesBefore = keyframes;
        const uint64_t requestsBefore = linkA.keyframeRequests(StreamKind::Camera);
        const auto subscribed = await<void>([&](auto done) {
            subscriberB.join(VideoRoomJoin{m_room.id, feedB, tokenB}, publisherB.privateId(),
                             {feedA}, done);
        });
        QVERIFY2(subscribed, qPrintable(why(subscribed)));
        // Janus's layout: every stream of the subscription is A's, labelled by A's link.
        QVERIFY(!subscriberB.streams().isEmpty());
        QStringList labels;
        for (const auto& s : subscriberB.streams()) {
            QCOMPARE(s.feed, feedA);
            QVERIFY(s.active);
            labels << s.description;
        }
        QCOMPARE(labels, (QStringList{"audio", "camera", "screen"}));
        // Janus asks A for a keyframe when B's subscription starts: the request comes up
        // through webrtcbin and the tee to A's encoder, which makes one at once - well before
        // the 10 s after which the encoder would make one anyway.
        QTRY_VERIFY_WITH_TIMEOUT(linkA.keyframeRequests(StreamKind::Camera) > requestsBefore, 3000);
        QTRY_VERIFY_WITH_TIMEOUT(keyframes > keyframesBefore, 3000);

        QTRY_VERIFY2_WITH_TIMEOUT(received.opened(feedA, StreamKind::Audio) >= 20 &&
                                      received.opened(feedA, StreamKind::Camera) >= 10,
                                  qPrintable(QStringLiteral("B opened %1 audio and %2 camera "
                                                            "frames of A's; answers %3 %4\n%5")
                                                 .arg(received.opened(feedA, StreamKind::Audio))
                                                 .arg(received.opened(feedA, StreamKind::Camera))
                                                 .arg(linkB.answers())
                                                 .arg(linkB.lastProblem(), m_janus.logTail(20))),
                                  15000);
        {
            std::lock_guard lock(received.mutex);
            QCOMPARE(received.feeds, std::set<uint64_t>{feedA});
        }
        QCOMPARE(linkB.answers(), 1);

        // Someone never admitted has no private id of a publisher: no subscription to A.
        VideoRoomSubscriber stranger(*connB);
        const auto refused = await<void>([&](auto done) {
            stranger.join(VideoRoomJoin{m_room.id, 0, hub::JanusRandom::memberToken()},
                          hub::JanusRandom::opaqueId(), {feedA}, done);
        });
        QVERIFY2(!refused, "Janus let a member without a private id subscribe");
        QCOMPARE(refused.error().code, std::string("janus.refused"));
        QVERIFY2(QString::fromStdString(refused.error().message).contains("433"),
                 qPrintable(describe(refused.error())));
    }
};

QTEST_GUILESS_MAIN(TestJanusMedia)
#include "tst_janus_media.moc"
