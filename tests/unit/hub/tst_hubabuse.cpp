// SPDX-License-Identifier: GPL-3.0-or-later
// The hub under abuse (docs/protocol.md §6): identities cycled through a leaked invite, floods
// of one message type, crafted CBOR, a few addresses filling every slot, chairs the operator
// did not list. Every map the hub keeps per identity, source or connection stays bounded.
#include "HubHarness.h"
#include "TestMeeting.h"
#include "TestPerson.h"

#include "crypto/Fingerprint.h"
#include "hub/HubState.h"
#include "hub/SourceLimiter.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using namespace conclave::hubtest;
using protocol::MessageType;
using std::chrono::seconds;

namespace {

QString source(int i)
{
    return QStringLiteral("203.0.113.%1").arg(i % 250 + 1);
}

/// A CBOR map {"a": [1, 1, 1, ...]} of `items` tiny items: valid CBOR, canonical, and nothing
/// any Conclave message looks like.
QByteArray manyItems(int items)
{
    QByteArray out;
    out.append(char(0xa1)).append(char(0x61)).append('a');
    out.append(char(0x9a)); // array, 4-byte count
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char((items >> shift) & 0xff));
    out.append(QByteArray(items, char(0x01)));
    return out;
}

/// {"a": [[[[ ... ]]]]} nested `depth` deep.
QByteArray deepNesting(int depth)
{
    QByteArray out;
    out.append(char(0xa1)).append(char(0x61)).append('a');
    out.append(QByteArray(depth, char(0x81)));
    out.append(char(0x01));
    return out;
}

} // namespace

class TestHubAbuse : public QObject {
    Q_OBJECT

private slots:
    void identitiesCycledThroughALeakedInviteLeaveTheMeetingBounded()
    {
        HubLimits limits;
        limits.knockRate = 1e6; // many knocks from few addresses: this test is about the maps
        limits.knockBurst = 1e6;
        limits.messageRates.set(MessageType::Deny, {1e6, 1e6});
        limits.messageRates.set(MessageType::Remove, {1e6, 1e6});
        HubHarness h(limits);
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        const QByteArray leaked = m.invite(nullptr, TestMeeting::now() + std::chrono::hours(24));

        constexpr int kCycles = 100000;
        for (int i = 0; i < kCycles; ++i) {
            TestPerson stranger;
            const ConnectionId c = h.connect(source(i));
            h.send(c, m.knock(stranger, leaked));
            if (!h.take(c).find(HubNotice::Kind::Lobby))
                QFAIL(qPrintable(
                    QStringLiteral("knock %1 was not queued: %2").arg(i).arg(h.take(c).refusal())));
            h.send(chair, m.deny(stranger)); // the hub closes the knocker's connection
            QVERIFY(h.isClosed(c));
            h.take(chair);
            if (i % 1000 == 0)
                h.events.clear();
        }
        // Bans for identities never seen (a chair removing what it was told about) too.
        for (int i = 0; i < 2 * int(HubMeeting::kMaxBans); ++i) {
            TestPerson gone;
            h.send(chair, m.remove(gone));
            h.take(chair);
        }
        h.events.clear();

        const HubMeeting* meeting = h.hub.meeting(m.id);
        QVERIFY(meeting);
        QCOMPARE(meeting->lobby().size(), size_t(0));
        QCOMPARE(meeting->members().size(), size_t(1));
        // Every stranger was denied once and 2 x kMaxBans identities were banned: the records
        // hold fewer than that.
        QVERIFY(meeting->denialCount() <= HubMeeting::kMaxDenials);
        QVERIFY(meeting->denialCount() < size_t(kCycles));
        QVERIFY(meeting->banCount() <= HubMeeting::kMaxBans);
        QVERIFY(meeting->banCount() < 2 * HubMeeting::kMaxBans);
        QVERIFY(meeting->sequence().size() <= protocol::SequenceTracker::kMaxProvisional + 1);
        QCOMPARE(meeting->spentInviteCount(), size_t(0)); // nobody was admitted
        QCOMPARE(h.hub.connectionCount(), size_t(1));     // the chair's
        QVERIFY(h.hub.sourceCount() <= 251);              // the addresses used, at most
        h.advance(seconds(5));
        QCOMPARE(h.hub.sourceCount(), size_t(1)); // then only the chair's
        // The chair is still heard and can still admit an honest newcomer.
        TestPerson honest;
        QCOMPARE(h.knockCode(m.knock(honest, m.invite(&honest))), QString());
    }

