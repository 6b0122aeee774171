// SPDX-License-Identifier: GPL-3.0-or-later
// Three members' media sessions (MediaMesh, the same key schedule as the mesh) carried by
// JanusTransport through real Janus instances (wss, pinned key, no API secret on the members'
// side) in their own network namespaces: each member decodes the other two's audio and camera;
// a new epoch without C leaves A and B decoding each other while C, holding only the old keys,
// opens nothing they send after their switch (and A and B never subscribe C's feed again, although
// C still publishes); when the first Janus dies the members hear of it and, given a room on a
// second instance, media flows again there; the encoder sends a keyframe at each key switch.
#include "CoturnProcess.h"
#include "JanusAwait.h"
#include "JanusProcess.h"
#include "PipelineWalk.h"
#include "crypto/MediaKeyId.h"
#include "crypto/SecureBuffer.h"
#include "hub/JanusRandom.h"
#include "hub/JanusRoomControl.h"
#include "janus/FeedId.h"
#include "janus/JanusConnection.h"
#include "media/JanusTransport.h"
#include "media/MediaElements.h"
#include "media/MediaMesh.h"
#include "turn/TurnCredentials.h"

#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>

using namespace conclave;
using namespace conclave::media;
using conclave::janus::JanusConnection;
using conclave::testsupport::await;
using conclave::testsupport::describe;
using conclave::testsupport::JanusProcess;
using conclave::testsupport::why;

namespace {

constexpr uint32_t kA = 0, kB = 1, kC = 2, kD = 3;

QByteArray identityOf(uint32_t index)
{
    return QByteArray(32, char('A' + index));
}

JanusProcess::Options withoutApiSecret()
{
    JanusProcess::Options o;
    o.apiSecret = false;
    // Janus's own default: the members' connections keep their sessions with the product's
    // keepalive interval.
    o.sessionTimeoutSeconds = 60;
    return o;
}

/// One member: its media session (with JanusTransport) and what it reported.
struct Member {
    uint32_t index = 0;
    std::atomic<uint64_t> keyframes{0}; ///< camera keyframes reaching the encryptor
    std::unique_ptr<MediaMesh> mesh;
    QStringList problems;

    JanusTransport& transport() { return *dynamic_cast<JanusTransport*>(mesh->transport()); }
    StreamStats from(uint32_t peer, StreamKind kind)
    {
        for (const StreamStats& s : mesh->stats())
            if (s.peer == peer && s.kind == kind)
                return s;
        return {};
    }
    bool receivesFrom(uint32_t peer)
    {
        for (const StreamStats& s : mesh->stats())
            if (s.peer == peer)
                return true;
        return false;
    }
};

/// The hub's side of one Janus instance: its control connection and a room on it.
struct Instance {
    std::unique_ptr<JanusConnection> control;
    std::unique_ptr<hub::JanusRoomControl> rooms;
    hub::JanusRoom room;
};

/// The webrtcbin source pad in `pipeline` linked to an element of `factory` (a new reference),
/// or nullptr.
GstPad* receivePadFeeding(GstElement* pipeline, const char* factory)
{
    GstPad* found = nullptr;
    testsupport::forEachElementOf(pipeline, "webrtcbin", [&](GstElement* webrtc) {
        testsupport::forEachSrcPad(webrtc, [&](GstPad* pad) {
            GstElement* peer = found ? nullptr : testsupport::peerElementOf(pad);
            if (!peer)
                return;
            GstElementFactory* made = gst_element_get_factory(peer);
            if (made && QByteArray(GST_OBJECT_NAME(made)) == factory)
                found = GST_PAD(gst_object_ref(pad));
            gst_object_unref(peer);
        });
    });
    return found;
}

} // namespace

class TestJanusTransport : public QObject {
    Q_OBJECT

    JanusProcess m_first{withoutApiSecret()};
    JanusProcess m_second{withoutApiSecret()};
    Instance m_one, m_two;
    MediaOptions m_options;
    std::map<uint32_t, std::unique_ptr<Member>> m_members;
    uint64_t m_epoch = 0;

