// SPDX-License-Identifier: GPL-3.0-or-later
// What the hub relays to whom once people are in, without sockets (docs/protocol.md §5-6):
// knocker isolation, chair-only messages, one identity per connection, replays, deny-twice,
// remove-and-ban, lock, end, signalling, leaving, and the chair going away.
#include "HubHarness.h"
#include "TestMeeting.h"
#include "protocol/Envelope.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using namespace conclave::hubtest;
using meeting::ControlAction;
using Kind = HubNotice::Kind;

class TestHubRouting : public QObject {
    Q_OBJECT

private slots:
    void admitLetsTheKnockerInAndRelaysChairMessages()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson p;
        const ConnectionId c = h.connect();
        h.send(c, m.knock(p, m.invite(&p)));
        h.take(c);
        h.take(chair);

        const QByteArray admit = m.admit(p);
        h.send(chair, admit);
        Inbox in = h.take(c);
        QVERIFY(in.find(Kind::Admitted));
        QCOMPARE(in.envelopes, QList<QByteArray>{admit});
        QVERIFY(h.take(chair).isEmpty()); // nothing echoed to the sender
        QCOMPARE(h.count(HubEvent::Kind::Admitted), 1);

        const QByteArray commit = m.commit();
        h.send(chair, commit);
        QCOMPARE(h.take(c).envelopes, QList<QByteArray>{commit});
        const QByteArray ack = m.ack(p);
        h.send(c, ack);
        QCOMPARE(h.take(chair).envelopes, QList<QByteArray>{ack});