    void aSpentInviteIsForgottenOnceItHasExpired()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson p;
        const QByteArray invite = m.invite(&p, TestMeeting::now() + seconds(120));
        const ConnectionId c = h.connect();
        h.send(c, m.knock(p, invite));
        h.send(chair, m.admit(p));
        QVERIFY(h.take(c).find(HubNotice::Kind::Admitted));
        QCOMPARE(h.hub.meeting(m.id)->spentInviteCount(), size_t(1));
        h.advance(seconds(60));
        QCOMPARE(h.hub.meeting(m.id)->spentInviteCount(), size_t(1)); // still usable: spent
        h.advance(seconds(61));
        QCOMPARE(h.hub.meeting(m.id)->spentInviteCount(), size_t(0)); // expired: refused anyway
    }

    void aMemberFloodingOneTypeIsHeldToItsRateAndOthersAreStillServed()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson flooder, peer;
        const ConnectionId f = h.admitMember(m, chair, flooder);
        const ConnectionId p = h.admitMember(m, chair, peer, QStringLiteral("192.0.2.21"));
        h.take(f);
        h.take(p);
        const MessageRate signal = h.hub.limits().messageRates[MessageType::Signal];
        int relayed = 0;
        QString refusal;
        for (int i = 0; i < 2 * int(signal.burst); ++i) {
            h.send(f, m.signal(flooder, peer));
            relayed += int(h.take(p).envelopes.size());
            const QString code = h.take(f).errorCode();
            if (!code.isEmpty() && refusal.isEmpty())
                refusal = code;
        }
        QCOMPARE(relayed, int(signal.burst));
        QCOMPARE(refusal, QStringLiteral("hub.rate_limited"));
        // Acks for epochs far ahead: the same, per type.
        const MessageRate ack = h.hub.limits().messageRates[MessageType::Ack];
        int acks = 0;
        for (int i = 0; i < 3 * int(ack.burst) && !h.isClosed(f); ++i) {
            h.send(f, m.ack(flooder, 1000000 + uint64_t(i)));
            acks += int(h.take(p).envelopes.size());
        }
        QVERIFY(acks <= int(ack.burst));
        // The flood cost the flooder its connection (strikes), not the others their meeting.
        QVERIFY(h.isClosed(f));
        h.take(chair);
        h.send(chair, m.chat(m.chair));
        QCOMPARE(h.take(p).envelopes.size(), qsizetype(1));
        // A second later the rate refills.
        h.advance(seconds(1));
        h.send(p, m.signal(peer, m.chair));
        QCOMPARE(h.take(chair).envelopes.size(), qsizetype(1));
    }

    void aCoChairFloodingRequestsIsHeldToTheRequestRate()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson co;
        const ConnectionId c = h.admitMember(m, chair, co);
        h.send(chair, m.delegate(co));
        h.take(chair);
        h.take(c);
        const MessageRate rate = h.hub.limits().messageRates[MessageType::Request];
        int reached = 0;
        for (int i = 0; i < 50 && !h.isClosed(c); ++i) {
            h.send(c, m.request(co, {meeting::ChairAction::Lock, i % 2 == 1}));
            reached += int(h.take(chair).envelopes.size());
        }
        QCOMPARE(reached, int(rate.burst));
    }

    void craftedCborIsRefusedByItsShapeBeforeDecoding()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson member;
        const ConnectionId c = h.admitMember(m, chair, member);
        h.take(c);
        // As the whole message: the envelope's shape is refused before anything is built.
        h.send(c, manyItems(200000));
        QCOMPARE(h.take(c).errorCode(), QStringLiteral("protocol.too_complex"));
        h.send(c, deepNesting(100000));
        QCOMPARE(h.take(c).errorCode(), QStringLiteral("protocol.too_complex"));
        // As a correctly signed body: the same for the body.
        h.send(c, member.envelope(MessageType::Chat, m.id, manyItems(200000)));
        QCOMPARE(h.take(c).errorCode(), QStringLiteral("protocol.too_complex"));
        QVERIFY(h.take(chair).isEmpty()); // nothing relayed
        // The meeting goes on.
        h.send(chair, m.heartbeat());
        QCOMPARE(h.take(c).envelopes.size(), qsizetype(1));
    }

    void aFewAddressesFillingTheHubLeaveRoomForNewcomers()
    {
        HubLimits limits; // defaults: 1000 in total, 64 per source
        HubHarness h(limits);
        int held = 0;
        for (int s = 0; s < 16; ++s)
            for (int i = 0; i < limits.maxConnectionsPerSource; ++i) {
                const ConnectionId c = h.connect(QStringLiteral("198.18.0.%1").arg(s + 1));
                held += h.isClosed(c) || !h.take(c).refusal().isEmpty() ? 0 : 1;
            }
        QVERIFY(held <= limits.maxConnections - limits.reservedConnections);
        // Newcomers from other addresses still get in, a couple each.
        for (int n = 0; n < 8; ++n) {
            const ConnectionId c = h.connect(QStringLiteral("192.0.2.%1").arg(100 + n));
            QCOMPARE(h.take(c).refusal(), QString());
        }
        // The 16 addresses do not, however often they try.
        const ConnectionId more = h.connect(QStringLiteral("198.18.0.16"));
        QCOMPARE(h.take(more).refusal(), QStringLiteral("connections.reserved"));
    }

    void connectionsLeaveNothingBehind()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        constexpr int kCycles = int(protocol::SequenceTracker::kMaxProvisional) + 1000;
        for (int i = 0; i < kCycles; ++i) {
            if (i % 20 == 0)
                h.advance(seconds(1)); // an honest chair's pace of admissions
            TestPerson p;
            const ConnectionId c = h.admitMember(m, chair, p, source(i));
            h.send(c, m.ack(p)); // a member's message: its sender is now more than a knocker
            h.disconnect(c);
            h.take(chair);
        }
        QCOMPARE(h.hub.connectionCount(), size_t(1));
        // Knock buckets refill and the sources are forgotten; the places of members who
        // dropped without a word are kept for the resume grace, then given up.
        h.advance(h.hub.limits().resumeGrace + seconds(5));
        QCOMPARE(h.hub.sourceCount(), size_t(1)); // the chair's
        QCOMPARE(h.hub.meeting(m.id)->members().size(), size_t(1));
        // Members who came, spoke and went are remembered no longer than knockers.
        QVERIFY(h.hub.meeting(m.id)->sequence().size() <=
                protocol::SequenceTracker::kMaxProvisional + 1);
    }

    void onlyListedChairsMayOpenMeetings()
    {
        TestMeeting allowed, stranger;
        HubLimits limits;
        limits.allowedChairs.add(allowed.chair.key().publicKey());
        HubHarness h(limits);
        const ConnectionId a = h.connect();
        h.send(a, stranger.create());
        const Inbox refused = h.take(a);
        QCOMPARE(refused.refusal(), QStringLiteral("hub.chair_not_allowed"));
        QVERIFY(refused.find(HubNotice::Kind::Refused)
                    ->reason.contains(QStringLiteral("--allow-chair")));
        QVERIFY(h.isClosed(a));
        QCOMPARE(h.hub.meetingCount(), size_t(0));
        h.startMeeting(allowed);
        QCOMPARE(h.hub.meetingCount(), size_t(1));

        // An empty list hosts nobody.
        HubLimits none;
        none.allowAnyChair = false;
        HubState closed(none, h.clock);
        closed.open(1, QStringLiteral("192.0.2.1"));
        HubOutput out = closed.receive(1, allowed.create());
        QCOMPARE(closed.meetingCount(), size_t(0));

        // The list takes fingerprints as `conclave-cli identity` prints them, or hex keys.
        ChairAllowList list;
        const auto key = stranger.chair.key().publicKey();
        QVERIFY(list.add(QString::fromStdString(crypto::publicKeyFingerprint(key.view()))).ok());
        QVERIFY(list.allows(key));
        ChairAllowList hex;
        QVERIFY(hex.add(QString::fromLatin1(stranger.chair.id().toHex())).ok());
        QVERIFY(hex.allows(key));
        QCOMPARE(hex.add(QStringLiteral("12345")).error().code, std::string("hub.bad_chair"));
    }
};

QTEST_GUILESS_MAIN(TestHubAbuse)
#include "tst_hubabuse.moc"
