// SPDX-License-Identifier: GPL-3.0-or-later
// Who may send what (docs/protocol.md §3): the hub's routing checks and every client's
// EnvelopeGuard read one table (protocol::senderRule), so they cannot disagree. Every message
// type goes through both, signed by the chair and by an ordinary member.
#include "HubHarness.h"
#include "TestMeeting.h"
#include "meeting/EnvelopeGuard.h"
#include "protocol/Envelope.h"
#include "protocol/SenderRoles.h"

#include <QtTest>

#include <set>
#include <utility>
#include <vector>

using namespace conclave;
using namespace conclave::hub;
using namespace conclave::hubtest;
using protocol::MessageType;
using protocol::Sender;

namespace {

/// A meeting with bob in it (not co-chair), on a hub of its own.
struct Room {
    HubHarness h;
    TestMeeting m;
    TestPerson bob;
    ConnectionId chair = 0, bobC = 0;

    Room()
    {
        chair = h.startMeeting(m);
        bobC = h.admitMember(m, chair, bob, QStringLiteral("192.0.2.21"));
    }
};

/// The hub's answer to `type` signed by `from` on its own connection: the error code, or ""
/// when it was taken.
QString hubAnswer(Room& r, MessageType type, bool fromChair)
{
    TestPerson& who = fromChair ? r.m.chair : r.bob;
    const ConnectionId c = fromChair ? r.chair : r.bobC;
    // The body does not matter: the sender's right is checked before the body's schema.
    r.h.send(c, who.envelope(type, r.m.id, QByteArray("\xa0", 1)));
    return r.h.take(c).errorCode();
}

/// The client's answer to the same: the refusal code, or "".
QString guardAnswer(Room& r, MessageType type, bool fromChair)
{
    TestPerson& who = fromChair ? r.m.chair : r.bob;
    meeting::EnvelopeGuard guard(r.m.id, r.m.chair.key().publicKey());
    auto envelope = protocol::Envelope::decode(who.envelope(type, r.m.id, QByteArray("\xa0", 1)));
    if (!envelope)
        qFatal("the test envelope does not decode");
    const auto verdict = guard.check(*envelope);
    return verdict.refusal ? QString::fromStdString(verdict.refusal->code) : QString();
}

/// A meeting with chat on: bob (co-chair), carol and dave in it, and a knocker waiting; every
/// inbox empty.
struct FullRoom {
    HubHarness h;
    TestMeeting m{QStringLiteral("test-pin"), [] {
                      meeting::MeetingOptions o;
                      o.chat = true;
                      return o;
                  }()};
    TestPerson bob, carol, dave, knocker, late;
    ConnectionId chair = 0, bobC = 0, carolC = 0, daveC = 0, knockerC = 0;

    FullRoom()
    {
        chair = h.startMeeting(m);
        bobC = h.admitMember(m, chair, bob, QStringLiteral("192.0.2.21"));
        carolC = h.admitMember(m, chair, carol, QStringLiteral("192.0.2.22"));
        daveC = h.admitMember(m, chair, dave, QStringLiteral("192.0.2.23"));
        h.send(chair, m.delegate(bob));
        if (!h.knockCode(m.knock(knocker, m.invite(&knocker)), QStringLiteral("192.0.2.40"),
                         &knockerC)
                 .isEmpty())
            qFatal("the knock was refused");
        for (ConnectionId c : connections())
            h.take(c);
    }

    std::vector<ConnectionId> connections() const { return {chair, bobC, carolC, daveC, knockerC}; }
    std::set<ConnectionId> members() const
    {
        std::set<ConnectionId> out;
        for (const auto& [identity, connection] : h.hub.meeting(m.id)->members())
            out.insert(connection);
        return out;
    }