    /// A member with its own media session through JanusTransport, its problems collected
    /// (no mesh: why it could not be made is its only problem).
    std::unique_ptr<Member> makeMember(uint32_t index, const MediaOptions& options)
    {
        auto m = std::make_unique<Member>();
        m->index = index;
        auto mesh = MediaMesh::create(options, {}, JanusTransport::factory());
        if (!mesh) {
            m->problems << why(mesh);
            return m;
        }
        m->mesh = std::move(mesh).value();
        Member* raw = m.get();
        connect(m->mesh.get(), &MediaMesh::problem, this,
                [raw](const QString& code, const QString& reason) {
                    raw->problems << code + QStringLiteral(": ") + reason;
                });
        return m;
    }

    /// The hub's connection (no API secret: the instance has none) and a room on `janus`.
    static QString setUp(JanusProcess& janus, Instance& out)
    {
        JanusConnection::Options options;
        options.apiSecret = janus.apiSecret();
        options.expectedPins = {janus.spkiPin()};
        out.control = std::make_unique<JanusConnection>(janus.wssUrl(), options);
        auto* control = out.control.get();
        if (const auto opened = await<void>([control](auto done) { control->open(done); }); !opened)
            return why(opened);
        out.rooms = std::make_unique<hub::JanusRoomControl>(*control, janus.adminKey());
        const auto room = await<hub::JanusRoom>(
            [&out](auto done) { out.rooms->createRoom(hub::JanusRoomSpec{}, done); });
        if (!room)
            return why(room);
        out.room = *room;
        return {};
    }

    /// The room as the hub sends it to one member (a fresh token on `allowed`), with the
    /// pin as the member's policy lists it.
    std::optional<SfuRoom> roomFor(JanusProcess& janus, Instance& instance)
    {
        const QString token = hub::JanusRandom::memberToken();
        if (!await<QStringList>(
                [&](auto done) { instance.rooms->allow(instance.room, token, done); }))
            return std::nullopt;
        return SfuRoom{janus.wssUrl(), {janus.spkiPin()}, instance.room.id, token};
    }

    /// A new epoch with `members` (fresh secret, every stream keyed), applied by each of them.
    void epoch(const std::set<uint32_t>& members)
    {
        ++m_epoch;
        const crypto::SecureBuffer secret = crypto::SecureBuffer::random(32);
        for (uint32_t own : members) {
            EpochKeys keys;
            keys.epoch = m_epoch;
            keys.ownIndex = own;
            for (uint32_t index : members) {
                keys.identities[index] = identityOf(index);
                for (StreamKind kind : kAllStreams)
                    keys.members[index][kind] =
                        crypto::deriveMediaKey(secret, m_epoch, index, traitsOf(kind).context)
                            .value();
            }
            m_members.at(own)->mesh->applyEpoch(keys);
        }
    }

    /// `receiver` decodes `sender`'s audio and camera (at least this many frames each).
    bool decodes(uint32_t receiver, uint32_t sender, uint64_t audio = 10, uint64_t camera = 5)
    {
        Member& m = *m_members.at(receiver);
        return m.from(sender, StreamKind::Audio).framesDecoded >= audio &&
               m.from(sender, StreamKind::Camera).framesDecoded >= camera;
    }

