// SPDX-License-Identifier: GPL-3.0-or-later
// A member's place survives a dropped connection (docs/protocol.md §6, "Resume"): the hub
// keeps it for the resume grace and gives it back to a fresh, signed `resume` from the same
// identity - and to nobody else; a member removed, sent to the waiting room, away too long or
// away across a chair change is refused with the reason; the chair's resync goes to its target
// alone.
#include "HubHarness.h"
#include "TestMeeting.h"
#include "meeting/MessageBodies.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using namespace conclave::hubtest;
using Kind = HubNotice::Kind;
using protocol::MessageType;
using namespace std::chrono_literals;

namespace {

QByteArray resync(TestMeeting& m, const TestPerson& to)
{
    meeting::ResyncBody body;
    body.to = to.key().publicKey();
    body.resync = QByteArray("a signed resync");
    body.descriptor = m.signedDescriptor();
    return m.chair.envelope(MessageType::Resync, m.id, body.encode());
}

} // namespace

class TestHubResume : public QObject {
    Q_OBJECT

private slots:
    void aMemberResumesItsPlaceOnANewConnection()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson bob, carol;
        const ConnectionId bobOld = h.admitMember(m, chair, bob);
        const ConnectionId carolC = h.admitMember(m, chair, carol, QStringLiteral("192.0.2.22"));
        h.take(chair);
        h.take(carolC);

        h.disconnect(bobOld);
        QCOMPARE(h.take(chair).find(Kind::Away)->identity, bob.id());
        QCOMPARE(h.take(carolC).find(Kind::Away)->identity, bob.id());
        // Nothing goes to a member away; the room goes on.
        h.send(chair, m.heartbeat());
        QCOMPARE(h.take(carolC).envelopes.size(), qsizetype(1));

        const ConnectionId bobNew = h.connect(QStringLiteral("192.0.2.77"));
        const QByteArray ask = m.resume(bob);
        h.send(bobNew, ask);
        QVERIFY(h.take(bobNew).find(Kind::Resumed));
        QVERIFY(!h.isClosed(bobNew));
        const Inbox atChair = h.take(chair);
        QCOMPARE(atChair.find(Kind::Back)->identity, bob.id());
        QCOMPARE(atChair.envelopes, QList<QByteArray>{ask}); // the chair answers with a resync
        QCOMPARE(h.take(carolC).find(Kind::Back)->identity, bob.id());
        QVERIFY(!h.hub.meeting(m.id)->isAway(bob.id()));
        QCOMPARE(h.count(HubEvent::Kind::Resumed), 1);

