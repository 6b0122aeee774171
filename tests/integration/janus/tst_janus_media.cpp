// SPDX-License-Identifier: GPL-3.0-or-later
// Client media through a real Janus VideoRoom (wss, pinned key) in its own network namespace:
// member A publishes SFrame-protected test media once (JanusPublishLink), member B subscribes
// to A's feed (JanusSubscribeLink) and B's pads, mapped by mid to A's feed id, carry frames that
// open under A's keys - audio and camera. Janus's keyframe requests reach A's encoder. A third
// member joins B's subscription and leaves it again (renegotiation both ways). A member without
// a publisher's private id (never admitted) cannot subscribe.
#include "JanusAwait.h"
#include "JanusMedia.h"
#include "hub/JanusRandom.h"
#include "janus/FeedId.h"
#include "media/JanusSubscribeLink.h"
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
using conclave::testsupport::JanusMedia;
using conclave::testsupport::Pipeline;
using conclave::testsupport::Publishing;
using conclave::testsupport::sawEvent;
using conclave::testsupport::why;

namespace {

uint64_t kidOf(StreamKind kind)
{
    return conclave::testsupport::mediaKid(kind);
}

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
                (void)sframe_decrypt::addKey(dec, kidOf(kind), conclave::testsupport::kMediaSuite,
                                             key->second->view());
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

} // namespace

class TestJanusMedia : public QObject {
    Q_OBJECT

    JanusMedia m_media;

    std::unique_ptr<JanusConnection> connect(const QString& requester)
    {
        return m_media.connect(requester);
    }
    std::unique_ptr<Publishing> publish(char identity) { return m_media.publish(identity); }

private slots:
    void initTestCase()
    {
        const QString failure = m_media.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
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
        const uint64_t feedB = janus::feedIdFor(m_media.room().id, QByteArray(32, 'B'));
        const QString tokenB = hub::JanusRandom::memberToken();
        QVERIFY(await<QStringList>(
            [&](auto done) { m_media.rooms().allow(m_media.room(), tokenB, done); }));
        VideoRoomPublisher publisherB(*connB);
        QSignalSpy added(&publisherB, &VideoRoomPublisher::publishersAdded);
        QSignalSpy feedGone(&publisherB, &VideoRoomPublisher::feedGone);
        const auto joinedB = await<QList<std::uint64_t>>([&](auto done) {
            publisherB.join(VideoRoomJoin{m_media.room().id, feedB, tokenB}, done);
        });
        QVERIFY2(joinedB, qPrintable(why(joinedB)));
        QVERIFY2(joinedB->contains(a->feed), "B's join does not list A's feed as publishing");

        Received received;
        received.keys[a->feed] = &a->key;
        GstElement* b = pipelineB.element;
        VideoRoomSubscriber subscriberB(*connB);
        JanusSubscribeLink linkB(
            pipelineB.element, m_media.options(), subscriberB,
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
            subscriberB.join(VideoRoomJoin{m_media.room().id, feedB, tokenB},
                             publisherB.privateId(), {a->feed}, done);
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
        QTRY_VERIFY2_WITH_TIMEOUT(
            received.opened(a->feed, StreamKind::Audio) >= 20 &&
                received.opened(a->feed, StreamKind::Camera) >= 10,
            qPrintable(QStringLiteral("B opened %1 audio and %2 camera "
                                      "frames of A's; answers %3 %4\n%5")
                           .arg(received.opened(a->feed, StreamKind::Audio))
                           .arg(received.opened(a->feed, StreamKind::Camera))
                           .arg(linkB.answers())
                           .arg(linkB.lastProblem(), m_media.janus().logTail(20))),
            15000);
        QCOMPARE(received.feeds(), std::set<uint64_t>{a->feed});
        QCOMPARE(linkB.answers(), 1);
        // B's answer leaves the DTLS handshake to Janus (B is the server): as the client,
        // webrtcbin's first message could come before Janus was ready for it, and the
        // retransmission a second later delayed a newcomer's first frame.
        QCOMPARE(conclave::testsupport::localAnswerSetups(pipelineB.element),
                 (QStringList{"passive", "passive", "passive"}));

        // A starts sharing its screen after it published (the gate opens later): the stream
        // Janus already knows from A's offer flows with no new negotiation, and opens at B.
        QVERIFY(media::sframe_encrypt::setKey(a->local->encryptor(StreamKind::Screen),
                                              kidOf(StreamKind::Screen),
                                              conclave::testsupport::kMediaSuite, a->key.view()));
        a->local->setSending(StreamKind::Screen, true);
        QTRY_VERIFY2_WITH_TIMEOUT(
            received.opened(a->feed, StreamKind::Screen) >= 5,
            qPrintable(QStringLiteral("B opened %1 screen frames of A's\n%2")
                           .arg(received.opened(a->feed, StreamKind::Screen))
                           .arg(conclave::testsupport::describeReceivePads(pipelineB.element))),
            15000);
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
            subscriber.join(VideoRoomJoin{m_media.room().id, 0, hub::JanusRandom::memberToken()},
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