    /// A valid message of `type` from someone allowed to send it, sent; returns its sender's
    /// connection and what it sent.
    std::pair<ConnectionId, QByteArray> sendOne(MessageType type)
    {
        using meeting::ControlAction;
        const auto target = [&](const TestPerson& who) {
            return meeting::TargetBody{who.key().publicKey(), QStringLiteral("test")}.encode();
        };
        std::pair<ConnectionId, QByteArray> sent;
        switch (type) {
        case MessageType::Create:
            sent = {h.connect(HubHarness::kChairSource), m.create()};
            break;
        case MessageType::Knock:
            sent = {h.connect(QStringLiteral("192.0.2.41")), m.knock(late, m.invite(&late))};
            break;
        case MessageType::Admit:
            sent = {chair, m.admit(knocker)};
            break;
        case MessageType::Deny:
            sent = {chair, m.deny(knocker)};
            break;
        case MessageType::Commit:
            sent = {chair, m.commit()};
            break;
        case MessageType::Ack:
            sent = {carolC, m.ack(carol)};
            break;
        case MessageType::Remove:
            sent = {chair, m.remove(dave)};
            break;
        case MessageType::Control:
            sent = {chair, m.control(ControlAction::Lock)};
            break;
        case MessageType::Descriptor:
            sent = {chair,
                    m.chair.envelope(type, m.id, meeting::BlobBody{m.signedDescriptor()}.encode())};
            break;
        case MessageType::Chat:
            sent = {carolC, m.chat(carol)};
            break;
        case MessageType::Heartbeat:
            sent = {chair, m.heartbeat()};
            break;
        case MessageType::Leave:
            sent = {carolC, m.leave(carol)};
            break;
        case MessageType::Signal:
            sent = {carolC, m.signal(carol, dave)};
            break;
        case MessageType::Delegate:
            sent = {chair, m.delegate(carol)};
            break;
        case MessageType::AskUnmute:
            sent = {chair, m.chair.envelope(type, m.id, target(dave))};
            break;
        case MessageType::Request:
            sent = {bobC, m.request(bob, {meeting::ChairAction::Lock})};
            break;
        case MessageType::Takeover:
            h.advance(std::chrono::seconds(16)); // a co-chair takes over only from a silent chair
            sent = {bobC, m.takeover(bob, m.delegation(bob))};
            break;
        case MessageType::Resume: // a member behind on its epoch, on its own connection
            sent = {carolC, carol.envelope(type, m.id, meeting::EpochBody{1}.encode())};
            break;
        case MessageType::Resync: {
            meeting::ResyncBody body;
            body.to = dave.key().publicKey();
            body.resync = QByteArray("resync");
            body.descriptor = m.signedDescriptor();
            sent = {chair, m.chair.envelope(type, m.id, body.encode())};
            break;
        }
        }
        h.send(sent.first, sent.second);
        return sent;
    }
};

} // namespace

class TestSenderRoles : public QObject {
    Q_OBJECT

private slots:
    void everyTypeHasOneRule()
    {
        const auto& rules = protocol::senderRules();
        for (size_t i = 0; i < rules.size(); ++i) {
            QCOMPARE(size_t(rules[i].type), i);
            QCOMPARE(&protocol::senderRule(rules[i].type), &rules[i]);
            // Every name on the wire has a rule.
            QVERIFY(protocol::messageTypeFromString(protocol::toString(rules[i].type)));
        }
    }

    void hubAndClientsRefuseTheSameChairOnlyTypes_data()
    {
        QTest::addColumn<int>("type");
        for (const protocol::SenderRule& rule : protocol::senderRules())
            QTest::newRow(std::string(protocol::toString(rule.type)).c_str()) << int(rule.type);
    }