        // Admitting someone who is not waiting relays nothing.
        TestPerson nobody;
        h.send(chair, m.admit(nobody));
        QCOMPARE(h.take(chair).errorCode(), QStringLiteral("hub.unknown_target"));
        QVERIFY(h.take(c).isEmpty());
    }

    void aKnockerSeesNothingButTheLobbyNotice()
    {
        HubHarness h;
        TestMeeting m;
        m.descriptor.options.chat = true;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member, knocker, other;
        const ConnectionId memberConn = h.admitMember(m, chair, member);
        h.admitMember(m, chair, other, QStringLiteral("192.0.2.21"));
        h.take(memberConn);
        const ConnectionId k = h.connect();
        h.send(k, m.knock(knocker, m.invite(&knocker)));
        QCOMPARE(h.take(k).notices.size(), 1);

        h.send(chair, m.heartbeat());
        h.send(chair, m.commit());
        h.send(chair, m.control(ControlAction::MuteAll));
        h.send(memberConn, m.chat(member));
        h.send(memberConn, m.ack(member));
        h.send(memberConn, m.signal(member, other));
        TestPerson third;
        h.admitMember(m, chair, third, QStringLiteral("192.0.2.22")); // an admit too
        QVERIFY(h.take(k).isEmpty());

        // And it cannot speak into the meeting either.
        h.send(k, m.chat(knocker));
        h.send(k, m.signal(knocker, member));
        h.send(k, m.ack(knocker));
        QCOMPARE(h.take(k).errorCode(), QStringLiteral("hub.not_admitted"));
        // The member heard the chair (heartbeat, commit, control, the third admit), no lobby.
        QCOMPARE(h.take(memberConn).envelopes.size(), 4);
    }

    void onlyTheChairMaySendChairMessages()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member, other, knocker;
        const ConnectionId memberConn = h.admitMember(m, chair, member);
        const ConnectionId otherConn = h.admitMember(m, chair, other, QStringLiteral("192.0.2.21"));
        h.take(memberConn);
        const ConnectionId k = h.connect();
        h.send(k, m.knock(knocker, m.invite(&knocker)));
        h.take(chair);

        // The member signs chair messages with its own key: none is relayed.
        using protocol::MessageType;
        const QByteArray target =
            meeting::TargetBody{knocker.key().publicKey(), QStringLiteral("x")}.encode();
        h.send(memberConn, member.envelope(MessageType::Admit, m.id, target));
        h.send(memberConn, member.envelope(MessageType::Commit, m.id,
                                           meeting::BlobBody{QByteArray(10, 'c')}.encode()));
        h.send(memberConn, member.envelope(MessageType::Control, m.id,
                                           meeting::ControlBody{ControlAction::Lock, {}}.encode()));
        h.send(memberConn,
               member.envelope(MessageType::Remove, m.id,
                               meeting::TargetBody{other.key().publicKey(), {}}.encode()));
        h.send(memberConn,
               member.envelope(MessageType::Heartbeat, m.id, meeting::EpochBody{9}.encode()));
        QCOMPARE(h.take(memberConn).errorCode(), QStringLiteral("hub.not_chair"));
        QCOMPARE(h.count(HubEvent::Kind::Unauthorised), 5);
        QVERIFY(h.take(otherConn).isEmpty());
        QVERIFY(h.take(chair).isEmpty());
        QVERIFY(!h.take(k).find(Kind::Admitted));
        QCOMPARE(h.hub.meeting(m.id)->lobby().size(), size_t(1));
        QVERIFY(!h.hub.meeting(m.id)->isLocked());
        QCOMPARE(h.hub.meeting(m.id)->members().size(), size_t(3));
    }

    void aConnectionSpeaksForOneIdentityOnly()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member, other;
        const ConnectionId memberConn = h.admitMember(m, chair, member);
        const ConnectionId otherConn = h.admitMember(m, chair, other, QStringLiteral("192.0.2.21"));
        h.take(memberConn);

        // The chair's genuine, signed commit, relayed back in by a member, is still refused:
        // it did not come from the chair's connection.
        const QByteArray commit = m.commit();
        h.send(chair, commit);
        QCOMPARE(h.take(memberConn).envelopes, QList<QByteArray>{commit});
        h.take(otherConn);
        h.send(memberConn, commit);
        QCOMPARE(h.take(memberConn).errorCode(), QStringLiteral("hub.wrong_sender"));
        h.send(memberConn, m.commit()); // fresh seq, chair-signed, wrong connection
        QCOMPARE(h.take(memberConn).errorCode(), QStringLiteral("hub.wrong_sender"));
        QVERIFY(h.take(otherConn).isEmpty());
        // Another key, or another meeting, on this connection.
        h.send(memberConn, TestPerson().envelope(protocol::MessageType::Ack, m.id,
                                                 meeting::EpochBody{1}.encode()));
        QCOMPARE(h.take(memberConn).errorCode(), QStringLiteral("hub.wrong_sender"));
        h.send(memberConn, member.envelope(protocol::MessageType::Ack, QByteArray(16, 'q'),
                                           meeting::EpochBody{1}.encode()));
        QCOMPARE(h.take(memberConn).errorCode(), QStringLiteral("hub.wrong_sender"));
    }

    void dropsReplaysAndReorderedMessages()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member;
        const ConnectionId memberConn = h.admitMember(m, chair, member);
        h.take(memberConn);

        const QByteArray heartbeat = m.heartbeat();
        h.send(chair, heartbeat);
        QCOMPARE(h.take(memberConn).envelopes.size(), 1);
        h.send(chair, heartbeat); // the same bytes again
        QCOMPARE(h.take(chair).errorCode(), QStringLiteral("protocol.replay"));
        QVERIFY(h.take(memberConn).isEmpty());
        // An older sequence number, freshly signed.
        h.send(chair, m.chair.envelopeWithSeq(protocol::MessageType::Heartbeat, m.id,
                                              meeting::EpochBody{2}.encode(), 1));
        QCOMPARE(h.take(chair).errorCode(), QStringLiteral("protocol.replay"));
        QVERIFY(h.take(memberConn).isEmpty());
        QVERIFY(h.count(HubEvent::Kind::Dropped) >= 2);
        // Gaps are fine.
        h.send(chair, m.chair.envelopeWithSeq(protocol::MessageType::Heartbeat, m.id,
                                              meeting::EpochBody{3}.encode(), 1000));
        QCOMPARE(h.take(memberConn).envelopes.size(), 1);
    }

    void denyingTwiceBans()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson p;
        ConnectionId c = 0;
        QCOMPARE(h.knockCode(m.knock(p, m.invite(&p)), QStringLiteral("192.0.2.5"), &c), QString());
        h.send(chair, m.deny(p, QStringLiteral("not on the witness list")));
        const Inbox first = h.take(c);
        QVERIFY(first.find(Kind::Denied));
        QCOMPARE(first.find(Kind::Denied)->reason, QStringLiteral("not on the witness list"));
        QVERIFY(h.isClosed(c));

        QCOMPARE(h.knockCode(m.knock(p, m.invite(&p)), QStringLiteral("192.0.2.5"), &c), QString());
        h.send(chair, m.deny(p));
        QVERIFY(h.take(c).find(Kind::Denied));
        QCOMPARE(h.count(HubEvent::Kind::Banned), 1);
        QCOMPARE(h.knockCode(m.knock(p, m.invite(&p))), QStringLiteral("meeting.banned"));
    }

    void removingClosesAndBans()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member, other, knocker;
        const ConnectionId memberConn = h.admitMember(m, chair, member);
        const ConnectionId otherConn = h.admitMember(m, chair, other, QStringLiteral("192.0.2.21"));
        h.take(memberConn);

        const QByteArray remove = m.remove(member, QStringLiteral("disorderly conduct"));
        h.send(chair, remove);
        const Inbox removed = h.take(memberConn);
        QCOMPARE(removed.find(Kind::Removed)->reason, QStringLiteral("disorderly conduct"));
        QVERIFY(removed.envelopes.isEmpty());
        QVERIFY(h.isClosed(memberConn));
        QCOMPARE(h.take(otherConn).envelopes, QList<QByteArray>{remove});
        QVERIFY(!h.hub.meeting(m.id)->memberConnection(member.id()));
        QCOMPARE(h.knockCode(m.knock(member, m.invite(&member))), QStringLiteral("meeting.banned"));

        // Someone waiting can be removed (and banned) too.
        ConnectionId k = 0;
        QCOMPARE(h.knockCode(m.knock(knocker, m.invite(&knocker)), QStringLiteral("192.0.2.9"), &k),
                 QString());
        h.send(chair, m.remove(knocker));
        QVERIFY(h.take(k).find(Kind::Removed));
        QVERIFY(h.isClosed(k));
        QCOMPARE(h.knockCode(m.knock(knocker, m.invite(&knocker))),
                 QStringLiteral("meeting.banned"));
        // The chair cannot remove itself.
        h.send(chair, m.remove(m.chair));
        QCOMPARE(h.take(chair).errorCode(), QStringLiteral("hub.invalid_target"));
    }

    void sendingBackToTheLobbyAllowsAReturningKnock()
    {
        HubHarness h;
        TestMeeting m; // invites required (the default options)
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member, other;
        const ConnectionId otherConn = h.admitMember(m, chair, other);
        const QByteArray invite = m.invite(&member);
        const ConnectionId c = h.connect(QStringLiteral("192.0.2.40"));
        h.send(c, m.knock(member, invite));
        h.send(chair, m.admit(member));
        h.take(c);
        h.take(chair);
        h.take(otherConn);

        // The target hears the signed control too, then it is out of the room.
        const QByteArray toLobby = m.toLobby(member);
        h.send(chair, toLobby);
        QCOMPARE(h.take(c).envelopes, QList<QByteArray>{toLobby});
        QCOMPARE(h.take(otherConn).envelopes, QList<QByteArray>{toLobby});
        QVERIFY(!h.isClosed(c));
        const HubMeeting* meeting = h.hub.meeting(m.id);
        QVERIFY(!meeting->memberConnection(member.id()));
        QVERIFY(meeting->isReturning(member.id()));
        QVERIFY(!meeting->isBanned(member.id()));
        const QByteArray commit = m.commit();
        h.send(chair, commit);
        h.send(otherConn, m.chat(other));
        QVERIFY(h.take(c).isEmpty()); // no room traffic any more
        QCOMPARE(h.take(otherConn).envelopes, QList<QByteArray>{commit});
        h.send(c, m.ack(member));
        QCOMPARE(h.take(c).errorCode(), QStringLiteral("hub.not_admitted"));
        QVERIFY(h.take(chair).isEmpty());

        // Someone else cannot use the spent invite; the returning member can, on the same
        // connection, and the knock goes to the chair as usual.
        TestPerson stranger;
        QCOMPARE(h.knockCode(m.knock(stranger, invite)), QStringLiteral("invite.used"));
        const QByteArray again = m.knock(member, invite);
        h.send(c, again);
        QVERIFY(h.take(c).find(Kind::Lobby));
        QCOMPARE(h.take(chair).envelopes, QList<QByteArray>{again});
        QVERIFY(meeting->knocker(member.id()));

        // ... and the chair can admit it again.
        const QByteArray admit = m.admit(member);
        h.send(chair, admit);
        const Inbox in = h.take(c);
        QVERIFY(in.find(Kind::Admitted));
        QCOMPARE(in.envelopes, QList<QByteArray>{admit});
        QCOMPARE(meeting->memberConnection(member.id()), std::optional<ConnectionId>(c));
        QVERIFY(!meeting->isReturning(member.id()));
        h.send(chair, m.commit());
        QCOMPARE(h.take(c).envelopes.size(), 1); // room traffic again

        // Moved out once more, it may also knock again from a new connection.
        h.send(chair, m.toLobby(member));
        h.disconnect(c);
        QVERIFY(!meeting->memberConnection(member.id()));
        QCOMPARE(h.knockCode(m.knock(member, invite), QStringLiteral("192.0.2.41")), QString());
        QVERIFY(meeting->knocker(member.id()));
    }

    void onlyTheChairMaySendToTheLobby()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member, other;
        const ConnectionId memberConn = h.admitMember(m, chair, member);
        const ConnectionId otherConn = h.admitMember(m, chair, other, QStringLiteral("192.0.2.21"));
        h.take(memberConn);

        h.send(
            otherConn,
            other.envelope(
                protocol::MessageType::Control, m.id,
                meeting::ControlBody{ControlAction::ToLobby, member.key().publicKey()}.encode()));
        QCOMPARE(h.take(otherConn).errorCode(), QStringLiteral("hub.not_chair"));
        QVERIFY(h.take(memberConn).isEmpty());
        QVERIFY(h.take(chair).isEmpty());
        QCOMPARE(h.hub.meeting(m.id)->memberConnection(member.id()),
                 std::optional<ConnectionId>(memberConn));
        QVERIFY(!h.hub.meeting(m.id)->isReturning(member.id()));

        // The chair cannot send itself, nor someone not in the room.
        h.send(chair, m.toLobby(m.chair));
        QCOMPARE(h.take(chair).errorCode(), QStringLiteral("hub.invalid_target"));
        TestPerson nobody;
        h.send(chair, m.toLobby(nobody));
        QCOMPARE(h.take(chair).errorCode(), QStringLiteral("hub.unknown_target"));
        QVERIFY(h.take(memberConn).isEmpty());
        QCOMPARE(h.hub.meeting(m.id)->members().size(), size_t(3));
    }

    void endingTellsEveryoneAndForgetsTheMeeting()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member, knocker;
        const ConnectionId memberConn = h.admitMember(m, chair, member);
        const ConnectionId k = h.connect();
        h.send(k, m.knock(knocker, m.invite(&knocker)));
        h.take(k);
        h.take(memberConn);

        h.send(chair, m.control(ControlAction::End));
        QVERIFY(h.take(chair).find(Kind::Ended));
        const Inbox memberInbox = h.take(memberConn);
        QVERIFY(memberInbox.find(Kind::Ended));
        QCOMPARE(memberInbox.envelopes.size(), 1); // the chair's signed 'end'
        const Inbox knockerInbox = h.take(k);
        QVERIFY(knockerInbox.find(Kind::Ended));
        QVERIFY(knockerInbox.envelopes.isEmpty());
        QVERIFY(h.isClosed(chair) && h.isClosed(memberConn) && h.isClosed(k));
        QCOMPARE(h.hub.meetingCount(), size_t(0));
        TestPerson late;
        QCOMPARE(h.knockCode(m.knock(late, m.invite(&late))), QStringLiteral("meeting.unknown"));
    }

    void signallingGoesOnlyToItsTarget()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson a, b, c;
        const ConnectionId ac = h.admitMember(m, chair, a);
        const ConnectionId bc = h.admitMember(m, chair, b, QStringLiteral("192.0.2.21"));
        const ConnectionId cc = h.admitMember(m, chair, c, QStringLiteral("192.0.2.22"));
        h.take(ac);
        h.take(bc);
        const QByteArray offer = m.signal(a, b);
        h.send(ac, offer);
        QCOMPARE(h.take(bc).envelopes, QList<QByteArray>{offer});
        QVERIFY(h.take(cc).isEmpty());
        QVERIFY(h.take(chair).isEmpty());
        TestPerson stranger;
        h.send(ac, m.signal(a, stranger));
        QCOMPARE(h.take(ac).errorCode(), QStringLiteral("hub.unknown_target"));
    }

    void leavingAndDisconnectingAreAnnounced()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson a, b, knocker;
        const ConnectionId ac = h.admitMember(m, chair, a);
        const ConnectionId bc = h.admitMember(m, chair, b, QStringLiteral("192.0.2.21"));
        h.take(ac);

        const QByteArray leave = m.leave(a);
        h.send(ac, leave);
        QVERIFY(h.isClosed(ac));
        QCOMPARE(h.take(chair).envelopes, QList<QByteArray>{leave});
        QCOMPARE(h.take(bc).envelopes, QList<QByteArray>{leave});

        const ConnectionId k = h.connect();
        h.send(k, m.knock(knocker, m.invite(&knocker)));
        h.take(chair);
        h.disconnect(k);
        const auto gone = h.take(chair).find(Kind::Left);
        QVERIFY(gone && gone->lobby && gone->identity == knocker.id());
        QCOMPARE(h.hub.meeting(m.id)->lobby().size(), size_t(0));

        h.disconnect(bc); // without a word: away, its place kept for the resume grace
        const auto away = h.take(chair).find(Kind::Away);
        QVERIFY(away);
        QCOMPARE(away->identity, b.id());
        QVERIFY(h.hub.meeting(m.id)->isAway(b.id()));
        h.advance(h.hub.limits().resumeGrace - std::chrono::seconds(1));
        QVERIFY(!h.take(chair).find(Kind::Left));
        h.advance(std::chrono::seconds(1));
        const Inbox chairInbox = h.take(chair);
        const auto left = chairInbox.find(Kind::Left);
        QVERIFY(left);
        QCOMPARE(left->identity, b.id());
        QVERIFY(!left->lobby);
        QVERIFY(!h.hub.meeting(m.id)->isMember(b.id()));
    }

    void withoutTheChairNobodyWaitsAndTheChairMayReturn()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member, knocker;
        const ConnectionId memberConn = h.admitMember(m, chair, member);
        h.take(memberConn);
        ConnectionId k = 0;
        QCOMPARE(h.knockCode(m.knock(knocker, m.invite(&knocker)), QStringLiteral("192.0.2.9"), &k),
                 QString());

        h.disconnect(chair);
        QCOMPARE(h.take(k).refusal(), QStringLiteral("meeting.chair_absent"));
        QVERIFY(h.isClosed(k));
        QCOMPARE(h.take(memberConn).find(Kind::Away)->identity, m.chair.id());
        TestPerson late;
        QCOMPARE(h.knockCode(m.knock(late, m.invite(&late))),
                 QStringLiteral("meeting.chair_absent"));

        // Someone else cannot take the meeting over; the chair can come back.
        TestMeeting usurper;
        usurper.id = m.id;
        usurper.descriptor.meetingId = m.id;
        ConnectionId u = h.connect();
        h.send(u, usurper.create());
        QCOMPARE(h.take(u).refusal(), QStringLiteral("meeting.exists"));
        const ConnectionId back = h.connect(HubHarness::kChairSource);
        h.send(back, m.create());
        QVERIFY(h.take(back).find(Kind::Created));
        QCOMPARE(h.count(HubEvent::Kind::ChairReturned), 1);
        QCOMPARE(h.take(memberConn).find(Kind::Back)->identity, m.chair.id());
        const QByteArray hb = m.heartbeat();
        h.send(back, hb);
        QCOMPARE(h.take(memberConn).envelopes, QList<QByteArray>{hb});

        // When the last member goes (or stays away past the grace), the meeting goes.
        h.disconnect(memberConn);
        h.disconnect(back);
        QCOMPARE(h.hub.meetingCount(), size_t(1));
        h.advance(h.hub.limits().resumeGrace);
        QCOMPARE(h.hub.meetingCount(), size_t(0));
        QCOMPARE(h.count(HubEvent::Kind::MeetingEnded), 1);
    }

    void carriesChatOnlyWhenTheChairAllowsIt()
    {
        HubHarness h;
        TestMeeting m; // chat off in the descriptor
        const ConnectionId chair = h.startMeeting(m);
        TestPerson a;
        const ConnectionId ac = h.admitMember(m, chair, a);
        h.send(ac, m.chat(a));
        QCOMPARE(h.take(ac).errorCode(), QStringLiteral("meeting.chat_disabled"));
        QVERIFY(h.take(chair).envelopes.isEmpty());
        h.send(chair, m.control(ControlAction::AllowChat));
        h.take(ac);
        h.send(ac, m.chat(a));
        QCOMPARE(h.take(chair).envelopes.size(), 1);
        h.send(chair, m.control(ControlAction::Suspend));
        h.take(ac);
        h.send(ac, m.chat(a));
        QCOMPARE(h.take(ac).errorCode(), QStringLiteral("meeting.suspended"));
    }

    void acceptsOnlyNewerDescriptorRevisions()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson a;
        const ConnectionId ac = h.admitMember(m, chair, a);
        h.take(ac);
        m.descriptor.revision = 2;
        m.descriptor.marking = QStringLiteral("OFFICIAL-SENSITIVE");
        const QByteArray revised = m.signedDescriptor();
        const QByteArray message = m.chair.envelope(protocol::MessageType::Descriptor, m.id,
                                                    meeting::BlobBody{revised}.encode());
        h.send(chair, message);
        QCOMPARE(h.take(ac).envelopes, QList<QByteArray>{message});
        QCOMPARE(h.hub.meeting(m.id)->descriptor().revision, uint64_t(2));
        TestPerson knocker;
        const ConnectionId k = h.connect();
        h.send(k, m.knock(knocker, m.invite(&knocker)));
        QCOMPARE(h.take(k).find(Kind::Lobby)->descriptor, revised); // knockers see the new label

        m.descriptor.revision = 1;
        h.send(chair, m.chair.envelope(protocol::MessageType::Descriptor, m.id,
                                       meeting::BlobBody{m.signedDescriptor()}.encode()));
        QCOMPARE(h.take(chair).errorCode(), QStringLiteral("descriptor.stale"));
        QVERIFY(h.take(ac).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestHubRouting)
#include "tst_hubrouting.moc"
