// SPDX-License-Identifier: GPL-3.0-or-later
// Co-chairs at the hub (docs/protocol.md §7): only the chair's verified delegation makes one;
// a co-chair sees the waiting room, its requests go to the chair alone, and it can take the
// chair over only from a chair that is gone or silent - after which the hub treats it as chair.
#include "HubHarness.h"
#include "TestMeeting.h"
#include "meeting/Delegation.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using namespace conclave::hubtest;
using meeting::ChairAction;
using Kind = HubNotice::Kind;

namespace {

/// A meeting with bob (co-chair once delegated) and carol in it.
struct Room {
    HubHarness h;
    TestMeeting m;
    TestPerson bob, carol;
    ConnectionId chair = 0, bobC = 0, carolC = 0;

    Room()
    {
        chair = h.startMeeting(m);
        bobC = h.admitMember(m, chair, bob, QStringLiteral("192.0.2.21"));
        carolC = h.admitMember(m, chair, carol, QStringLiteral("192.0.2.22"));
        h.take(bobC);
    }

    void delegateBob()
    {
        h.send(chair, m.delegate(bob));
        if (h.take(chair).errorCode() != QString())
            qFatal("the delegation was refused");
        h.take(bobC);
        h.take(carolC);
    }
};

} // namespace

class TestHubCoChair : public QObject {
    Q_OBJECT

private slots:
    void delegationIsRelayedOnlyWhenTheChairSignedItForAMember()
    {
        Room r;
        const QByteArray delegate = r.m.delegate(r.bob);
        r.h.send(r.chair, delegate);
        QCOMPARE(r.h.take(r.bobC).envelopes, QList<QByteArray>{delegate});
        QCOMPARE(r.h.take(r.carolC).envelopes, QList<QByteArray>{delegate});
        QCOMPARE(r.h.count(HubEvent::Kind::CoChair), 1);

        // A delegation signed by someone else, even sent by the chair, is dropped.
        TestPerson stranger;
        meeting::Delegation forged{r.m.id, r.carol.key().publicKey(), QStringLiteral("Carol"),
                                   TestMeeting::now(), true};
        r.h.send(r.chair, r.m.chair.envelope(
                              protocol::MessageType::Delegate, r.m.id,
                              meeting::BlobBody{forged.sign(stranger.key()).encode()}.encode()));
        QCOMPARE(r.h.take(r.chair).errorCode(), QStringLiteral("delegation.not_chair"));
        QVERIFY(r.h.take(r.carolC).isEmpty());
        // Nor for someone who is not in the room.
        r.h.send(r.chair, r.m.delegate(stranger));
        QCOMPARE(r.h.take(r.chair).errorCode(), QStringLiteral("hub.unknown_target"));
        // And only the chair may send one at all.
        r.h.send(r.bobC, r.bob.envelope(protocol::MessageType::Delegate, r.m.id,
                                        meeting::BlobBody{r.m.delegation(r.carol)}.encode()));
        QCOMPARE(r.h.take(r.bobC).errorCode(), QStringLiteral("hub.not_chair"));
    }

    void requestsGoToTheChairOnlyAndOnlyFromACoChair()
    {
        Room r;
        r.h.send(r.bobC, r.m.request(r.bob, {ChairAction::Lock}));
        QCOMPARE(r.h.take(r.bobC).errorCode(), QStringLiteral("hub.not_co_chair"));
        QVERIFY(r.h.take(r.chair).isEmpty());
        QCOMPARE(r.h.count(HubEvent::Kind::Unauthorised), 1);

        r.delegateBob();
        const QByteArray request = r.m.request(r.bob, {ChairAction::Remove}, &r.carol);
        r.h.send(r.bobC, request);
        QCOMPARE(r.h.take(r.chair).envelopes, QList<QByteArray>{request});
        QVERIFY(r.h.take(r.carolC).isEmpty()); // the target does not see it coming

        // Withdrawn: requests stop again.
        r.h.send(r.chair, r.m.delegate(r.bob, false));
        r.h.take(r.bobC);
        r.h.send(r.bobC, r.m.request(r.bob, {ChairAction::Lock}));
        QCOMPARE(r.h.take(r.bobC).errorCode(), QStringLiteral("hub.not_co_chair"));
    }

    void coChairSeesTheWaitingRoom()
    {
        Room r;
        r.delegateBob();
        TestPerson knocker;
        ConnectionId k = 0;
        const QByteArray knock = r.m.knock(knocker, r.m.invite(&knocker));
        QCOMPARE(r.h.knockCode(knock, QStringLiteral("192.0.2.40"), &k), QString());
        QCOMPARE(r.h.take(r.chair).envelopes, QList<QByteArray>{knock});
        QCOMPARE(r.h.take(r.bobC).envelopes, QList<QByteArray>{knock});
        QVERIFY(r.h.take(r.carolC).isEmpty()); // a participant still sees no knock
        r.h.disconnect(k);
        const auto left = r.h.take(r.bobC).find(Kind::Left);
        QVERIFY(left && left->lobby && left->identity == knocker.id());
    }