    QString report()
    {
        QString out;
        for (const auto& [index, m] : m_members) {
            out += QStringLiteral("member %1 (joined %2, publishing %3, pads of nobody %4):\n")
                       .arg(index)
                       .arg(m->transport().isJoined())
                       .arg(m->transport().isPublishing())
                       .arg(m->transport().unattributedPads());
            for (const StreamStats& s : m->mesh->stats())
                out += QStringLiteral("  from %1 %2: received %3 decrypted %4 failed %5 "
                                      "decoded %6\n")
                           .arg(s.peer)
                           .arg(traitsOf(s.kind).name)
                           .arg(s.framesReceived)
                           .arg(s.framesDecrypted)
                           .arg(s.decryptFailures)
                           .arg(s.framesDecoded);
            out += QStringLiteral("  problems: %1\n").arg(m->problems.join(QStringLiteral(" | ")));
        }
        return out;
    }

private slots:
    void initTestCase()
    {
        const auto ready = initialiseMedia();
        QVERIFY2(ready, qPrintable(why(ready)));
        for (JanusProcess* janus : {&m_first, &m_second}) {
            const QString failure = janus->start();
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
            QVERIFY(janus->apiSecret().isEmpty());
        }
        const QString one = setUp(m_first, m_one);
        QVERIFY2(one.isEmpty(), qPrintable(one));
        const QString two = setUp(m_second, m_two);
        QVERIFY2(two.isEmpty(), qPrintable(two));

        m_options.testSources = true;
        m_options.width = 160;
        m_options.height = 120;
        m_options.framesPerSecond = 10;
        m_options.videoBitrate = 100000;
        m_options.localAddresses = {m_first.hostAddress(), m_second.hostAddress()};
        for (uint32_t index : {kA, kB, kC}) {
            auto m = makeMember(index, m_options);
            QVERIFY2(m->mesh, qPrintable(m->problems.join(' ')));
            GstPad* encoded =
                gst_element_get_static_pad(m->mesh->local().encryptor(StreamKind::Camera), "sink");
            gst_pad_add_probe(encoded, GST_PAD_PROBE_TYPE_BUFFER, testsupport::countKeyframes,
                              &m->keyframes, nullptr);
            gst_object_unref(encoded);
            m_members[index] = std::move(m);
        }
    }