    void hubAndClientsRefuseTheSameChairOnlyTypes()
    {
        QFETCH(int, type);
        const auto t = MessageType(type);
        const bool chairOnly = protocol::senderRule(t).sender == Sender::Chair;
        QCOMPARE(meeting::EnvelopeGuard::chairOnly(t), chairOnly);

        // A member: both refuse exactly the chair-only types, for that reason.
        Room fromMember;
        QCOMPARE(hubAnswer(fromMember, t, false) == QStringLiteral("hub.not_chair"), chairOnly);
        QCOMPARE(guardAnswer(fromMember, t, false) == QStringLiteral("envelope.not_chair"),
                 chairOnly);
        QCOMPARE(fromMember.h.count(HubEvent::Kind::Unauthorised) > 0,
                 chairOnly || protocol::senderRule(t).sender == Sender::CoChair);

        // The chair: neither refuses anything as "not the chair".
        Room fromChair;
        QVERIFY(hubAnswer(fromChair, t, true) != QStringLiteral("hub.not_chair"));
        QCOMPARE(guardAnswer(fromChair, t, true), QString());
    }

    // The table's "to" column is where the hub's handlers take each type.
    void everyTypeGoesWhereTheTableSays_data() { hubAndClientsRefuseTheSameChairOnlyTypes_data(); }

    void everyTypeGoesWhereTheTableSays()
    {
        QFETCH(int, type);
        const auto t = MessageType(type);
        FullRoom r;
        const std::set<ConnectionId> before = r.members();
        const auto [from, wire] = r.sendOne(t);
        QCOMPARE(r.h.take(from).errorCode(), QString());
        std::set<ConnectionId> expected;
        switch (protocol::senderRule(t).delivery) {
        case protocol::Delivery::Hub:
            break;
        case protocol::Delivery::LobbyKeepers:
            expected = {r.chair, r.bobC};
            break;
        case protocol::Delivery::Members:
            // Every member but the sender, as the room was or became (an admitted knocker
            // hears its admit; a chair replaced hears the takeover); never the waiting room.
            expected = r.members();
            expected.insert(before.begin(), before.end());
            expected.erase(from);
            if (t == MessageType::Remove)
                expected.erase(r.daveC); // the removed member gets `removed` instead
            break;
        case protocol::Delivery::OneMember:
            expected = {r.daveC};
            break;
        case protocol::Delivery::Chair:
            expected = {r.chair};
            break;
        }
        std::set<ConnectionId> received;
        for (ConnectionId c : r.connections())
            if (c != from && r.h.take(c).envelopes.contains(wire))
                received.insert(c);
        QCOMPARE(received, expected);
    }

    void coChairTypesNeedADelegationAtTheHub()
    {
        for (const protocol::SenderRule& rule : protocol::senderRules()) {
            if (rule.sender != Sender::CoChair)
                continue;
            Room r;
            QCOMPARE(hubAnswer(r, rule.type, false), QStringLiteral("hub.not_co_chair"));
        }
    }

    // The difference reconciled (docs/protocol.md §3): `create` is the chair's, as clients
    // always held. The hub used to answer a member's `create` on its bound connection with
    // `hub.already_joined` and log nothing; it is a claim to the chair's authority like any
    // other chair-only message, refused as such and logged as unauthorised.
    void aMembersCreateIsRefusedAsNotTheChairAndLogged()
    {
        Room r;
        r.h.send(r.bobC, r.bob.envelope(MessageType::Create, r.m.id, QByteArray("\xa0", 1)));
        QCOMPARE(r.h.take(r.bobC).errorCode(), QStringLiteral("hub.not_chair"));
        QCOMPARE(r.h.count(HubEvent::Kind::Unauthorised), 1);
        QVERIFY(r.h.hub.meeting(r.m.id)->isChair(r.m.chair.id()));
        // The chair sending `create` again on its own connection has simply already joined.
        r.h.send(r.chair, r.m.create());
        QCOMPARE(r.h.take(r.chair).errorCode(), QStringLiteral("hub.already_joined"));
    }

