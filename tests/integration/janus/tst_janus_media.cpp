// SPDX-License-Identifier: GPL-3.0-or-later
// Client media through a real Janus VideoRoom (wss, pinned key) in its own network namespace:
// member A publishes SFrame-protected test media once (JanusPublishLink), member B subscribes
// to A's feed (JanusSubscribeLink) and B's pads, mapped by mid to A's feed id, carry frames that
// open under A's keys - audio and camera. Janus's keyframe requests reach A's encoder. A third
// member joins B's subscription and leaves it again (renegotiation both ways). A member without
// a publisher's private id (never admitted) cannot subscribe.
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

#include <QDeadlineTimer>
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
    bool play()
    {
        return gst_element_set_state(element, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE;
    }
    ~Pipeline()
    {
        gst_element_set_state(element, GST_STATE_NULL);
        gst_object_unref(element);
    }
};

/// A member publishing test media through Janus: its pipeline, SFrame keys, connection,
/// VideoRoom publisher and publish link (destroyed in reverse order).
struct Publishing {
    uint64_t feed = 0;
    crypto::SecureBuffer key = crypto::SecureBuffer::random(32);
    std::atomic<uint64_t> keyframes{0}; ///< camera keyframes leaving the encoder
    Pipeline pipeline;
    std::unique_ptr<LocalStreams> local;
    std::unique_ptr<JanusConnection> connection;
    std::unique_ptr<VideoRoomPublisher> publisher;
    std::unique_ptr<JanusPublishLink> link;
};

/// What B received, per (feed, kind): the decryptor holding that feed's key for the stream;
/// and the (feed, kind) pairs whose pads were taken back.
struct Received {
    std::mutex mutex;
    std::map<uint64_t, const crypto::SecureBuffer*> keys; ///< each feed's member's key
    std::map<std::pair<uint64_t, StreamKind>, GstElement*> decryptors;
    std::set<std::pair<uint64_t, StreamKind>> gone;

    uint64_t opened(uint64_t feed, StreamKind kind)
    {
        std::lock_guard lock(mutex);
        const auto it = decryptors.find({feed, kind});
        return it == decryptors.end() ? 0 : sframe_decrypt::stats(it->second).accepted;
    }
    std::set<uint64_t> feeds()
    {
        std::lock_guard lock(mutex);
        std::set<uint64_t> out;
        for (const auto& [at, dec] : decryptors)
            out.insert(at.first);
        return out;
    }
    bool isGone(uint64_t feed, StreamKind kind)
    {
        std::lock_guard lock(mutex);
        return gone.count({feed, kind}) > 0;
    }

    /// What the media seam does with a pad: depayload and decrypt under the feed's member's
    /// key (here: then count).
    void link(GstElement* pipeline, uint64_t feed, StreamKind kind, GstPad* pad)
    {
        const bool audio = kind == StreamKind::Audio;
        GstElement* depay =
            gst_element_factory_make(audio ? "rtpopusdepay" : "rtpvp8depay", nullptr);
        // As a mesh link's receiver does (PeerLink): a video depayloader starts at a keyframe.
        if (!audio)
            g_object_set(depay, "request-keyframe", TRUE, "wait-for-keyframe", TRUE, nullptr);
        GstElement* dec = gst_element_factory_make("conclavesframedec", nullptr);
        GstElement* sink = gst_element_factory_make("fakesink", nullptr);
        g_object_set(sink, "sync", FALSE, "async", FALSE, nullptr);
        {
            std::lock_guard lock(mutex);
            if (const auto key = keys.find(feed); key != keys.end())
                (void)sframe_decrypt::addKey(dec, kidOf(kind), kSuite, key->second->view());
            decryptors[{feed, kind}] = dec;
        }
        gst_bin_add_many(GST_BIN(pipeline), depay, dec, sink, nullptr);
        gst_element_link_many(depay, dec, sink, nullptr);
        for (GstElement* e : {sink, dec, depay})
            gst_element_sync_state_with_parent(e);
        GstPad* depaySink = gst_element_get_static_pad(depay, "sink");
        gst_pad_link(pad, depaySink);
        gst_object_unref(depaySink);
    }
};

GstPadProbeReturn countKeyframe(GstPad*, GstPadProbeInfo* info, gpointer counter)
{
    if (GstBuffer* b = GST_PAD_PROBE_INFO_BUFFER(info);
        b && !GST_BUFFER_FLAG_IS_SET(b, GST_BUFFER_FLAG_DELTA_UNIT))
        ++*static_cast<std::atomic<uint64_t>*>(counter);
    return GST_PAD_PROBE_OK;
}

bool sawEvent(const QSignalSpy& spy, janus::JanusEvent::Kind kind)
{
    for (const auto& args : spy)
        if (args.at(0).value<janus::JanusEvent>().kind == kind)
            return true;
    return false;
}

} // namespace

class TestJanusMedia : public QObject {
    Q_OBJECT

    JanusProcess m_janus;
    std::unique_ptr<JanusConnection> m_control;
    std::unique_ptr<hub::JanusRoomControl> m_rooms;
    hub::JanusRoom m_room;
    MediaOptions m_options;

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