    void everyMemberDecodesTheOthersThroughJanus()
    {
        // C hears of the room before its first epoch (its transport is made, and joins, then);
        // A and B after.
        const auto roomC = roomFor(m_first, m_one);
        QVERIFY(roomC);
        QVERIFY(m_members.at(kC)->mesh->useRoom(*roomC));
        QVERIFY(!m_members.at(kC)->mesh->transport());
        epoch({kA, kB, kC});
        for (uint32_t index : {kA, kB}) {
            const auto room = roomFor(m_first, m_one);
            QVERIFY(room);
            const auto used = m_members.at(index)->mesh->useRoom(*room);
            QVERIFY2(used, qPrintable(why(used)));
        }
        QTRY_VERIFY2_WITH_TIMEOUT(decodes(kA, kB) && decodes(kA, kC) && decodes(kB, kA) &&
                                      decodes(kB, kC) && decodes(kC, kA) && decodes(kC, kB),
                                  qPrintable(report() + m_first.logTail(20)), 25000);
        // Every roster member's feed, and only those, is subscribed; nothing came unattributed.
        for (const auto& [index, m] : m_members) {
            std::set<uint64_t> others;
            for (uint32_t peer : {kA, kB, kC})
                if (peer != index)
                    others.insert(janus::feedIdFor(m_one.room.id, identityOf(peer)));
            QCOMPARE(m->transport().subscribedFeeds(), others);
            QCOMPARE(m->transport().unattributedPads(), uint64_t(0));
            QVERIFY2(m->problems.isEmpty(), qPrintable(report()));
            // Everyone held everyone's keys from the start: nothing failed to open.
            for (const StreamStats& s : m->mesh->stats())
                QVERIFY2(s.decryptFailures == 0, qPrintable(report()));
        }
        // Media goes through Janus, never member to member.
        const auto refused = m_members.at(kA)->mesh->onSignal(kB, QByteArray("offer"));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("media.not_mesh"));
    }

    void removedMemberOpensNothingSentAfterTheSwitch()
    {
        Member& a = *m_members.at(kA);
        Member& b = *m_members.at(kB);
        Member& c = *m_members.at(kC);
        QSignalSpy switchedA(a.mesh.get(), &MediaMesh::ownKeysSwitched);
        QSignalSpy switchedB(b.mesh.get(), &MediaMesh::ownKeysSwitched);
        epoch({kA, kB}); // C is not told: it keeps the old keys and stays in Janus's room
        // C's member is gone at A and B at once, and its feed with it (still publishing).
        QVERIFY(!a.receivesFrom(kC));
        QVERIFY(!b.receivesFrom(kC));
        const uint64_t feedB = janus::feedIdFor(m_one.room.id, identityOf(kB));
        const uint64_t feedA = janus::feedIdFor(m_one.room.id, identityOf(kA));
        QCOMPARE(a.transport().subscribedFeeds(), std::set<uint64_t>{feedB});
        QCOMPARE(b.transport().subscribedFeeds(), std::set<uint64_t>{feedA});

        // After kSendSwitchDelay both send under the new keys.
        QTRY_VERIFY_WITH_TIMEOUT(switchedA.count() == 1 && switchedB.count() == 1, 5000);

        // Frames already in flight under the old keys may still reach C; then nothing more.
        QTest::qWait(1000);
        const uint64_t openedFromA = c.from(kA, StreamKind::Camera).framesDecrypted +
                                     c.from(kA, StreamKind::Audio).framesDecrypted;
        const uint64_t openedFromB = c.from(kB, StreamKind::Camera).framesDecrypted +
                                     c.from(kB, StreamKind::Audio).framesDecrypted;
        const uint64_t unopenedFromA = c.from(kA, StreamKind::Audio).unknownKey;
        const uint64_t decodedAB = a.from(kB, StreamKind::Camera).framesDecoded;
        const uint64_t decodedBA = b.from(kA, StreamKind::Audio).framesDecoded;
        QTest::qWait(3000);
        QCOMPARE(c.from(kA, StreamKind::Camera).framesDecrypted +
                     c.from(kA, StreamKind::Audio).framesDecrypted,
                 openedFromA);
        QCOMPARE(c.from(kB, StreamKind::Camera).framesDecrypted +
                     c.from(kB, StreamKind::Audio).framesDecrypted,
                 openedFromB);
        // C still receives A's frames through Janus (it was not kicked here): they arrive and
        // fail for want of a key.
        QVERIFY2(c.from(kA, StreamKind::Audio).unknownKey > unopenedFromA, qPrintable(report()));
        // A and B go on decoding each other under the new keys.
        QVERIFY2(a.from(kB, StreamKind::Camera).framesDecoded >= decodedAB + 10,
                 qPrintable(report()));
        QVERIFY2(b.from(kA, StreamKind::Audio).framesDecoded >= decodedBA + 30,
                 qPrintable(report()));
        QCOMPARE(a.transport().unattributedPads(), uint64_t(0));
        QCOMPARE(b.transport().unattributedPads(), uint64_t(0));
    }

    void mediaFlowsAgainInTheRoomTheMeetingMovedTo()
    {
        Member& a = *m_members.at(kA);
        Member& b = *m_members.at(kB);
        a.problems.clear();
        b.problems.clear();
        // The first instance dies: the members hear of it and wait for the hub's next room.
        m_first.kill();
        QTRY_VERIFY2_WITH_TIMEOUT(!a.problems.isEmpty() && !b.problems.isEmpty(),
                                  qPrintable(report()), 5000);
        QVERIFY2(a.problems.first().startsWith(QStringLiteral("janus.unreachable")) &&
                     a.problems.first().contains(QStringLiteral("moves the meeting")),
                 qPrintable(a.problems.first()));
        QVERIFY(!a.transport().isJoined());
        QVERIFY(!a.receivesFrom(kB)); // the branches went with the session
        // The key schedule goes on meanwhile; the dead room is not tried again.
        const qsizetype heard = a.problems.size();
        epoch({kA, kB});
        QTest::qWait(1500);
        QCOMPARE(a.problems.size(), heard);
        QVERIFY(!a.transport().isJoined());

        // The hub moves the meeting: a room on the second instance, new tokens.
        for (Member* m : {&a, &b}) {
            const auto room = roomFor(m_second, m_two);
            QVERIFY(room);
            const auto used = m->mesh->useRoom(*room);
            QVERIFY2(used, qPrintable(why(used)));
        }
        QTRY_VERIFY2_WITH_TIMEOUT(decodes(kA, kB) && decodes(kB, kA),
                                  qPrintable(report() + m_second.logTail(20)), 15000);
        QCOMPARE(a.transport().subscribedFeeds(),
                 std::set<uint64_t>{janus::feedIdFor(m_two.room.id, identityOf(kB))});
        for (Member* m : {&a, &b})
            for (const StreamStats& s : m->mesh->stats())
                QVERIFY2(s.decryptFailures == 0, qPrintable(report()));
    }

    void keySwitchMakesTheEncoderSendAKeyframe()
    {
        // A subscriber that came with an epoch could open nothing before the sender's switch
        // (Janus's keyframe request at its subscription got one under the old keys): the
        // encoder sends one right at the switch (the encryptor asks for it with its first frame
        // under the new key), not up to 10 s later. Twice, so the encoder's own keyframe every
        // 10 s cannot pass for it. Nobody here fails to decrypt (a decoder missing frames would
        // ask for keyframes itself).
        Member& a = *m_members.at(kA);
        for (int round = 0; round < 2; ++round) {
            std::optional<uint64_t> atSwitch;
            const auto hook = connect(a.mesh.get(), &MediaMesh::ownKeysSwitched, this,
                                      [&] { atSwitch = a.keyframes; });
            epoch({kA, kB});
            for (uint32_t index : {kA, kB})
                m_members.at(index)->mesh->confirmEpoch(m_epoch); // everyone holds it: now
            disconnect(hook);
            QVERIFY(atSwitch);
            QTRY_VERIFY2_WITH_TIMEOUT(a.keyframes > *atSwitch,
                                      "A's encoder made no keyframe at the key switch", 1000);
            QTest::qWait(300);
        }
        QVERIFY2(decodes(kB, kA), qPrintable(report()));
    }

    void aVideoStreamThatLostItsKeyframeGetsAnother()
    {
        // B loses A's camera packets for a while (a keyframe among them, as under loss or while
        // a branch is being linked): its depayloader then waits for a keyframe, and nothing
        // opens until one comes. B's transport notices packets arriving with no frame coming out
        // and asks Janus, which asks A: A's encoder makes one within a second or two, not at
        // its own next one up to 10 s later.
        Member& a = *m_members.at(kA);
        Member& b = *m_members.at(kB);
        QVERIFY2(decodes(kB, kA), qPrintable(report()));
        GstPad* pad = receivePadFeeding(b.mesh->pipeline(), "rtpvp8depay");
        QVERIFY2(pad, "B has no pad feeding a VP8 depayloader");
        const gulong drop = gst_pad_add_probe(
            pad, GST_PAD_PROBE_TYPE_BUFFER,
            [](GstPad*, GstPadProbeInfo*, gpointer) { return GST_PAD_PROBE_DROP; }, nullptr,
            nullptr);
        QTest::qWait(1500);
        const uint64_t keyframesBefore = a.keyframes;
        const uint64_t asksBefore = b.transport().keyframeAsks();
        gst_pad_remove_probe(pad, drop);
        gst_object_unref(pad);
        const uint64_t decodedBefore = b.from(kA, StreamKind::Camera).framesDecoded;
        QTRY_VERIFY2_WITH_TIMEOUT(a.keyframes > keyframesBefore,
                                  qPrintable(QStringLiteral("A made no keyframe; B asked %1 times")
                                                 .arg(b.transport().keyframeAsks() - asksBefore)),
                                  4000);
        QVERIFY(b.transport().keyframeAsks() > asksBefore);
        QTRY_VERIFY2_WITH_TIMEOUT(b.from(kA, StreamKind::Camera).framesDecoded >= decodedBefore + 5,
                                  qPrintable(report()), 4000);
    }

    void aSubscriptionWhoseNegotiationFailedIsMadeAfresh()
    {
        // An offer B cannot answer (here one that is not SDP; webrtcbin refusing one, or Janus
        // refusing B's answer, are the same to B): Janus would wait for an answer that never
        // comes and change nothing in B's subscription again - members who join later would
        // never be heard. B says so, drops the subscription and makes a new one.
        Member& b = *m_members.at(kB);
        QVERIFY2(decodes(kB, kA), qPrintable(report()));
        JanusRoomSession* session = b.transport().session();
        QVERIFY(session && session->subscriber());
        const int made = session->subscriptionsMade();
        GstPad* before = receivePadFeeding(b.mesh->pipeline(), "rtpvp8depay");
        QVERIFY(before);
        b.problems.clear();
        emit session->subscriber()->offer(QStringLiteral("not an offer"));
        QTRY_COMPARE_WITH_TIMEOUT(session->subscriptionsMade(), made + 1, 5000);
        QVERIFY2(b.problems.size() == 1 &&
                     b.problems.first().startsWith(QStringLiteral("media.janus_subscription")),
                 qPrintable(b.problems.join(QStringLiteral(" | "))));
        // A's streams come to B again, through the new subscription's pads.
        GstPad* after = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (after = receivePadFeeding(b.mesh->pipeline(), "rtpvp8depay")) != nullptr, 10000);
        QVERIFY(after != before);
        gst_object_unref(before);
        gst_object_unref(after);
        const uint64_t decodedBefore = b.from(kA, StreamKind::Camera).framesDecoded;
        QTRY_VERIFY2_WITH_TIMEOUT(b.from(kA, StreamKind::Camera).framesDecoded >= decodedBefore + 5,
                                  qPrintable(report()), 5000);
        QCOMPARE(b.transport().unattributedPads(), uint64_t(0));
    }

    void aLinkWhoseTurnServerRefusesItSaysSo()
    {
        // D may only relay (relay_only), through a real coturn that refuses its credentials
        // (made with a secret the server does not hold: what an expired or forged one gets).
        // Its links to Janus cannot carry media, and it hears so from each of them rather
        // than waiting in silence. Runs last: A's roster changes to A and D (on the
        // second instance: the first was killed earlier).
        testsupport::CoturnProcess turnServer(
            testsupport::CoturnProcess::Options{3478, true, false, 1});
        const QString started = turnServer.start();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        const QByteArray wrongSecret("not the server's secret");
        const auto credentials = turn::TurnCredentials::issue(
            crypto::ByteView(reinterpret_cast<const uint8_t*>(wrongSecret.constData()),
                             size_t(wrongSecret.size())),
            QStringLiteral("member-d"), std::chrono::system_clock::now() + std::chrono::hours(1));
        QVERIFY(credentials);
        MediaOptions options = m_options;
        options.localAddresses = {turnServer.clientAddress(0)};
        options.turnServers = {credentials->forServer(turnServer.url(QStringLiteral("udp")))};
        options.relayOnly = true;
        auto d = makeMember(kD, options);
        QVERIFY2(d->mesh, qPrintable(d->problems.join(' ')));
        Member* raw = d.get();
        m_members[kD] = std::move(d);
        epoch({kA, kD});
        for (uint32_t index : {kA, kD}) {
            const auto room = roomFor(m_second, m_two);
            QVERIFY(room);
            QVERIFY(m_members.at(index)->mesh->useRoom(*room));
        }
        const auto told = [raw] {
            return raw->problems.filter(QStringLiteral("media.turn_failed")).size();
        };
        // Its publisher's link and its subscription to A's feed: each says it once.
        QTRY_VERIFY2_WITH_TIMEOUT(told() == 2, qPrintable(report()), 20000);
        QVERIFY2(raw->problems.filter(QStringLiteral("the media server (Janus)")).size() >= 2,
                 qPrintable(report()));
        QCOMPARE(turnServer.allocations(credentials->username), 0);
        raw->mesh->stop();
        m_members.erase(kD);
    }

    void cleanup()
    {
        // QTest cuts long failure messages: the whole report and Janus's logs go out as well.
        if (QTest::currentTestFailed())
            qWarning("%s\nfirst Janus:\n%s\nsecond Janus:\n%s", qPrintable(report()),
                     qPrintable(m_first.logTail(30)), qPrintable(m_second.logTail(30)));
    }

    void cleanupTestCase()
    {
        for (auto& [index, m] : m_members)
            m->mesh->stop();
        m_members.clear();
    }
};

QTEST_GUILESS_MAIN(TestJanusTransport)
#include "tst_janus_transport.moc"
