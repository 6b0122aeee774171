// SPDX-License-Identifier: GPL-3.0-or-later
// The hub's Janus control against a real Janus 1.1.x in its own network namespace: rooms are
// private and created only with the admin key, `allowed` gates joins, remove + kick ends a
// participant's stay, the room secret and API secret are enforced, keepalives hold the session
// past Janus's timeout, and a Janus that dies is noticed within seconds. Janus is reached over
// wss with a pinned key (a wrong pin and plain ws are refused), and a member's publisher joins
// under its feed id with an opaque display and hears its own kick.
#include "JanusAwait.h"
#include "JanusProcess.h"
#include "hub/JanusRandom.h"
#include "hub/JanusRoomControl.h"
#include "janus/FeedId.h"
#include "janus/JanusConnection.h"
#include "janus/VideoRoomPublisher.h"
#include "janus/VideoRoomSubscriber.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>
#include <optional>

using namespace conclave;
using namespace conclave::hub;
using conclave::janus::JanusConnection;
using conclave::janus::PluginReply;
using conclave::janus::VideoRoomJoin;
using conclave::janus::VideoRoomPublisher;
using conclave::janus::VideoRoomSubscriber;
using conclave::testsupport::await;
using conclave::testsupport::describe;
using conclave::testsupport::JanusProcess;
using conclave::testsupport::why;

namespace {

JanusConnection::Options keepaliveEvery(std::chrono::milliseconds interval)
{
    JanusConnection::Options options;
    options.keepaliveInterval = interval;
    return options;
}

} // namespace

class TestJanusRooms : public QObject {
    Q_OBJECT

private:
    JanusProcess m_janus;
    std::unique_ptr<JanusConnection> m_control;
    std::unique_ptr<JanusRoomControl> m_rooms;
    JanusRoom m_room;

    // Every session here sends keepalives well inside Janus's 10 s timeout, so a participant
    // leaving can only be the hub's doing, never an expired session.
    std::unique_ptr<JanusConnection> connectSession(
        JanusConnection::Options options = keepaliveEvery(std::chrono::milliseconds(3000)))
    {
        if (options.apiSecret.isNull())
            options.apiSecret = m_janus.apiSecret();
        if (options.expectedPins.isEmpty())
            options.expectedPins = {m_janus.spkiPin()};
        auto c = std::make_unique<JanusConnection>(m_janus.wssUrl(), options);
        auto* raw = c.get();
        const Result<void> opened = await<void>([raw](auto done) { raw->open(done); });
        if (!opened)
            qWarning("open: %s", qPrintable(describe(opened.error())));
        return opened ? std::move(c) : nullptr;
    }

    /// A VideoRoom handle on `c`.
    static Result<qint64> videoRoomHandle(JanusConnection* c)
    {
        return await<qint64>(
            [c](auto done) { c->attach(QStringLiteral("janus.plugin.videoroom"), done); });
    }

    /// A plugin request on `c`'s handle, its data as the result.
    static Result<QJsonObject> ask(JanusConnection* c, qint64 handle, const QJsonObject& body)
    {
        const auto reply = await<PluginReply>(
            [=](auto done) { c->pluginRequest(handle, body, std::nullopt, done); });
        return reply ? Result<QJsonObject>{reply->data} : Result<QJsonObject>{reply.error()};
    }

    /// Joins m_room as a publisher on a fresh member session, as a client would (no media).
    Result<QJsonObject> joinAsMember(const QString& token, std::unique_ptr<JanusConnection>& keep)
    {
        keep = connectSession();
        if (!keep)
            return Error{"test.session", "the member's session did not open"};
        const auto handle = videoRoomHandle(keep.get());
        if (!handle)
            return handle.error();
        const QJsonObject join{{"request", "join"},
                               {"ptype", "publisher"},
                               {"room", static_cast<qint64>(m_room.id)},
                               {"display", JanusRandom::secret()},
                               {"token", token}};
        return ask(keep.get(), *handle, join);
    }

