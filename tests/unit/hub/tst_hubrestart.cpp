// SPDX-License-Identifier: GPL-3.0-or-later
// A hub restarted from its saved state (HubStateStore, a real SQLite file) goes on enforcing
// what it enforced before (docs/operations.md, "The hub's saved state"): members resume their
// places without the chair, bans and denials hold, a spent invite stays spent, an old message
// is still a replay, an ended meeting is still ended, co-chairs, the room's switches and a
// chair change hold, and members who do not come back still lose their places.
#include "HubHarness.h"
#include "TestMeeting.h"
#include "meeting/MessageBodies.h"

#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace conclave;
using namespace conclave::hub;
using namespace conclave::hubtest;
using Kind = HubNotice::Kind;
using protocol::MessageType;
using namespace std::chrono_literals;

namespace {

/// A hub with its state file, restarted as often as a test likes. `hub` is the one running.
class RestartingHub {
public:
    RestartingHub()
    {
        auto store = HubStateStore::open(
            (m_dir.path() + QLatin1Char('/') + QLatin1String(HubStateStore::kFileName))
                .toStdString());
        if (!store)
            qFatal("cannot open the state file: %s", store.error().message.c_str());
        m_store = std::move(store).value();
        hub = std::make_unique<HubHarness>();
        hub->keepState(*m_store);
    }

    /// The process goes (no clean stop: nothing more is saved) and a new one starts `later`,
    /// from the same file, with `gate`.
    Result<void> restart(std::chrono::seconds later = 10s, DescriptorGate gate = DescriptorGate())
    {
        const TimePoint then = hub->clock.now() + later;
        hub.reset();
        // Reopened, as a new process would: nothing is carried over in memory.
        const std::string path = m_store->path();
        m_store.reset();
        auto store = HubStateStore::open(path);
        if (!store)
            return store.error();
        m_store = std::move(store).value();
        hub = std::make_unique<HubHarness>(HubLimits{}, std::move(gate));
        hub->clock.set(then);
        return hub->restoreFrom(*m_store);
    }

    HubStateStore& store() { return *m_store; }

    std::unique_ptr<HubHarness> hub;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HubStateStore> m_store;
};

#define RESTART(r, ...)                                                                            \
    do {                                                                                           \
        const auto restarted = (r).restart(__VA_ARGS__);                                           \
        QVERIFY2(restarted, restarted ? "" : restarted.error().message.c_str());                   \
    } while (false)

} // namespace

class TestHubRestart : public QObject {
    Q_OBJECT

private slots:
    void membersResumeTheirPlacesBeforeTheChairIsBack()
    {
        RestartingHub r;
        TestMeeting m;
        TestPerson bob, carol;
        const ConnectionId chair = r.hub->startMeeting(m);
        r.hub->admitMember(m, chair, bob);
        r.hub->admitMember(m, chair, carol, QStringLiteral("192.0.2.22"));

        RESTART(r);
        HubHarness& h = *r.hub;
        const HubMeeting* meeting = h.hub.meeting(m.id);
        QVERIFY(meeting);
        QVERIFY(meeting->isAway(bob.id()) && meeting->isAway(carol.id()) &&
                meeting->isAway(m.chair.id()));
        QCOMPARE(h.count(HubEvent::Kind::MeetingRestored), 1);

        const ConnectionId bobC = h.connect(QStringLiteral("192.0.2.77"));
        h.send(bobC, m.resume(bob));
        QVERIFY(h.take(bobC).find(Kind::Resumed));
        QVERIFY(!h.isClosed(bobC));
        // Nobody can be let in until the chair is back.
        TestPerson newcomer;
        QCOMPARE(h.knockCode(m.knock(newcomer, m.invite(&newcomer))),
                 QStringLiteral("meeting.chair_absent"));

        const ConnectionId chairC = h.connect(HubHarness::kChairSource);
        h.send(chairC, m.create());
        QVERIFY(h.take(chairC).find(Kind::Created));
        QCOMPARE(h.take(bobC).find(Kind::Back)->identity, m.chair.id());
        const QByteArray hb = m.heartbeat();
        h.send(chairC, hb);
        QCOMPARE(h.take(bobC).envelopes, QList<QByteArray>{hb});

        const ConnectionId carolC = h.connect(QStringLiteral("192.0.2.78"));
        const QByteArray carolBack = m.resume(carol);
        h.send(carolC, carolBack);
        QVERIFY(h.take(carolC).find(Kind::Resumed));
        const Inbox atChair = h.take(chairC);
        QCOMPARE(atChair.find(Kind::Back)->identity, carol.id());
        QCOMPARE(atChair.envelopes, QList<QByteArray>{carolBack}); // the chair resyncs her
        h.send(carolC, m.ack(carol));
        QCOMPARE(h.take(carolC).errorCode(), QString());
        QCOMPARE(h.take(bobC).envelopes.size(), qsizetype(1));
    }