    void removingTheCoChairEndsTheDelegation()
    {
        Room r;
        r.delegateBob();
        r.h.send(r.chair, r.m.toLobby(r.bob));
        r.h.take(r.bobC);
        QVERIFY(!r.h.hub.meeting(r.m.id)->isCoChair(r.bob.id()));
    }

    void takeoverIsRefusedWhileTheChairIsHeard()
    {
        Room r;
        r.delegateBob();
        r.h.advance(std::chrono::seconds(10));
        r.h.send(r.chair, r.m.heartbeat());
        r.h.advance(std::chrono::seconds(10));
        r.h.send(r.bobC, r.m.takeover(r.bob, r.m.delegation(r.bob)));
        QCOMPARE(r.h.take(r.bobC).errorCode(), QStringLiteral("meeting.chair_present"));
        QVERIFY(r.h.hub.meeting(r.m.id)->isChair(r.m.chair.id()));
    }

    void silentChairIsReplacedAndTheCoChairActsAsChair()
    {
        Room r;
        r.delegateBob();
        TestPerson early;
        ConnectionId waiting = 0;
        QCOMPARE(r.h.knockCode(r.m.knock(early, r.m.invite(&early)), QStringLiteral("192.0.2.41"),
                               &waiting),
                 QString());
        r.h.take(r.chair);
        r.h.take(r.bobC);

        r.h.advance(std::chrono::seconds(16));
        // While the chair is silent the meeting takes no knocks (nobody could admit them).
        TestPerson late;
        QCOMPARE(r.h.knockCode(r.m.knock(late, r.m.invite(&late)), QStringLiteral("192.0.2.42")),
                 QStringLiteral("meeting.chair_silent"));

        // A takeover with someone else's delegation is refused.
        r.h.send(r.bobC, r.m.takeover(r.bob, r.m.delegation(r.carol)));
        QCOMPARE(r.h.take(r.bobC).errorCode(), QStringLiteral("delegation.not_yours"));

        const QByteArray takeover = r.m.takeover(r.bob, r.m.delegation(r.bob));
        r.h.send(r.bobC, takeover);
        QVERIFY(r.h.take(r.carolC).envelopes.contains(takeover));
        const Inbox old = r.h.take(r.chair);
        QVERIFY(old.envelopes.contains(takeover));
        QVERIFY(old.find(Kind::Removed));
        QVERIFY(r.h.isClosed(r.chair));
        QCOMPARE(r.h.take(waiting).refusal(), QStringLiteral("meeting.chair_changed"));
        QCOMPARE(r.h.count(HubEvent::Kind::ChairChanged), 1);
        const HubMeeting* meeting = r.h.hub.meeting(r.m.id);
        QVERIFY(meeting->isChair(r.bob.id()));

        // bob is chair now: its chair messages are relayed, a new knock reaches it and carries
        // the delegation it took over with, and the old chair cannot come back as chair.
        const QByteArray control =
            r.bob.envelope(protocol::MessageType::Control, r.m.id,
                           meeting::ControlBody{meeting::ControlAction::MuteAll, {}}.encode());
        r.h.send(r.bobC, control);
        QCOMPARE(r.h.take(r.carolC).envelopes, QList<QByteArray>{control});
        ConnectionId k = 0;
        QCOMPARE(
            r.h.knockCode(r.m.knock(late, r.m.invite(&late)), QStringLiteral("192.0.2.43"), &k),
            QString());
        QCOMPARE(r.h.take(r.bobC).envelopes.size(), 1);
        const ConnectionId back = r.h.connect(HubHarness::kChairSource);
        r.h.send(back, r.m.create());
        QCOMPARE(r.h.take(back).refusal(), QStringLiteral("meeting.chair_changed"));
        // The old chair's key no longer carries chair authority.
        QVERIFY(!meeting->isChair(r.m.chair.id()));
    }

    void lobbyNoticeCarriesTheSuccession()
    {
        Room r;
        r.delegateBob();
        r.h.disconnect(r.chair); // gone: no need to wait for silence
        r.h.take(r.bobC);
        r.h.send(r.bobC, r.m.takeover(r.bob, r.m.delegation(r.bob)));
        QCOMPARE(r.h.take(r.bobC).errorCode(), QString());
        TestPerson late;
        const ConnectionId k = r.h.connect(QStringLiteral("192.0.2.44"));
        r.h.send(k, r.m.knock(late, r.m.invite(&late)));
        const auto lobby = r.h.take(k).find(Kind::Lobby);
        QVERIFY(lobby);
        QCOMPARE(lobby->succession, r.m.delegation(r.bob));
    }
};

QTEST_APPLESS_MAIN(TestHubCoChair)
#include "tst_hubcochair.moc"