        // The chair's resync reaches bob alone; the room's traffic reaches him again.
        const QByteArray answer = resync(m, bob);
        h.send(chair, answer);
        QCOMPARE(h.take(bobNew).envelopes, QList<QByteArray>{answer});
        QVERIFY(h.take(carolC).envelopes.isEmpty());
        const QByteArray hb = m.heartbeat();
        h.send(chair, hb);
        QCOMPARE(h.take(bobNew).envelopes, QList<QByteArray>{hb});
        h.take(carolC);
        // And he speaks as himself on it.
        h.send(bobNew, m.ack(bob));
        QCOMPARE(h.take(bobNew).errorCode(), QString());
        QCOMPARE(h.take(carolC).envelopes.size(), qsizetype(1));
    }

    void aNewConnectionReplacesOneTheHubStillThinksIsOpen()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson bob;
        const ConnectionId bobOld = h.admitMember(m, chair, bob);
        // bob noticed the dead path before the hub did: his old connection is still "open".
        const ConnectionId bobNew = h.connect(QStringLiteral("192.0.2.77"));
        h.send(bobNew, m.resume(bob));
        QVERIFY(h.take(bobNew).find(Kind::Resumed));
        QVERIFY(h.isClosed(bobOld));
        QCOMPARE(*h.hub.meeting(m.id)->memberConnection(bob.id()), bobNew);
        // The old one going now changes nothing: nobody is told bob left or is away.
        h.take(chair);
        h.disconnect(bobOld);
        const Inbox atChair = h.take(chair);
        QVERIFY(!atChair.find(Kind::Away) && !atChair.find(Kind::Left));
        QVERIFY(h.hub.meeting(m.id)->isMember(bob.id()));
        // The chair may likewise come back on a new connection before the hub saw the old go.
        const ConnectionId chairNew = h.connect(HubHarness::kChairSource);
        h.send(chairNew, m.create());
        QVERIFY(h.take(chairNew).find(Kind::Created));
        QVERIFY(h.isClosed(chair));
        QCOMPARE(h.take(bobNew).find(Kind::Back)->identity, m.chair.id());
    }

    void onlyTheMemberItselfCanResumeAndOnlyWithAFreshMessage()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson bob, stranger;
        const ConnectionId bobOld = h.admitMember(m, chair, bob);
        h.disconnect(bobOld);

        const ConnectionId s = h.connect(QStringLiteral("192.0.2.90"));
        h.send(s, m.resume(stranger));
        QCOMPARE(h.take(s).refusal(), QStringLiteral("resume.not_member"));
        QVERIFY(h.isClosed(s));

        const QByteArray ask = m.resume(bob);
        const ConnectionId first = h.connect(QStringLiteral("192.0.2.77"));
        h.send(first, ask);
        QVERIFY(h.take(first).find(Kind::Resumed));
        // Someone who saw bob's resume (the hub's operator, say) cannot use it again.
        const ConnectionId replay = h.connect(QStringLiteral("192.0.2.91"));
        h.send(replay, ask);
        QCOMPARE(h.take(replay).refusal(), QStringLiteral("protocol.replay"));
        QCOMPARE(*h.hub.meeting(m.id)->memberConnection(bob.id()), first);
        // The chair comes back with create, not resume.
        const ConnectionId c2 = h.connect(HubHarness::kChairSource);
        h.send(c2, m.resume(m.chair));
        QCOMPARE(h.take(c2).refusal(), QStringLiteral("resume.chair"));
    }

    void aMemberRemovedWhileAwayIsToldSoAndGetsNothing()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson bob;
        const ConnectionId bobOld = h.admitMember(m, chair, bob);
        h.disconnect(bobOld);
        h.send(chair, m.remove(bob));
        QCOMPARE(h.take(chair).errorCode(), QString());
        QVERIFY(h.hub.meeting(m.id)->isBanned(bob.id()));

        const ConnectionId bobNew = h.connect(QStringLiteral("192.0.2.77"));
        h.send(bobNew, m.resume(bob));
        const Inbox inbox = h.take(bobNew);
        QVERIFY(inbox.find(Kind::Removed));
        QVERIFY(inbox.envelopes.isEmpty());
        QVERIFY(h.isClosed(bobNew));
        QVERIFY(!h.hub.meeting(m.id)->isMember(bob.id()));
    }

    void aMemberSentToTheLobbyOrAwayTooLongKnocksAgain()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson bob, carol;
        const ConnectionId bobOld = h.admitMember(m, chair, bob);
        const ConnectionId carolOld = h.admitMember(m, chair, carol, QStringLiteral("192.0.2.22"));
        h.disconnect(bobOld);
        meeting::ControlBody toLobby{meeting::ControlAction::ToLobby, bob.key().publicKey()};
        h.send(chair, m.chair.envelope(MessageType::Control, m.id, toLobby.encode()));
        QCOMPARE(h.take(chair).errorCode(), QString());
        const ConnectionId bobNew = h.connect(QStringLiteral("192.0.2.77"));
        h.send(bobNew, m.resume(bob));
        QCOMPARE(h.take(bobNew).refusal(), QStringLiteral("resume.sent_to_lobby"));

        h.disconnect(carolOld);
        h.send(chair, m.heartbeat()); // the chair is heard, as it would be every 5 s
        h.advance(h.hub.limits().resumeGrace);
        QVERIFY(h.take(chair).find(Kind::Left));
        const ConnectionId carolNew = h.connect(QStringLiteral("192.0.2.78"));
        h.send(carolNew, m.resume(carol));
        const Inbox refused = h.take(carolNew);
        QCOMPARE(refused.refusal(), QStringLiteral("resume.not_member"));
        QVERIFY(refused.find(Kind::Refused)->reason.contains(QStringLiteral("knock again")));
    }

    void aMemberBackAfterTheMeetingEndedIsToldSo()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson bob;
        const ConnectionId bobOld = h.admitMember(m, chair, bob);
        h.disconnect(bobOld);
        h.send(chair, m.control(meeting::ControlAction::End));
        const ConnectionId bobNew = h.connect(QStringLiteral("192.0.2.77"));
        h.send(bobNew, m.resume(bob));
        QCOMPARE(h.take(bobNew).refusal(), QStringLiteral("meeting.ended"));
        // An id the hub never had (or lost in a restart) is only unknown.
        TestMeeting other;
        const ConnectionId c = h.connect(QStringLiteral("192.0.2.78"));
        h.send(c, other.resume(bob));
        QCOMPARE(h.take(c).refusal(), QStringLiteral("meeting.unknown"));
    }

    void aChairChangeEndsThePlacesOfThoseAway()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson bob, carol;
        const ConnectionId bobC = h.admitMember(m, chair, bob);
        const ConnectionId carolOld = h.admitMember(m, chair, carol, QStringLiteral("192.0.2.22"));
        h.send(chair, m.delegate(bob));
        h.disconnect(carolOld);
        h.disconnect(chair); // the chair's place is kept too, and it is away
        QVERIFY(h.hub.meeting(m.id)->isAway(m.chair.id()));
        h.take(bobC);
        h.send(bobC, m.takeover(bob, m.delegation(bob)));
        QCOMPARE(h.take(bobC).errorCode(), QString());
        QVERIFY(h.hub.meeting(m.id)->isChair(bob.id()));
        QVERIFY(!h.hub.meeting(m.id)->isMember(carol.id()));
        QVERIFY(!h.hub.meeting(m.id)->isMember(m.chair.id()));
        const ConnectionId carolNew = h.connect(QStringLiteral("192.0.2.78"));
        h.send(carolNew, m.resume(carol));
        QCOMPARE(h.take(carolNew).refusal(), QStringLiteral("resume.not_member"));
    }

    void aResyncForSomeoneAwayOrNotInTheMeetingIsNotRelayed()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson bob, stranger;
        const ConnectionId bobC = h.admitMember(m, chair, bob);
        h.disconnect(bobC);
        h.send(chair, resync(m, bob));
        QCOMPARE(h.take(chair).errorCode(), QStringLiteral("hub.unknown_target"));
        h.send(chair, resync(m, stranger));
        QCOMPARE(h.take(chair).errorCode(), QStringLiteral("hub.unknown_target"));
    }
};

QTEST_GUILESS_MAIN(TestHubResume)
#include "tst_hubresume.moc"