    void bansDenialsAndSpentInvitesHold()
    {
        RestartingHub r;
        TestMeeting m;
        TestPerson bob, dave, eve, fay, mallory;
        const QByteArray bobsInvite = m.invite(); // not bound to anyone: anyone could try it
        ConnectionId chair = r.hub->startMeeting(m);
        {
            HubHarness& h = *r.hub;
            const ConnectionId bobC = h.connect(QStringLiteral("192.0.2.21"));
            h.send(bobC, m.knock(bob, bobsInvite));
            h.send(chair, m.admit(bob));
            QVERIFY(h.take(bobC).find(Kind::Admitted));
            h.admitMember(m, chair, dave, QStringLiteral("192.0.2.23"));
            h.send(chair, m.remove(dave));
            QCOMPARE(h.take(chair).errorCode(), QString());
            for (int i = 0; i < 2; ++i) { // denied twice: banned
                QCOMPARE(h.knockCode(m.knock(eve, m.invite(&eve))), QString());
                h.send(chair, m.deny(eve));
            }
            QCOMPARE(h.knockCode(m.knock(fay, m.invite(&fay))), QString());
            h.send(chair, m.deny(fay)); // once
            QVERIFY(h.hub.meeting(m.id)->isBanned(eve.id()));
        }

        RESTART(r);
        HubHarness& h = *r.hub;
        QVERIFY(h.hub.meeting(m.id)->isBanned(dave.id()));
        chair = h.connect(HubHarness::kChairSource);
        h.send(chair, m.create());
        QVERIFY(h.take(chair).find(Kind::Created));

        QCOMPARE(h.knockCode(m.knock(dave, m.invite(&dave))), QStringLiteral("meeting.banned"));
        QCOMPARE(h.knockCode(m.knock(eve, m.invite(&eve))), QStringLiteral("meeting.banned"));
        QCOMPARE(h.knockCode(m.knock(mallory, bobsInvite)), QStringLiteral("invite.used"));
        // A removed member coming back is told it was removed.
        const ConnectionId daveC = h.connect(QStringLiteral("192.0.2.79"));
        h.send(daveC, m.resume(dave));
        QVERIFY(h.take(daveC).find(Kind::Removed));
        QVERIFY(h.isClosed(daveC));
        // A first denial before the restart and one after make two.
        QCOMPARE(h.knockCode(m.knock(fay, m.invite(&fay))), QString());
        h.send(chair, m.deny(fay));
        QCOMPARE(h.knockCode(m.knock(fay, m.invite(&fay))), QStringLiteral("meeting.banned"));
    }

    void anOldMessageIsStillAReplay()
    {
        RestartingHub r;
        TestMeeting m;
        TestPerson bob;
        const QByteArray firstCreate = m.create();
        const ConnectionId chair = r.hub->connect(HubHarness::kChairSource);
        r.hub->send(chair, firstCreate);
        QVERIFY(r.hub->take(chair).find(Kind::Created));
        const ConnectionId bobFirst = r.hub->admitMember(m, chair, bob);
        r.hub->disconnect(bobFirst);
        const QByteArray bobsResume = m.resume(bob);
        const ConnectionId bobSecond = r.hub->connect(QStringLiteral("192.0.2.77"));
        r.hub->send(bobSecond, bobsResume);
        QVERIFY(r.hub->take(bobSecond).find(Kind::Resumed));
        const QByteArray oldAck = m.ack(bob);
        r.hub->send(bobSecond, oldAck);
        r.hub->send(bobSecond, m.ack(bob));
        r.hub->advance(1s); // the tick saves the last numbers

        RESTART(r);
        HubHarness& h = *r.hub;
        // Whoever kept bob's resume cannot take his place with it, nor the chair's with its
        // create.
        const ConnectionId thief = h.connect(QStringLiteral("192.0.2.90"));
        h.send(thief, bobsResume);
        QCOMPARE(h.take(thief).refusal(), QStringLiteral("protocol.replay"));
        const ConnectionId thief2 = h.connect(QStringLiteral("192.0.2.91"));
        h.send(thief2, firstCreate);
        QCOMPARE(h.take(thief2).refusal(), QStringLiteral("protocol.replay"));
        QVERIFY(h.hub.meeting(m.id)->isAway(bob.id()));

        // Bob himself, with a fresh resume, is back; an old message of his is still refused.
        const ConnectionId bobC = h.connect(QStringLiteral("192.0.2.78"));
        h.send(bobC, m.resume(bob));
        QVERIFY(h.take(bobC).find(Kind::Resumed));
        h.send(bobC, oldAck);
        QCOMPARE(h.take(bobC).errorCode(), QStringLiteral("protocol.replay"));
        h.send(bobC, m.ack(bob));
        QCOMPARE(h.take(bobC).errorCode(), QString());
    }