    bool isParticipant(std::uint64_t id)
    {
        const auto people = await<QList<JanusParticipant>>(
            [this](auto done) { m_rooms->listParticipants(m_room, done); });
        if (!people)
            return false;
        for (const auto& p : *people)
            if (p.id == id)
                return true;
        return false;
    }

private slots:
    void initTestCase()
    {
        const QString failure = m_janus.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        m_control = connectSession(keepaliveEvery(std::chrono::milliseconds(3000)));
        QVERIFY2(m_control, qPrintable(m_janus.logTail()));
        QCOMPARE(m_control->connectedPin(), m_janus.spkiPin());
        m_rooms = std::make_unique<JanusRoomControl>(*m_control, m_janus.adminKey());
        const auto room = await<JanusRoom>([this](auto done) {
            m_rooms->createRoom(JanusRoomSpec{12, false}, done);
        });
        QVERIFY2(room, qPrintable(why(room) + '\n' + m_janus.logTail()));
        m_room = *room;
        QVERIFY(m_room.id > 0 && m_room.id < (std::uint64_t{1} << 53));
    }

    void roomIsPrivateAndAsSpecified()
    {
        const auto rooms =
            await<QList<QJsonObject>>([this](auto done) { m_rooms->listRooms(done); });
        QVERIFY2(rooms, qPrintable(why(rooms)));
        std::optional<QJsonObject> mine;
        for (const auto& r : *rooms)
            if (static_cast<std::uint64_t>(r.value("room").toInteger()) == m_room.id)
                mine = r;
        QVERIFY2(mine, "the admin-key listing does not show the hub's room");
        QCOMPARE(mine->value("is_private").toBool(), true);
        QCOMPARE(mine->value("require_pvtid").toBool(), true);
        QCOMPARE(mine->value("require_e2ee").toBool(), true);
        QCOMPARE(mine->value("max_publishers").toInt(), 12);
        QCOMPARE(mine->value("audiocodec").toString(), QStringLiteral("opus"));
        QCOMPARE(mine->value("videocodec").toString(), QStringLiteral("vp8"));
        QCOMPARE(mine->value("description").toString(), m_room.description);

        // Without the admin key (as any client could ask) the private room is not listed.
        auto member = connectSession();
        QVERIFY(member);
        const auto handle = videoRoomHandle(member.get());
        QVERIFY2(handle, qPrintable(why(handle)));
        const auto open = ask(member.get(), *handle, QJsonObject{{"request", "list"}});
        QVERIFY2(open, qPrintable(why(open)));
        for (const auto& r : open->value("list").toArray())
            QVERIFY(static_cast<std::uint64_t>(r.toObject().value("room").toInteger()) !=
                    m_room.id);
    }

    void createWithoutAdminKeyIsRefused()
    {
        JanusRoomControl intruder(*m_control, JanusRandom::secret());
        const auto room =
            await<JanusRoom>([&](auto done) { intruder.createRoom(JanusRoomSpec{}, done); });
        QVERIFY2(!room, "Janus created a room for a caller without the admin key");
        QCOMPARE(room.error().code, std::string("janus.refused"));
        QVERIFY2(QString::fromStdString(room.error().message).contains("433"),
                 qPrintable(describe(room.error())));
    }

    void wrongPinIsRefusedBeforeAnyRequest()
    {
        const int sessionsBefore = m_janus.logTail(100000).count("Creating new session");
        QVERIFY2(sessionsBefore > 0, "Janus's log does not show sessions being made; the check "
                                     "below that none was made would prove nothing");
        JanusConnection::Options options;
        options.apiSecret = m_janus.apiSecret();
        const QString wrong = QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        options.expectedPins = {wrong};
        JanusConnection c(m_janus.wssUrl(), options);
        const auto opened = await<void>([&c](auto done) { c.open(done); });
        QVERIFY2(!opened, "a Janus whose key does not match the pin was used");
        QCOMPARE(opened.error().code, std::string("janus.pin_mismatch"));
        QCOMPARE(opened.error().category, ErrorCategory::ConnectionOrIdentity);
        const QString message = QString::fromStdString(opened.error().message);
        QVERIFY2(message.contains(wrong) && message.contains(m_janus.spkiPin()) &&
                     message.contains("administrator"),
                 qPrintable(message));
        QCOMPARE(c.sessionId(), 0);
        QTest::qWait(300); // anything sent would have reached Janus's log by now
        QCOMPARE(m_janus.logTail(100000).count("Creating new session"), sessionsBefore);
        QVERIFY(!c.isReady());
    }

