// SPDX-License-Identifier: GPL-3.0-or-later
// The hub's media rooms on real Janus instances (docs/scaling.md "Room placement"): a room per
// meeting on the least-loaded instance, a token per admission that only its member receives
// and that works in Janus, removal takes it off `allowed` and kicks the member's publisher,
// the end destroys the room, and when an instance dies its meetings move to another instance
// with new tokens for everyone - or, with none left, members are told.
#include "JanusAwait.h"
#include "JanusProcess.h"
#include "hub/JanusRandom.h"
#include "hub/JanusRooms.h"
#include "janus/FeedId.h"
#include "janus/JanusConnection.h"

#include <QSignalSpy>
#include <QTest>

#include <map>
#include <memory>

using namespace conclave;
using namespace conclave::hub;
using conclave::janus::JanusConnection;
using conclave::testsupport::await;
using conclave::testsupport::JanusProcess;
using Kind = MediaRoomChange::Kind;

namespace {

const QByteArray kMeeting1(16, '\x01');
const QByteArray kMeeting2(16, '\x02');
const QByteArray kAlice(32, 'a');
const QByteArray kBob(32, 'b');
constexpr ConnectionId kAliceConnection = 11;
constexpr ConnectionId kBobConnection = 12;

JanusInstanceConfig configOf(const JanusProcess& janus)
{
    return {janus.wssUrl(), janus.spkiPin(), janus.adminKey(), janus.apiSecret()};
}

/// What the hub's sockets would have carried, per connection.
struct Delivered {
    std::map<ConnectionId, QList<HubNotice>> notices;

    /// The newest media_room notice for `id` (after waiting up to `ms` for one that is not
    /// `unlike`).
    std::optional<HubNotice> mediaRoom(ConnectionId id, const QString& unlikeToken = {},
                                       int ms = 15000)
    {
        QDeadlineTimer deadline(ms);
        do {
            for (auto n = notices[id].rbegin(); n != notices[id].rend(); ++n)
                if (n->kind == HubNotice::Kind::MediaRoom && n->token != unlikeToken)
                    return *n;
            QTest::qWait(20);
        } while (!deadline.hasExpired());
        return std::nullopt;
    }
    QString errorCode(ConnectionId id, int ms = 15000)
    {
        QDeadlineTimer deadline(ms);
        do {
            for (const HubNotice& n : notices[id])
                if (n.kind == HubNotice::Kind::Error)
                    return n.code;
            QTest::qWait(20);
        } while (!deadline.hasExpired());
        return {};
    }
};

JanusRooms::Options quickOptions()
{
    JanusRooms::Options o;
    o.connection.keepaliveInterval = std::chrono::milliseconds(2000);
    o.connection.requestTimeout = std::chrono::milliseconds(4000);
    o.retryInterval = std::chrono::milliseconds(500);
    return o;
}

/// A member's own Janus session, as its client would open it with the notice it was given.
struct MemberSession {
    std::unique_ptr<JanusConnection> connection;
    qint64 handle = 0;
};

Result<QJsonObject> joinAsPublisher(const JanusProcess& janus, const HubNotice& notice,
                                    const QByteArray& identity, MemberSession& session)
{
    JanusConnection::Options options;
    options.keepaliveInterval = std::chrono::milliseconds(2000);
    options.expectedPins = {janus.spkiPin()};
    options.apiSecret = janus.apiSecret();
    session.connection = std::make_unique<JanusConnection>(QUrl(notice.endpoint), options);
    JanusConnection* c = session.connection.get();
    if (auto opened = await<void>([c](auto done) { c->open(done); }); !opened)
        return opened.error();
    auto handle = await<qint64>(
        [c](auto done) { c->attach(QStringLiteral("janus.plugin.videoroom"), done); });
    if (!handle)
        return handle.error();
    session.handle = *handle;
    const QJsonObject join{{"request", "join"},
                           {"ptype", "publisher"},
                           {"room", qint64(notice.room)},
                           {"id", qint64(janus::feedIdFor(notice.room, identity))},
                           {"display", QStringLiteral("opaque")},
                           {"token", notice.token}};
    auto reply = await<janus::PluginReply>(
        [&](auto done) { c->pluginRequest(session.handle, join, std::nullopt, done); });
    if (!reply)
        return reply.error();
    return reply->data;
}

} // namespace