    void aSuccessorSendsWhatChairsSend()
    {
        Room r;
        TestPerson carol;
        const ConnectionId carolC =
            r.h.admitMember(r.m, r.chair, carol, QStringLiteral("192.0.2.22"));
        r.h.send(r.chair, r.m.delegate(r.bob));
        r.h.take(r.bobC);
        r.h.take(carolC);
        r.h.disconnect(r.chair);
        r.h.take(r.bobC);
        r.h.take(carolC);
        r.h.send(r.bobC, r.m.takeover(r.bob, r.m.delegation(r.bob)));
        QCOMPARE(r.h.take(r.bobC).errorCode(), QString());
        r.h.take(carolC);
        meeting::EnvelopeGuard carolsGuard(r.m.id, r.m.chair.key().publicKey());
        carolsGuard.setChair(r.bob.key().publicKey()); // after a verified takeover
        for (const protocol::SenderRule& rule : protocol::senderRules()) {
            if (rule.sender != Sender::Chair || rule.type == MessageType::Create)
                continue;
            const QByteArray wire = r.bob.envelope(rule.type, r.m.id, QByteArray("\xa0", 1));
            r.h.send(r.bobC, wire);
            QVERIFY2(r.h.take(r.bobC).errorCode() != QStringLiteral("hub.not_chair"),
                     protocol::toString(rule.type).data());
            auto envelope = protocol::Envelope::decode(wire);
            QVERIFY(envelope);
            QVERIFY2(!carolsGuard.check(*envelope).refusal, protocol::toString(rule.type).data());
            r.h.advance(std::chrono::seconds(6)); // the test bodies are invalid: let strikes refill
        }
    }

    // A successor repeats the original chair's grants in force to every newcomer, as the chair
    // did (docs/protocol.md §7), and members keep those co-chairs. The hub used to forget
    // every co-chair at a takeover and refuse the successor's repeat (a strike each time).
    void aSuccessorRepeatsTheGrantsInForce()
    {
        Room r;
        TestPerson carol, dave;
        const ConnectionId carolC =
            r.h.admitMember(r.m, r.chair, carol, QStringLiteral("192.0.2.22"));
        const ConnectionId daveC =
            r.h.admitMember(r.m, r.chair, dave, QStringLiteral("192.0.2.23"));
        r.h.send(r.chair, r.m.delegate(r.bob));
        r.h.send(r.chair, r.m.delegate(carol));
        r.h.disconnect(r.chair);
        r.h.send(r.bobC, r.m.takeover(r.bob, r.m.delegation(r.bob)));
        QCOMPARE(r.h.take(r.bobC).errorCode(), QString());
        r.h.take(carolC);
        r.h.take(daveC);
        const HubMeeting* meeting = r.h.hub.meeting(r.m.id);
        QVERIFY(meeting->isChair(r.bob.id()));
        QVERIFY(meeting->isCoChair(carol.id())); // still the original chair's co-chair
        QVERIFY(!meeting->isCoChair(r.bob.id()));

        const QByteArray repeat = r.bob.envelope(MessageType::Delegate, r.m.id,
                                                 meeting::BlobBody{r.m.delegation(carol)}.encode());
        r.h.send(r.bobC, repeat);
        QCOMPARE(r.h.take(r.bobC).errorCode(), QString());
        QCOMPARE(r.h.take(daveC).envelopes, QList<QByteArray>{repeat});
        // Carol's requests reach the new chair, who carries them out.
        const QByteArray request = r.m.request(carol, {meeting::ChairAction::Lock});
        r.h.send(carolC, request);
        QCOMPARE(r.h.take(r.bobC).envelopes, QList<QByteArray>{request});

        // Anything but a grant in force is a new delegation: the original chair's alone.
        for (const QByteArray& blob : {r.m.delegation(dave), r.m.delegation(carol, false)}) {
            r.h.send(r.bobC, r.bob.envelope(MessageType::Delegate, r.m.id,
                                            meeting::BlobBody{blob}.encode()));
            QCOMPARE(r.h.take(r.bobC).errorCode(), QStringLiteral("meeting.not_original_chair"));
            QVERIFY(r.h.take(daveC).isEmpty());
        }
        QVERIFY(!meeting->isCoChair(dave.id()));
        QVERIFY(meeting->isCoChair(carol.id()));
    }
};

QTEST_APPLESS_MAIN(TestSenderRoles)
#include "tst_senderroles.moc"