    void plainWsIsRefusedWithoutTheTestFlag()
    {
        JanusConnection::Options options;
        options.apiSecret = m_janus.apiSecret();
        JanusConnection plain(m_janus.wsUrl(), options);
        const auto opened = await<void>([&plain](auto done) { plain.open(done); });
        QVERIFY2(!opened, "a plain ws:// Janus was used without the test flag");
        QCOMPARE(opened.error().code, std::string("janus.plain_refused"));
        // The same address works with the flag: the refusal above is the flag's doing.
        options.allowPlainForTests = true;
        JanusConnection flagged(m_janus.wsUrl(), options);
        const auto flaggedOpen = await<void>([&flagged](auto done) { flagged.open(done); });
        QVERIFY2(flaggedOpen, qPrintable(why(flaggedOpen)));
        // A wss address with no pin to check is refused too: nothing else vouches for Janus.
        JanusConnection::Options noPin;
        noPin.apiSecret = m_janus.apiSecret();
        JanusConnection unpinned(m_janus.wssUrl(), noPin);
        const auto unpinnedOpen = await<void>([&unpinned](auto done) { unpinned.open(done); });
        QVERIFY(!unpinnedOpen);
        QCOMPARE(unpinnedOpen.error().code, std::string("janus.no_pin"));
    }

    void sessionWithoutApiSecretIsRefused()
    {
        JanusConnection::Options noSecret;
        noSecret.expectedPins = {m_janus.spkiPin()};
        noSecret.apiSecret = QStringLiteral(""); // not null: connectSession keeps it empty
        auto c = std::make_unique<JanusConnection>(m_janus.wssUrl(), noSecret);
        auto* raw = c.get();
        const auto opened = await<void>([raw](auto done) { raw->open(done); });
        QVERIFY2(!opened, "Janus opened a session without the API secret");
        QCOMPARE(opened.error().code, std::string("janus.refused"));
    }

    void allowedGatesJoinsAndRemovePlusKickEndsAStay()
    {
        const QString token = JanusRandom::memberToken();
        std::unique_ptr<JanusConnection> member;

        const auto before = joinAsMember(token, member);
        QVERIFY2(!before, "Janus let a token that is not in `allowed` join");
        QVERIFY2(QString::fromStdString(before.error().message).contains("433"),
                 qPrintable(describe(before.error())));

        const auto added =
            await<QStringList>([&](auto done) { m_rooms->allow(m_room, token, done); });
        QVERIFY2(added, qPrintable(why(added)));
        QVERIFY(added->contains(token));

        const auto joined = joinAsMember(token, member);
        QVERIFY2(joined, qPrintable(why(joined)));
        QCOMPARE(joined->value("videoroom").toString(), QStringLiteral("joined"));
        const auto id = static_cast<std::uint64_t>(joined->value("id").toInteger());
        QVERIFY(id != 0);
        QVERIFY2(isParticipant(id), "the admitted member is not listed in the room");

        const auto removed =
            await<QStringList>([&](auto done) { m_rooms->disallow(m_room, token, done); });
        QVERIFY2(removed, qPrintable(why(removed)));
        QVERIFY(!removed->contains(token));
        // Removing the token alone does not end the stay (kick is not a ban, nor the reverse).
        QVERIFY(isParticipant(id));
        const auto kicked = await<void>([&](auto done) { m_rooms->kick(m_room, id, done); });
        QVERIFY2(kicked, qPrintable(why(kicked)));
        QTRY_VERIFY_WITH_TIMEOUT(!isParticipant(id), 5000);

        std::unique_ptr<JanusConnection> again;
        const auto rejoin = joinAsMember(token, again);
        QVERIFY2(!rejoin, "a removed member's token joined again");
        QVERIFY2(QString::fromStdString(rejoin.error().message).contains("433"),
                 qPrintable(describe(rejoin.error())));
    }