    void aResumeIsSavedAtOnce()
    {
        RestartingHub r;
        TestMeeting m;
        TestPerson bob;
        const ConnectionId chair = r.hub->startMeeting(m);
        r.hub->disconnect(r.hub->admitMember(m, chair, bob));
        const QByteArray bobsResume = m.resume(bob);
        const ConnectionId bobC = r.hub->connect(QStringLiteral("192.0.2.77"));
        r.hub->send(bobC, bobsResume);
        QVERIFY(r.hub->take(bobC).find(Kind::Resumed));

        RESTART(r); // no tick in between
        const ConnectionId thief = r.hub->connect(QStringLiteral("192.0.2.90"));
        r.hub->send(thief, bobsResume);
        QCOMPARE(r.hub->take(thief).refusal(), QStringLiteral("protocol.replay"));
    }

    void anEndedMeetingIsStillEndedAndAnEmptiedOneGone()
    {
        RestartingHub r;
        TestMeeting ended, emptied;
        TestPerson bob;
        const ConnectionId chair = r.hub->startMeeting(ended);
        r.hub->disconnect(r.hub->admitMember(ended, chair, bob));
        r.hub->send(chair, ended.control(meeting::ControlAction::End));
        const ConnectionId other = r.hub->startMeeting(emptied);
        r.hub->send(other, emptied.leave(emptied.chair));
        QVERIFY(!r.hub->hub.meeting(emptied.id));

        RESTART(r);
        HubHarness& h = *r.hub;
        QCOMPARE(h.hub.meetingCount(), size_t(0));
        const ConnectionId bobC = h.connect(QStringLiteral("192.0.2.77"));
        h.send(bobC, ended.resume(bob));
        QCOMPARE(h.take(bobC).refusal(), QStringLiteral("meeting.ended"));
        const ConnectionId c = h.connect(QStringLiteral("192.0.2.78"));
        h.send(c, emptied.resume(bob));
        QCOMPARE(h.take(c).refusal(), QStringLiteral("meeting.unknown"));
    }

    void coChairsAndTheRoomsSwitchesHold()
    {
        RestartingHub r;
        TestMeeting m;
        TestPerson bob, carol;
        ConnectionId chair = r.hub->startMeeting(m);
        r.hub->admitMember(m, chair, bob);
        r.hub->admitMember(m, chair, carol, QStringLiteral("192.0.2.22"));
        r.hub->send(chair, m.delegate(bob));
        r.hub->send(chair, m.control(meeting::ControlAction::Lock));
        r.hub->send(chair, m.control(meeting::ControlAction::DisableChat));
        QCOMPARE(r.hub->take(chair).errorCode(), QString());

        RESTART(r);
        HubHarness& h = *r.hub;
        chair = h.connect(HubHarness::kChairSource);
        h.send(chair, m.create());
        const ConnectionId bobC = h.connect(QStringLiteral("192.0.2.77"));
        h.send(bobC, m.resume(bob));
        const ConnectionId carolC = h.connect(QStringLiteral("192.0.2.78"));
        h.send(carolC, m.resume(carol));
        h.take(chair);
        h.take(bobC);
        h.take(carolC);

        TestPerson newcomer;
        QCOMPARE(h.knockCode(m.knock(newcomer, m.invite(&newcomer))),
                 QStringLiteral("meeting.locked"));
        h.send(carolC, m.chat(carol));
        QCOMPARE(h.take(carolC).errorCode(), QStringLiteral("meeting.chat_disabled"));
        const QByteArray ask = m.request(bob, {meeting::ChairAction::Lock, false});
        h.send(bobC, ask);
        QCOMPARE(h.take(bobC).errorCode(), QString());
        QCOMPARE(h.take(chair).envelopes, QList<QByteArray>{ask});
        h.send(carolC, m.request(carol, {meeting::ChairAction::Lock, false}));
        QCOMPARE(h.take(carolC).errorCode(), QStringLiteral("hub.not_co_chair"));
    }