class TestJanusPlacement : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<JanusRooms> roomsOn(const std::vector<JanusProcess*>& instances,
                                        Delivered& delivered, QList<HubEvent>* events = nullptr)
    {
        std::vector<JanusInstanceConfig> configs;
        for (JanusProcess* j : instances)
            configs.push_back(configOf(*j));
        auto rooms = std::make_unique<JanusRooms>(std::move(configs), quickOptions());
        rooms->setDelivery(
            [&delivered](ConnectionId id, const HubNotice& n) { delivered.notices[id] << n; });
        if (events)
            connect(rooms.get(), &JanusRooms::event, this,
                    [events](const HubEvent& e) { *events << e; });
        rooms->start();
        JanusRooms* raw = rooms.get();
        const size_t want = instances.size();
        if (!QTest::qWaitFor([raw, want] { return raw->readyInstances() == want; }, 15000))
            qWarning("not every Janus instance became ready");
        return rooms;
    }

private slots:
    void aTokenIsGivenOnAdmissionAndTakenOnRemoval()
    {
        JanusProcess janus;
        QString failure = janus.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        Delivered delivered;
        auto rooms = roomsOn({&janus}, delivered);
        QCOMPARE(rooms->readyInstances(), size_t(1));

        rooms->apply({Kind::Open, kMeeting1, {}, 0});
        rooms->apply({Kind::Join, kMeeting1, kAlice, kAliceConnection});
        rooms->apply({Kind::Join, kMeeting1, kBob, kBobConnection});
        const auto alice = delivered.mediaRoom(kAliceConnection);
        const auto bob = delivered.mediaRoom(kBobConnection);
        QVERIFY(alice && bob);
        QCOMPARE(QUrl(alice->endpoint), janus.wssUrl());
        QCOMPARE(alice->room, rooms->roomOf(kMeeting1)->id);
        QCOMPARE(bob->room, alice->room);
        QVERIFY(alice->token != bob->token); // each its own

        // The token works in Janus, for its member's own feed id.
        MemberSession aliceSession;
        auto joined = joinAsPublisher(janus, *alice, kAlice, aliceSession);
        QVERIFY2(joined.ok(), joined.ok() ? "" : joined.error().message.c_str());
        QCOMPARE(joined->value("videoroom").toString(), QStringLiteral("joined"));
        QCOMPARE(quint64(joined->value("id").toInteger()), janus::feedIdFor(alice->room, kAlice));

        // Removed: kicked, and the token is dead - the same member cannot come back with it.
        QSignalSpy aliceEvents(aliceSession.connection.get(), &JanusConnection::event);
        rooms->apply({Kind::Leave, kMeeting1, kAlice, 0});
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const auto& args : aliceEvents) {
                    const auto e = args.at(0).value<janus::JanusEvent>();
                    if (e.data.value("leaving").toString() == QLatin1String("ok") ||
                        e.data.contains(QStringLiteral("kicked")) ||
                        e.kind == janus::JanusEvent::Kind::Detached ||
                        e.kind == janus::JanusEvent::Kind::Hangup)
                        return true;
                }
                return false;
            },
            10000));
        MemberSession again;
        auto rejoin = joinAsPublisher(janus, *alice, kAlice, again);
        QVERIFY(!rejoin.ok());
        QCOMPARE(rejoin.error().code, std::string("janus.refused"));

        // Bob's token still works; at the end the room goes.
        MemberSession bobSession;
        QVERIFY(joinAsPublisher(janus, *bob, kBob, bobSession).ok());
        const JanusRoom room = *rooms->roomOf(kMeeting1);
        rooms->apply({Kind::Close, kMeeting1, {}, 0});
        MemberSession late;
        QVERIFY(
            QTest::qWaitFor([&] { return !joinAsPublisher(janus, *bob, kBob, late).ok(); }, 10000));
        QVERIFY(!rooms->roomOf(kMeeting1));
        Q_UNUSED(room);
    }

    void aTokenForSomeoneWhoLeftMeanwhileIsNeverDelivered()
    {
        JanusProcess janus;
        QString failure = janus.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        Delivered delivered;
        auto rooms = roomsOn({&janus}, delivered);
        rooms->apply({Kind::Open, kMeeting1, {}, 0});
        rooms->apply({Kind::Join, kMeeting1, kAlice, kAliceConnection});
        rooms->apply({Kind::Leave, kMeeting1, kAlice, 0}); // before Janus answered anything
        rooms->apply({Kind::Join, kMeeting1, kBob, kBobConnection});
        QVERIFY(delivered.mediaRoom(kBobConnection));
        QTest::qWait(300);
        QVERIFY(!delivered.mediaRoom(kAliceConnection, {}, 0));
    }

    // An instance that does not answer when the hub starts is tried again until it does, and
    // said unreachable once, not at every attempt.
    void anInstanceDownAtStartIsTriedAgainAndLoggedOnce()
    {
        JanusProcess janus;
        QString failure = janus.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        janus.freeze();
        Delivered delivered;
        QList<HubEvent> events;
        std::vector<JanusInstanceConfig> configs{configOf(janus)};
        JanusRooms rooms(std::move(configs), quickOptions());
        connect(&rooms, &JanusRooms::event, this, [&events](const HubEvent& e) { events << e; });
        rooms.start();
        const auto said = [&](const char* what) {
            return std::count_if(events.begin(), events.end(), [what](const HubEvent& e) {
                return e.kind == HubEvent::Kind::JanusInstance &&
                       e.detail.endsWith(QLatin1String(what));
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(said(" unreachable") == 1, 15000);
        QTest::qWait(6000); // more failed attempts, each 4 s plus the 0.5 s retry
        QCOMPARE(said(" unreachable"), qsizetype(1));
        janus.thaw();
        QTRY_COMPARE_WITH_TIMEOUT(rooms.readyInstances(), size_t(1), 15000);
        QCOMPARE(said(" ready"), qsizetype(1));
    }

    void roomsGoToTheLeastLoadedInstanceAndMoveWhenOneDies()
    {
        JanusProcess first;
        JanusProcess second;
        for (JanusProcess* j : {&first, &second}) {
            const QString failure = j->start();
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
        }
        Delivered delivered;
        QList<HubEvent> events;
        auto rooms = roomsOn({&first, &second}, delivered, &events);
        QCOMPARE(rooms->readyInstances(), size_t(2));

        rooms->apply({Kind::Open, kMeeting1, {}, 0});
        rooms->apply({Kind::Join, kMeeting1, kAlice, kAliceConnection});
        QVERIFY(delivered.mediaRoom(kAliceConnection));
        rooms->apply({Kind::Open, kMeeting2, {}, 0});
        rooms->apply({Kind::Join, kMeeting2, kBob, kBobConnection});
        const auto bobBefore = delivered.mediaRoom(kBobConnection);
        QVERIFY(bobBefore);
        const QUrl one = *rooms->placementOf(kMeeting1);
        const QUrl two = *rooms->placementOf(kMeeting2);
        QVERIFY2(one != two, "the second meeting went to the busier instance");

        // The instance holding meeting 1 dies: meeting 1 moves to the other, with a new room
        // and a new token that works there; meeting 2 stays where it was.
        const auto aliceBefore = delivered.mediaRoom(kAliceConnection);
        JanusProcess& dying = one == first.wssUrl() ? first : second;
        JanusProcess& living = one == first.wssUrl() ? second : first;
        dying.kill();
        const auto aliceAfter = delivered.mediaRoom(kAliceConnection, aliceBefore->token);
        QVERIFY2(aliceAfter, "the member was not given a room on the other instance");
        QCOMPARE(QUrl(aliceAfter->endpoint), living.wssUrl());
        QVERIFY(aliceAfter->room != aliceBefore->room);
        MemberSession aliceSession;
        QVERIFY(joinAsPublisher(living, *aliceAfter, kAlice, aliceSession).ok());
        QCOMPARE(*rooms->placementOf(kMeeting2), two);
        QCOMPARE(delivered.mediaRoom(kBobConnection)->token, bobBefore->token);
        QVERIFY(std::any_of(events.begin(), events.end(), [](const HubEvent& e) {
            return e.kind == HubEvent::Kind::MediaRoom && e.detail.startsWith("moved to");
        }));

        // With no instance left, the members are told why their media stopped.
        living.kill();
        QCOMPARE(delivered.errorCode(kAliceConnection), QStringLiteral("janus.unavailable"));
        QCOMPARE(delivered.errorCode(kBobConnection), QStringLiteral("janus.unavailable"));
        QCOMPARE(rooms->readyInstances(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestJanusPlacement)
#include "tst_janus_placement.moc"