    void memberPublisherJoinsWithItsFeedIdAndIsKicked()
    {
        // The member's client side (VideoRoomPublisher / VideoRoomSubscriber), signalling only.
        auto member = connectSession();
        QVERIFY(member);
        const std::uint64_t feed = janus::feedIdFor(m_room.id, QByteArray(32, 'm'));
        const QString token = JanusRandom::memberToken();

        VideoRoomPublisher refusedPublisher(*member);
        const auto refused = await<QList<std::uint64_t>>([&](auto done) {
            refusedPublisher.join(VideoRoomJoin{m_room.id, feed, token}, done);
        });
        QVERIFY2(!refused, "a member publisher joined with a token the hub never allowed");
        QCOMPARE(refused.error().code, std::string("janus.refused"));
        const QString words = QString::fromStdString(refused.error().message);
        QVERIFY2(words.contains("Janus refused this member's media token") && words.contains("433"),
                 qPrintable(words));

        QVERIFY(await<QStringList>([&](auto done) { m_rooms->allow(m_room, token, done); }));
        VideoRoomPublisher publisher(*member);
        QSignalSpy kicked(&publisher, &VideoRoomPublisher::kicked);
        const auto joined = await<QList<std::uint64_t>>([&](auto done) {
            publisher.join(VideoRoomJoin{m_room.id, feed, token}, done);
        });
        QVERIFY2(joined, qPrintable(why(joined)));
        QVERIFY(publisher.privateId() != 0);
        QVERIFY2(isParticipant(feed), "Janus does not list the member under its feed id");
        const auto people = await<QList<JanusParticipant>>(
            [this](auto done) { m_rooms->listParticipants(m_room, done); });
        QVERIFY(people);
        for (const auto& p : *people)
            if (p.id == feed)
                QCOMPARE(p.display, QString::number(feed)); // opaque: the feed id, never a name

        // A feed that has joined but publishes nothing cannot be subscribed to (Janus checks the
        // feed before the private id; the private id refusal is in tst_janus_media, where the
        // feed publishes).
        VideoRoomSubscriber stranger(*member);
        const auto noPvt = await<void>([&](auto done) {
            stranger.join(VideoRoomJoin{m_room.id, feed, token},
                          janus::feedIdFor(1, QByteArray(32, 'x')), {feed}, done);
        });
        QVERIFY2(!noPvt, "Janus let a member subscribe to a feed that publishes nothing");
        QVERIFY2(QString::fromStdString(noPvt.error().message).contains("428"),
                 qPrintable(describe(noPvt.error())));

        // The same feed id a second time (another device, or someone posing as the member) is
        // refused in the member's words.
        auto second = connectSession();
        QVERIFY(second);
        VideoRoomPublisher twice(*second);
        const auto duplicate = await<QList<std::uint64_t>>([&](auto done) {
            twice.join(VideoRoomJoin{m_room.id, feed, token}, done);
        });
        QVERIFY2(!duplicate, "Janus let a second publisher join under a feed id in use");
        QVERIFY2(QString::fromStdString(duplicate.error().message).contains("436") &&
                     QString::fromStdString(duplicate.error().message).contains("feed id"),
                 qPrintable(describe(duplicate.error())));

        QVERIFY(await<QStringList>([&](auto done) { m_rooms->disallow(m_room, token, done); }));
        QVERIFY(await<void>([&](auto done) { m_rooms->kick(m_room, feed, done); }));
        QTRY_COMPARE_WITH_TIMEOUT(kicked.count(), 1, 5000);
    }

    void wrongRoomSecretIsRefused()
    {
        JanusRoom forged = m_room;
        forged.secret = JanusRandom::secret();
        const auto added = await<QStringList>(
            [&](auto done) { m_rooms->allow(forged, JanusRandom::memberToken(), done); });
        QVERIFY2(!added, "Janus changed `allowed` with a wrong room secret");
        QVERIFY2(QString::fromStdString(added.error().message).contains("433"),
                 qPrintable(describe(added.error())));
        const auto destroyed = await<void>([&](auto done) { m_rooms->destroyRoom(forged, done); });
        QVERIFY2(!destroyed, "Janus destroyed a room for a wrong secret");
    }