    void aChairChangeHolds()
    {
        RestartingHub r;
        TestMeeting m;
        TestPerson bob;
        const ConnectionId chair = r.hub->startMeeting(m);
        const ConnectionId bobC = r.hub->admitMember(m, chair, bob);
        r.hub->send(chair, m.delegate(bob));
        r.hub->disconnect(chair);
        r.hub->send(bobC, m.takeover(bob, m.delegation(bob)));
        QCOMPARE(r.hub->take(bobC).errorCode(), QString());

        RESTART(r);
        HubHarness& h = *r.hub;
        QVERIFY(h.hub.meeting(m.id)->isChair(bob.id()));
        const ConnectionId old = h.connect(HubHarness::kChairSource);
        h.send(old, m.create());
        QCOMPARE(h.take(old).refusal(), QStringLiteral("meeting.chair_changed"));
    }

    void membersWhoDoNotComeBackStillLoseTheirPlaces()
    {
        RestartingHub r;
        TestMeeting m, deserted;
        TestPerson bob, carol;
        const ConnectionId chair = r.hub->startMeeting(m);
        r.hub->admitMember(m, chair, bob);
        r.hub->admitMember(m, chair, carol, QStringLiteral("192.0.2.22"));
        r.hub->startMeeting(deserted);

        RESTART(r);
        HubHarness& h = *r.hub;
        const ConnectionId chairC = h.connect(HubHarness::kChairSource);
        h.send(chairC, m.create());
        const ConnectionId bobC = h.connect(QStringLiteral("192.0.2.77"));
        h.send(bobC, m.resume(bob));
        h.take(chairC);
        h.send(chairC, m.heartbeat());
        h.advance(h.hub.limits().resumeGrace); // counted from the restart
        QCOMPARE(h.take(chairC).find(Kind::Left)->identity, carol.id());
        const ConnectionId carolC = h.connect(QStringLiteral("192.0.2.78"));
        h.send(carolC, m.resume(carol));
        QCOMPARE(h.take(carolC).refusal(), QStringLiteral("resume.not_member"));
        QVERIFY(!h.hub.meeting(deserted.id)); // nobody came back: forgotten

        RESTART(r); // and forgotten in the file too
        QVERIFY(!r.hub->hub.meeting(deserted.id));
        QVERIFY(!r.hub->hub.meeting(m.id)->isMember(carol.id()));
        QVERIFY(r.hub->hub.meeting(m.id)->isMember(bob.id()));
    }

    void aMeetingTheHubWouldNotHostNowIsNotRestored()
    {
        RestartingHub r;
        TestMeeting m; // its descriptor names the hub "test-pin"
        r.hub->startMeeting(m);

        RESTART(r, 10s, DescriptorGate(QStringLiteral("another-key")));
        QVERIFY(!r.hub->hub.meeting(m.id));
        bool logged = false;
        for (const HubEvent& e : r.hub->events)
            logged = logged || (e.kind == HubEvent::Kind::MeetingEnded && e.meetingId == m.id &&
                                e.code == QStringLiteral("meeting.wrong_hub"));
        QVERIFY(logged);
        RESTART(r); // the file forgot it as well
        QVERIFY(!r.hub->hub.meeting(m.id));
    }

    void aRecordTheHubCannotHaveWrittenStopsTheRestore()
    {
        RestartingHub r;
        TestMeeting m;
        TestPerson bob;
        const ConnectionId chair = r.hub->startMeeting(m);
        r.hub->admitMember(m, chair, bob);
        auto saved = r.store().load();
        QVERIFY(saved && saved->meetings.size() == 1);

        const auto refusedWith = [](const HubSnapshot& snapshot) {
            HubHarness fresh;
            auto restored = fresh.hub.restore(snapshot);
            return restored ? QString()
                            : QString::fromStdString(restored.error().code) +
                                  (fresh.hub.meetingCount() == 0 ? "" : " (but restored)");
        };
        QCOMPARE(refusedWith(*saved), QString());
        HubSnapshot tampered = *saved;
        tampered.meetings[0].signedDescriptor[20] ^= 1;
        QCOMPARE(refusedWith(tampered), QStringLiteral("hub.state_corrupt"));
        tampered = *saved;
        tampered.meetings[0].chairKey = bob.id(); // a chair change nobody signed
        QCOMPARE(refusedWith(tampered), QStringLiteral("hub.state_corrupt"));
        tampered = *saved;
        tampered.meetings[0].coChairs.emplace_back(bob.id(), QByteArray("not a grant"));
        QCOMPARE(refusedWith(tampered), QStringLiteral("hub.state_corrupt"));
    }
};

QTEST_GUILESS_MAIN(TestHubRestart)
#include "tst_hubrestart.moc"