    /// A member with test media and its own key, joined and publishing under its feed id once
    /// Janus has its PeerConnection up; nullptr (with a failure logged) otherwise.
    std::unique_ptr<Publishing> publish(char identity)
    {
        auto m = std::make_unique<Publishing>();
        m->feed = janus::feedIdFor(m_room.id, QByteArray(32, identity));
        const QString token = hub::JanusRandom::memberToken();
        if (!await<QStringList>([&](auto done) { m_rooms->allow(m_room, token, done); }))
            return nullptr;
        auto local = LocalStreams::create(m->pipeline.element, m_options);
        if (!local)
            return nullptr;
        m->local = std::move(*local);
        // The keys as the mesh sets them (MediaMesh::switchOwnKeys).
        for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera})
            if (!sframe_encrypt::setKey(m->local->encryptor(kind), kidOf(kind), kSuite,
                                        m->key.view()))
                return nullptr;
        GstPad* encoded =
            gst_element_get_static_pad(m->local->encryptor(StreamKind::Camera), "sink");
        gst_pad_add_probe(encoded, GST_PAD_PROBE_TYPE_BUFFER, countKeyframe, &m->keyframes,
                          nullptr);
        gst_object_unref(encoded);
        if (!m->pipeline.play())
            return nullptr;
        m->connection = connect(QStringLiteral("this member"));
        if (!m->connection)
            return nullptr;
        m->publisher = std::make_unique<VideoRoomPublisher>(*m->connection);
        QSignalSpy up(m->publisher.get(), &VideoRoomPublisher::peerConnectionEvent);
        const auto joined = await<QList<std::uint64_t>>([&](auto done) {
            m->publisher->join(VideoRoomJoin{m_room.id, m->feed, token}, done);
        });
        if (!joined) {
            qWarning("join: %s", qPrintable(why(joined)));
            return nullptr;
        }
        m->link = std::make_unique<JanusPublishLink>(m->pipeline.element, *m->local, m_options,
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

private slots:
    void initTestCase()
    {
        const auto ready = initialiseMedia();
        QVERIFY2(ready, qPrintable(why(ready)));
        const QString failure = m_janus.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        m_options = smallTestMedia();
        m_control = connect(QStringLiteral("the hub"));
        QVERIFY(m_control);
        m_rooms = std::make_unique<hub::JanusRoomControl>(*m_control, m_janus.adminKey());
        const auto room = await<hub::JanusRoom>(
            [this](auto done) { m_rooms->createRoom(hub::JanusRoomSpec{}, done); });
        QVERIFY2(room, qPrintable(why(room)));
        m_room = *room;
    }

    void memberReceivesOtherMembersStreamsThroughJanus()
    {
        auto a = publish('A');
        QVERIFY2(a, "member A could not publish");

        // Member B joins as a publisher (for its private id; it sends nothing here), then
        // subscribes to A's feed with one PeerConnection for everyone.
        Pipeline pipelineB;
        QVERIFY(pipelineB.play());
        auto connB = connect(QStringLiteral("this member"));
        QVERIFY(connB);
        const uint64_t feedB = janus::feedIdFor(m_room.id, QByteArray(32, 'B'));
        const QString tokenB = hub::JanusRandom::memberToken();
        QVERIFY(await<QStringList>([&](auto done) { m_rooms->allow(m_room, tokenB, done); }));
        VideoRoomPublisher publisherB(*connB);
        QSignalSpy added(&publisherB, &VideoRoomPublisher::publishersAdded);
        QSignalSpy feedGone(&publisherB, &VideoRoomPublisher::feedGone);
        const auto joinedB = await<QList<std::uint64_t>>([&](auto done) {
            publisherB.join(VideoRoomJoin{m_room.id, feedB, tokenB}, done);
        });
        QVERIFY2(joinedB, qPrintable(why(joinedB)));
        QVERIFY2(joinedB->contains(a->feed), "B's join does not list A's feed as publishing");

        Received received;
        received.keys[a->feed] = &a->key;
        GstElement* b = pipelineB.element;
        VideoRoomSubscriber subscriberB(*connB);
        JanusSubscribeLink linkB(
            pipelineB.element, m_options, subscriberB,
            [&received, b](uint64_t feed, StreamKind kind, GstPad* pad) {
                received.link(b, feed, kind, pad);
            },
            [&received](uint64_t feed, StreamKind kind, GstPad*) {
                std::lock_guard lock(received.mutex);
                received.gone.insert({feed, kind});
            });
        const uint64_t keyframesBefore = a->keyframes;
        const uint64_t requestsBefore = a->link->keyframeRequests(StreamKind::Camera);
        const auto subscribed = await<void>([&](auto done) {
            subscriberB.join(VideoRoomJoin{m_room.id, feedB, tokenB}, publisherB.privateId(),
                             {a->feed}, done);
        });
        QVERIFY2(subscribed, qPrintable(why(subscribed)));
        // Janus's layout: every stream of the subscription is A's, labelled by A's link.
        QStringList labels;
        for (const auto& s : subscriberB.streams()) {
            QCOMPARE(s.feed, a->feed);
            QVERIFY(s.active);
            labels << s.description;
        }
        QCOMPARE(labels, (QStringList{"audio", "camera", "screen"}));
        // Janus asks A for a keyframe when B's subscription starts: the request comes up
        // through webrtcbin and the tee to A's encoder, which makes one at once - well before
        // the 10 s after which the encoder would make one anyway.
        QTRY_VERIFY_WITH_TIMEOUT(a->link->keyframeRequests(StreamKind::Camera) > requestsBefore,
                                 3000);
        QTRY_VERIFY_WITH_TIMEOUT(a->keyframes > keyframesBefore, 3000);

        // B's pads, mapped by mid to A's feed id, carry frames that open under A's keys.
        QTRY_VERIFY2_WITH_TIMEOUT(received.opened(a->feed, StreamKind::Audio) >= 20 &&
                                      received.opened(a->feed, StreamKind::Camera) >= 10,
                                  qPrintable(QStringLiteral("B opened %1 audio and %2 camera "
                                                            "frames of A's; answers %3 %4\n%5")
                                                 .arg(received.opened(a->feed, StreamKind::Audio))
                                                 .arg(received.opened(a->feed, StreamKind::Camera))
                                                 .arg(linkB.answers())
                                                 .arg(linkB.lastProblem(), m_janus.logTail(20))),
                                  15000);
        QCOMPARE(received.feeds(), std::set<uint64_t>{a->feed});
        QCOMPARE(linkB.answers(), 1);

        // C starts publishing: B's publisher hears of it, B adds C's feed to its one
        // subscription (Janus offers again, B answers), and C's frames open under C's keys.
        auto c = publish('C');
        QVERIFY2(c, "member C could not publish");
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto& args : added)
                    if (args.at(0).value<QList<quint64>>().contains(c->feed))
                        return true;
                return false;
            }(),
            5000);
        {
            std::lock_guard lock(received.mutex);
            received.keys[c->feed] = &c->key;
        }
        const auto more = await<void>([&](auto done) { subscriberB.subscribe({c->feed}, done); });
        QVERIFY2(more, qPrintable(why(more)));
        QTRY_COMPARE_WITH_TIMEOUT(linkB.answers(), 2, 5000);
        // Janus asks a publisher for a keyframe by itself only when a subscriber's connection
        // comes up; for C's streams, added by a renegotiation, B's link asks Janus for one.
        QTRY_COMPARE_WITH_TIMEOUT(linkB.keyframeAsks(), 1, 3000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            received.opened(c->feed, StreamKind::Camera) >= 5 &&
                received.opened(c->feed, StreamKind::Audio) >= 10,
            qPrintable(QStringLiteral("B opened %1 audio and %2 camera "
                                      "frames of C's; C's keyframe requests %3")
                           .arg(received.opened(c->feed, StreamKind::Audio))
                           .arg(received.opened(c->feed, StreamKind::Camera))
                           .arg(c->link->keyframeRequests(StreamKind::Camera))),
            5000);
        QVERIFY(received.opened(a->feed, StreamKind::Camera) >= 10); // A's still flow

        // C leaves: B's publisher is told, Janus renegotiates B's subscription on its own
        // (`updated`, unasked), and C's pads are taken back from its member's branches.
        const uint64_t feedC = c->feed;
        c.reset();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto& args : feedGone)
                    if (args.at(0).value<quint64>() == feedC)
                        return true;
                return false;
            }(),
            5000);
        QTRY_VERIFY_WITH_TIMEOUT(received.isGone(feedC, StreamKind::Audio) &&
                                     received.isGone(feedC, StreamKind::Camera),
                                 5000);
        QVERIFY(!received.isGone(a->feed, StreamKind::Camera));
        for (const auto& s : subscriberB.streams())
            QVERIFY(s.feed != feedC);
        QTRY_COMPARE_WITH_TIMEOUT(linkB.answers(), 3, 5000);
    }

    void memberWithoutAdmissionCannotSubscribe()
    {
        auto a = publish('D');
        QVERIFY2(a, "member D could not publish");
        auto stranger = connect(QStringLiteral("this member"));
        QVERIFY(stranger);
        // A token the hub never put on `allowed`, and so no publisher's private id of its own:
        // Janus refuses the subscription.
        VideoRoomSubscriber subscriber(*stranger);
        const auto refused = await<void>([&](auto done) {
            subscriber.join(VideoRoomJoin{m_room.id, 0, hub::JanusRandom::memberToken()},
                            hub::JanusRandom::opaqueId(), {a->feed}, done);
        });
        QVERIFY2(!refused, "Janus let a member without a private id subscribe");
        QCOMPARE(refused.error().code, std::string("janus.refused"));
        const QString words = QString::fromStdString(refused.error().message);
        QVERIFY2(words.contains("433") && words.contains("Janus refused to let this member"),
                 qPrintable(words));
    }
};

QTEST_GUILESS_MAIN(TestJanusMedia)
#include "tst_janus_media.moc"