    void keepalivesHoldTheSessionPastJanusTimeout()
    {
        // Janus here expires sessions after 10 s of silence. The control connection sends a
        // keepalive every 3 s; a second one that never does is the control group.
        auto silent = connectSession(keepaliveEvery(std::chrono::milliseconds(600000)));
        QVERIFY(silent);
        QSignalSpy silentLost(silent.get(), &JanusConnection::lost);
        QSignalSpy controlLost(m_control.get(), &JanusConnection::lost);
        QTest::qWait(15000);
        QVERIFY2(silentLost.count() == 1, "Janus did not expire a session without keepalives; "
                                          "the keepalive check below would prove nothing");
        QCOMPARE(controlLost.count(), 0);
        QVERIFY(m_control->keepalivesAcknowledged() >= 3);
        const auto rooms =
            await<QList<QJsonObject>>([this](auto done) { m_rooms->listRooms(done); });
        QVERIFY2(rooms, qPrintable(why(rooms)));
    }

    void destroyRemovesTheRoom()
    {
        const auto destroyed = await<void>([&](auto done) { m_rooms->destroyRoom(m_room, done); });
        QVERIFY2(destroyed, qPrintable(why(destroyed)));
        const auto rooms =
            await<QList<QJsonObject>>([this](auto done) { m_rooms->listRooms(done); });
        QVERIFY2(rooms, qPrintable(why(rooms)));
        for (const auto& r : *rooms)
            QVERIFY(static_cast<std::uint64_t>(r.value("room").toInteger()) != m_room.id);
    }

    void closedPortIsUnreachable()
    {
        QUrl url = m_janus.wssUrl();
        url.setPort(8990); // inside Janus's namespace, nothing listens there
        JanusConnection::Options options;
        options.expectedPins = {m_janus.spkiPin()};
        JanusConnection c(url, options);
        const auto opened = await<void>([&c](auto done) { c.open(done); });
        QVERIFY2(!opened, "a connection to a closed port opened");
        QCOMPARE(opened.error().code, std::string("janus.unreachable"));
    }

    void silentServerTimesOut()
    {
        // Accepts TCP and never answers the TLS handshake: open must still end.
        QTcpServer mute;
        QVERIFY(mute.listen(QHostAddress::LocalHost));
        JanusConnection::Options quick;
        quick.expectedPins = {m_janus.spkiPin()};
        quick.requestTimeout = std::chrono::milliseconds(1000);
        JanusConnection c(QUrl(QStringLiteral("wss://127.0.0.1:%1/").arg(mute.serverPort())),
                          quick);
        QElapsedTimer clock;
        clock.start();
        const auto opened = await<void>([&c](auto done) { c.open(done); }, 5000);
        QVERIFY2(!opened, "open did not fail against a server that never answers");
        QCOMPARE(opened.error().code, std::string("janus.unreachable"));
        QVERIFY(clock.elapsed() < 3000);
    }

    void frozenJanusIsNoticedByItsKeepalive()
    {
        JanusConnection::Options quick = keepaliveEvery(std::chrono::milliseconds(1000));
        quick.requestTimeout = std::chrono::milliseconds(2000);
        auto watcher = connectSession(quick);
        QVERIFY(watcher);
        QSignalSpy lost(watcher.get(), &JanusConnection::lost);
        m_janus.freeze();
        const bool noticed = lost.wait(6000);
        m_janus.thaw();
        QVERIFY2(noticed, "a Janus that stopped answering was not noticed");
        QCOMPARE(lost.at(0).at(0).value<Error>().code, std::string("janus.unreachable"));
        // The hub's own session, frozen for less than Janus's timeout, lives on.
        const auto rooms =
            await<QList<QJsonObject>>([this](auto done) { m_rooms->listRooms(done); });
        QVERIFY2(rooms, qPrintable(why(rooms)));
    }

    void deadJanusIsNoticedWithinSeconds()
    {
        QSignalSpy lost(m_control.get(), &JanusConnection::lost);
        m_janus.kill();
        QTRY_COMPARE_WITH_TIMEOUT(lost.count(), 1, 5000);
        const auto why = lost.at(0).at(0).value<Error>();
        QCOMPARE(why.code, std::string("janus.unreachable"));
        const auto after =
            await<QList<QJsonObject>>([this](auto done) { m_rooms->listRooms(done); });
        QVERIFY(!after);
        QCOMPARE(after.error().code, std::string("janus.unreachable"));
    }
};

QTEST_GUILESS_MAIN(TestJanusRooms)
#include "tst_janus_rooms.moc"
