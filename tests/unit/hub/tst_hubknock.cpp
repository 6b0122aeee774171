// SPDX-License-Identifier: GPL-3.0-or-later
// The hub's side of the waiting-room door, without sockets (docs/protocol.md §6): creating a
// meeting, every knock refusal, single-use invites, rate and size limits, time-outs.
#include "HubHarness.h"
#include "TestMeeting.h"
#include "protocol/Envelope.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using namespace conclave::hubtest;
using meeting::ControlAction;
using Kind = HubNotice::Kind;

class TestHubKnock : public QObject {
    Q_OBJECT

private slots:
    void chairCreatesAndIsTheFirstMember()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.connect();
        h.send(chair, m.create());
        QVERIFY(h.take(chair).find(Kind::Created));
        const HubMeeting* state = h.hub.meeting(m.id);
        QVERIFY(state);
        QCOMPARE(state->members().size(), size_t(1));
        QVERIFY(state->chairConnection() == chair);
        QCOMPARE(h.count(HubEvent::Kind::MeetingCreated), 1);
    }

    void refusesCreatesItCannotTrust()
    {
        HubHarness h;
        // Sent by someone other than the chair the descriptor names.
        TestMeeting m;
        TestPerson impostor;
        const QByteArray body =
            meeting::CreateBody{m.signedDescriptor(), QByteArray(8, 'a')}.encode();
        ConnectionId c = h.connect();
        h.send(c, impostor.envelope(protocol::MessageType::Create, m.id, body));
        QCOMPARE(h.take(c).refusal(), QStringLiteral("meeting.not_chair"));
        QVERIFY(h.isClosed(c));

        // A descriptor for another meeting id.
        TestMeeting other;
        c = h.connect();
        h.send(c, other.chair.envelope(
                      protocol::MessageType::Create, QByteArray(16, 'z'),
                      meeting::CreateBody{other.signedDescriptor(), QByteArray(8, 'a')}.encode()));
        QCOMPARE(h.take(c).refusal(), QStringLiteral("meeting.id_mismatch"));

        // A tampered descriptor.
        QByteArray tampered = m.signedDescriptor();
        tampered[tampered.size() - 80] = char(tampered[tampered.size() - 80] ^ 1);
        c = h.connect();
        h.send(c, m.chair.envelope(protocol::MessageType::Create, m.id,
                                   meeting::CreateBody{tampered, QByteArray(8, 'a')}.encode()));
        QVERIFY(!h.take(c).refusal().isEmpty());
        QCOMPARE(h.hub.meetingCount(), size_t(0));

        // An id already in use, by another chair.
        h.startMeeting(m);
        TestMeeting clash;
        clash.id = m.id;
        clash.descriptor.meetingId = m.id;
        c = h.connect();
        h.send(c, clash.create());
        QCOMPARE(h.take(c).refusal(), QStringLiteral("meeting.exists"));
    }

    void refusesADescriptorForAnotherHub()
    {
        HubHarness h({}, DescriptorGate(QStringLiteral("this-hub-pin")));
        TestMeeting elsewhere(QStringLiteral("another-hub-pin"));
        const ConnectionId c = h.connect();
        h.send(c, elsewhere.create());
        QCOMPARE(h.take(c).refusal(), QStringLiteral("meeting.wrong_hub"));
        TestMeeting here(QStringLiteral("this-hub-pin"));
        h.startMeeting(here);
    }

    void capsTheNumberOfMeetings()
    {
        HubLimits limits;
        limits.maxMeetings = 2;
        HubHarness h(limits);
        TestMeeting a, b, c;
        h.startMeeting(a);
        h.startMeeting(b);
        const ConnectionId third = h.connect();
        h.send(third, c.create());
        QCOMPARE(h.take(third).refusal(), QStringLiteral("hub.full"));
    }

    void anInvitedKnockWaitsAndOnlyTheChairSeesIt()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member;
        const ConnectionId memberConn = h.admitMember(m, chair, member);

        TestPerson knocker;
        const QByteArray knock = m.knock(knocker, m.invite(&knocker));
        const ConnectionId k = h.connect();
        h.send(k, knock);
        const Inbox knockerInbox = h.take(k);
        QCOMPARE(knockerInbox.notices.size(), 1);
        QVERIFY(knockerInbox.notices[0].kind == Kind::Lobby);
        QCOMPARE(knockerInbox.notices[0].descriptor, m.signedDescriptor());
        QVERIFY(knockerInbox.envelopes.isEmpty());

        const Inbox chairInbox = h.take(chair);
        QCOMPARE(chairInbox.envelopes, QList<QByteArray>{knock}); // exactly the signed knock
        QVERIFY(h.take(memberConn).isEmpty());                    // members do not see the lobby
        QCOMPARE(h.hub.meeting(m.id)->lobby().size(), size_t(1));
    }

    void refusesKnocksOnUnknownMeetings()
    {
        HubHarness h;
        TestMeeting m;
        TestPerson p;
        QCOMPARE(h.knockCode(m.knock(p, m.invite(&p))), QStringLiteral("meeting.unknown"));
        QCOMPARE(h.count(HubEvent::Kind::KnockRefused), 1);
    }

    void refusesKnocksWhileLockedOrSuspended()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson p;
        h.send(chair, m.control(ControlAction::Lock));
        QCOMPARE(h.knockCode(m.knock(p, m.invite(&p))), QStringLiteral("meeting.locked"));
        h.send(chair, m.control(ControlAction::Unlock));
        QCOMPARE(h.knockCode(m.knock(p, m.invite(&p))), QString());

        TestPerson q;
        h.send(chair, m.control(ControlAction::Suspend));
        QCOMPARE(h.knockCode(m.knock(q, m.invite(&q))), QStringLiteral("meeting.locked"));
        h.send(chair, m.control(ControlAction::Resume)); // resuming does not unlock
        QCOMPARE(h.knockCode(m.knock(q, m.invite(&q))), QStringLiteral("meeting.locked"));
        h.send(chair, m.control(ControlAction::Unlock));
        QCOMPARE(h.knockCode(m.knock(q, m.invite(&q))), QString());
    }

    void refusesUninvitedKnocksUnlessTheMeetingIsOpen()
    {
        HubHarness h;
        TestMeeting closed;
        h.startMeeting(closed);
        TestPerson p;
        QCOMPARE(h.knockCode(closed.knock(p, {})), QStringLiteral("invite.required"));

        // Not requiring invites is not enough: knocking must also be opened.
        meeting::MeetingOptions halfOpen;
        halfOpen.invitesRequired = false;
        TestMeeting ambiguous(QStringLiteral("test-pin"), halfOpen);
        h.startMeeting(ambiguous);
        QCOMPARE(h.knockCode(ambiguous.knock(p, {})), QStringLiteral("invite.required"));

        meeting::MeetingOptions open = halfOpen;
        open.openKnocking = true;
        TestMeeting public_(QStringLiteral("test-pin"), open);
        h.startMeeting(public_);
        QCOMPARE(h.knockCode(public_.knock(p, {})), QString());
    }

    void refusesInvitesThatAreNotThisMeetingsToGive()
    {
        HubHarness h;
        TestMeeting m;
        h.startMeeting(m);
        TestPerson p;
        const auto stranger = crypto::Ed25519SigningKey::generate();
        QCOMPARE(h.knockCode(m.knock(
                     p, m.invite(&p, TestMeeting::now() + std::chrono::hours(1), &stranger))),
                 QStringLiteral("invite.wrong_chair"));
        QCOMPARE(h.knockCode(m.knock(p, m.invite(&p, TestMeeting::now() + std::chrono::hours(1),
                                                 nullptr, QByteArray(16, 'o')))),
                 QStringLiteral("invite.wrong_meeting"));
        QCOMPARE(
            h.knockCode(m.knock(p, m.invite(&p, TestMeeting::now() - std::chrono::seconds(1)))),
            QStringLiteral("invite.expired"));
        TestPerson someoneElse;
        QCOMPARE(h.knockCode(m.knock(p, m.invite(&someoneElse))),
                 QStringLiteral("invite.wrong_identity"));
        QCOMPARE(h.knockCode(m.knock(p, QByteArray("not an invite"))),
                 QStringLiteral("invite.malformed"));
        QByteArray altered = m.invite(&p);
        altered[altered.size() - 90] = char(altered[altered.size() - 90] ^ 1);
        QVERIFY(!h.knockCode(m.knock(p, altered)).isEmpty());
        QCOMPARE(h.hub.meeting(m.id)->lobby().size(), size_t(0));
        // An unbound invite is for whoever holds it.
        QCOMPARE(h.knockCode(m.knock(p, m.invite())), QString());
    }

    void invitesAreSingleUse()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        const QByteArray invite = m.invite();
        TestPerson first, second, third;

        // Reserved while its holder waits...
        ConnectionId firstConn = 0;
        QCOMPARE(h.knockCode(m.knock(first, invite), QStringLiteral("192.0.2.1"), &firstConn),
                 QString());
        QCOMPARE(h.knockCode(m.knock(second, invite)), QStringLiteral("invite.used"));
        // ...free again if the chair turns that holder away (it was never used to enter)...
        h.send(chair, m.deny(first));
        QVERIFY(h.isClosed(firstConn));
        ConnectionId secondConn = 0;
        QCOMPARE(h.knockCode(m.knock(second, invite), QStringLiteral("192.0.2.2"), &secondConn),
                 QString());
        // ...and spent for good once someone is admitted with it.
        h.send(chair, m.admit(second));
        QVERIFY(h.take(secondConn).find(Kind::Admitted));
        QCOMPARE(h.knockCode(m.knock(third, invite)), QStringLiteral("invite.used"));
    }

    void anInviteIsRedeemedOnlyWithItsLinkAndThenBelongsToItsHolder()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        const QByteArray invite = m.invite();
        TestPerson ghost, holder, other;
        // Whoever relayed or saw a knock has the signed invite, not the link's secret: with
        // no proof, another invite's proof, or the holder's own announcement and proof copied,
        // it is not let in and the invite is not even reserved.
        const QByteArray own = TestMeeting::announcementOf(ghost, m.id);
        QCOMPARE(h.knockCode(TestMeeting::knockWith(ghost, m.id, invite, own, {})),
                 QStringLiteral("invite.no_proof"));
        QCOMPARE(h.knockCode(TestMeeting::knockWith(ghost, m.id, invite, own,
                                                    TestMeeting::proofFor(m.invite(), own))),
                 QStringLiteral("invite.no_proof"));
        const QByteArray holders = TestMeeting::announcementOf(holder, m.id);
        QCOMPARE(h.knockCode(TestMeeting::knockWith(ghost, m.id, invite, holders,
                                                    TestMeeting::proofFor(invite, holders))),
                 QStringLiteral("invite.no_proof"));
        ConnectionId holderConn = 0;
        QCOMPARE(h.knockCode(m.knock(holder, invite), QStringLiteral("192.0.2.1"), &holderConn),
                 QString());
        h.send(chair, m.admit(holder));
        QVERIFY(h.take(holderConn).find(Kind::Admitted));
        h.send(holderConn, m.leave(holder));
        // Spent by the holder: the holder may come back after a drop, nobody else may use it.
        QCOMPARE(h.knockCode(m.knock(other, invite)), QStringLiteral("invite.used"));
        QCOMPARE(h.knockCode(m.knock(holder, invite)), QString());
    }

    void capsTheLobby()
    {
        HubLimits limits;
        limits.maxLobby = 3;
        HubHarness h(limits);
        meeting::MeetingOptions open;
        open.invitesRequired = false;
        open.openKnocking = true;
        TestMeeting m(QStringLiteral("test-pin"), open);
        h.startMeeting(m);
        std::vector<TestPerson> people(4);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(
                h.knockCode(m.knock(people[size_t(i)], {}), QStringLiteral("192.0.2.%1").arg(i)),
                QString());
        QCOMPARE(h.knockCode(m.knock(people[3], {})), QStringLiteral("lobby.full"));
        QCOMPARE(h.hub.meeting(m.id)->lobby().size(), size_t(3));
    }

    void limitsTheKnockRatePerSource()
    {
        HubLimits limits;
        limits.knockRate = 10;
        limits.knockBurst = 20;
        HubHarness h(limits);
        TestMeeting m;
        h.startMeeting(m);
        const QString flooder = QStringLiteral("203.0.113.66");
        int rateLimited = 0;
        for (int i = 0; i < 30; ++i) {
            TestPerson p;
            // Unknown meetings too: guessing meeting ids is what the limit is for.
            if (h.knockCode(TestMeeting::knock(p, QByteArray(16, char(i)), {}), flooder) ==
                QLatin1String("rate_limited"))
                ++rateLimited;
        }
        QCOMPARE(rateLimited, 10); // a burst of 20, then nothing until tokens return
        TestPerson p;
        QCOMPARE(h.knockCode(m.knock(p, m.invite(&p)), QStringLiteral("192.0.2.99")), QString());
        h.clock.advance(std::chrono::seconds(1)); // 10 more tokens
        TestPerson q;
        QCOMPARE(h.knockCode(m.knock(q, m.invite(&q)), flooder), QString());
    }

    void limitsConnectionsPerSourceAndInTotal()
    {
        HubLimits limits;
        limits.maxConnectionsPerSource = 2;
        limits.maxConnections = 3;
        HubHarness h(limits);
        const ConnectionId a = h.connect(QStringLiteral("192.0.2.1"));
        const ConnectionId b = h.connect(QStringLiteral("192.0.2.1"));
        const ConnectionId c = h.connect(QStringLiteral("192.0.2.1"));
        QCOMPARE(h.take(c).refusal(), QStringLiteral("connections.per_source"));
        QVERIFY(!h.isClosed(a) && !h.isClosed(b) && h.isClosed(c));
        h.connect(QStringLiteral("192.0.2.2"));
        const ConnectionId e = h.connect(QStringLiteral("192.0.2.3"));
        QCOMPARE(h.take(e).refusal(), QStringLiteral("connections.total"));
        h.disconnect(a);
        const ConnectionId f = h.connect(QStringLiteral("192.0.2.1"));
        QVERIFY(!h.isClosed(f));
        QCOMPARE(h.count(HubEvent::Kind::ConnectionRefused), 2);
    }

    void timesOutIdleKnockersAndSilentConnections()
    {
        HubLimits limits;
        limits.knockerTimeout = std::chrono::seconds(300);
        limits.unboundTimeout = std::chrono::seconds(30);
        HubHarness h(limits);
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson p;
        const ConnectionId k = h.connect();
        h.send(k, m.knock(p, m.invite(&p)));
        h.take(k);
        h.take(chair);
        const ConnectionId silent = h.connect();

        h.advance(std::chrono::seconds(31));
        QCOMPARE(h.take(silent).refusal(), QStringLiteral("hub.idle"));
        QVERIFY(h.isClosed(silent));
        QVERIFY(!h.isClosed(k));
        for (int i = 0; i < 9; ++i)
            h.advance(std::chrono::seconds(30));
        QCOMPARE(h.take(k).refusal(), QStringLiteral("lobby.timeout"));
        QVERIFY(h.isClosed(k));
        const auto left = h.take(chair).find(Kind::Left);
        QVERIFY(left && left->lobby);
        QVERIFY(!h.isClosed(chair)); // members never time out here
    }

    void refusesOversizedAndUnjoinedMessages()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId c = h.connect();
        h.send(c, QByteArray(protocol::Envelope::kMaxEnvelopeBytes + 1, 'x'));
        QCOMPARE(h.take(c).errorCode(), QStringLiteral("protocol.too_large"));
        h.send(c, m.heartbeat()); // chair-signed, but this connection never created anything
        QCOMPARE(h.take(c).errorCode(), QStringLiteral("hub.not_joined"));
        QByteArray forged = m.create();
        forged[forged.size() - 1] = char(forged[forged.size() - 1] ^ 1); // inside the signature
        h.send(c, forged);
        QCOMPARE(h.take(c).errorCode(), QStringLiteral("protocol.bad_signature"));
        QCOMPARE(h.hub.meetingCount(), size_t(0));
    }

    void disconnectsAClientThatKeepsSendingGarbage()
    {
        HubHarness h;
        const ConnectionId c = h.connect();
        for (int i = 0; i < 10; ++i)
            h.send(c, QByteArray("garbage ") + QByteArray::number(i));
        QVERIFY(!h.isClosed(c));
        QCOMPARE(h.take(c).notices.size(), 10);
        h.send(c, QByteArray("\xa1\x61v\x01", 4));
        const Inbox last = h.take(c);
        QVERIFY(h.isClosed(c));
        QCOMPARE(last.notices.last().code, QStringLiteral("hub.too_many_errors"));
        QCOMPARE(h.count(HubEvent::Kind::Disconnected), 1);
        QCOMPARE(h.hub.stats().dropped, uint64_t(11));

        // The allowance comes back over time: an honest client's rare mistake is forgiven.
        const ConnectionId d = h.connect();
        for (int i = 0; i < 30; ++i) {
            h.send(d, QByteArray("oops"));
            h.clock.advance(std::chrono::seconds(10));
        }
        QVERIFY(!h.isClosed(d));
    }
};

QTEST_GUILESS_MAIN(TestHubKnock)
#include "tst_hubknock.moc"
