// SPDX-License-Identifier: GPL-3.0-or-later
// A delegated co-chair takes the chair over (docs/e2ee.md §3, "Chair change"): members accept
// the successor's chair-change COMMIT only when told to trust it, only from its own roster
// entry, and from then on trust nobody else; the old chair loses the key.
#include "KeyScheduleTestKit.h"

#include <QtTest>

using namespace conclave::crypto;
using namespace conclave::crypto::testkit;

namespace {

/// bob (the co-chair), carol and dave in the meeting, plus one earlier member removed so the
/// highest index ever given out is not in the roster any more.
Meeting meetingWithCoChair()
{
    Meeting m;
    if (!m.admit({"bob", "carol", "dave"}).empty() || !m.admit({"erin"}).empty() ||
        !m.remove({"erin"}, CommitReason::Removed).empty())
        qFatal("setting up the meeting failed");
    m.devices().erase("erin");
    return m;
}

std::pair<ChairKeySchedule, Commit> bobTakesOver(Meeting& m)
{
    Device& bob = m.device("bob");
    auto succession = bob.schedule->succession();
    auto taken = ChairKeySchedule::takeOver(copyOf(bob.identity), copyOf(bob.ephemeral),
                                            m.meetingId(), *succession);
    if (!taken)
        qFatal("take-over failed: %s", taken.error().message.c_str());
    return std::move(taken).value();
}

} // namespace

class TestChairChange : public QObject {
    Q_OBJECT

private slots:
    void successorTakesOverAndMembersFollow()
    {
        Meeting m = meetingWithCoChair();
        const uint32_t bobIndex = m.indexOf("bob");
        const uint64_t before = m.chair().currentEpoch();
        for (const char* name : {"carol", "dave"})
            m.device(name).schedule->trustSuccessor(m.device("bob").identity.publicKey());
        auto [chair, commit] = bobTakesOver(m);

        QCOMPARE(commit.epoch, before + 1);
        QCOMPARE(commit.kind, CommitKind::Rekey);
        QCOMPARE(commit.reason, CommitReason::ChairChanged);
        QCOMPARE(commit.chairIndex, bobIndex);
        QCOMPARE(chair.chairIndex(), bobIndex);
        QVERIFY(!commit.roster.findIdentity(m.chairIdentity().publicKey())); // old chair out
        QCOMPARE(commit.roster.find(bobIndex)->role, MemberRole::Chair);
        QCOMPARE(commit.wraps.size(), size_t(2)); // carol and dave

        const Bytes wire = commit.encode();
        for (const char* name : {"carol", "dave"}) {
            auto change = m.device(name).schedule->process(wire);
            QVERIFY2(change.ok(), name);
            QCOMPARE(change->reason, CommitReason::ChairChanged);
            MemberKeySchedule& s = *m.device(name).schedule;
            QVERIFY(s.chairIdentity() == m.device("bob").identity.publicKey());
            QCOMPARE(*s.epochCode(), chair.epochCode());
            QCOMPARE(*s.meetingCode(), chair.meetingCode());
            for (const RosterEntry& e : chair.roster().entries()) {
                auto mine = s.mediaKey(e.index, MediaContext::Video);
                auto chairs = chair.mediaKey(e.index, MediaContext::Video);
                QVERIFY(mine.ok() && chairs.ok());
                QVERIFY(equalConstantTime(mine->baseKey.view(), chairs->baseKey.view()));
            }
        }
        // The new chair goes on as chairs do: a later admit and a removal both verify.
        m.knock("frank");
        auto admitted = chair.admit({m.admissionFor("frank")});
        QVERIFY(admitted.ok());
        QVERIFY(admitted->roster.findIdentity(m.device("frank").identity.publicKey())->index >
                m.indexOf("dave") + 1); // the removed member's index is never given out again
        // frank joined under the old chair's descriptor: it was told to trust bob, too.
        m.device("frank").schedule->trustSuccessor(m.device("bob").identity.publicKey());
        for (const char* name : {"carol", "dave", "frank"})
            QVERIFY2(m.device(name).schedule->process(admitted->encode()).ok(), name);
        QCOMPARE(m.device("frank").schedule->currentEpoch(), chair.currentEpoch());
    }

    void oldChairIsNotTrustedAfterTheChange()
    {
        Meeting m = meetingWithCoChair();
        m.device("carol").schedule->trustSuccessor(m.device("bob").identity.publicKey());
        auto [chair, commit] = bobTakesOver(m);
        QVERIFY(m.device("carol").schedule->process(commit.encode()).ok());
        // The old chair (still running, say, after a network split) rekeys: refused.
        auto stale = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        QVERIFY(stale.ok());
        auto refused = m.device("carol").schedule->process(stale->encode());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, std::string("commit.bad_signature"));
    }

    void chairChangeNeedsTrustInThatSuccessor()
    {
        Meeting m = meetingWithCoChair();
        auto [chair, commit] = bobTakesOver(m);
        auto refused = m.device("carol").schedule->process(commit.encode());
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, std::string("commit.bad_signature"));
        // Trusting someone else does not help either.
        m.device("carol").schedule->trustSuccessor(m.device("dave").identity.publicKey());
        QCOMPARE(m.device("carol").schedule->process(commit.encode()).error().code,
                 std::string("commit.bad_signature"));
    }

    void successorMustBeItsOwnRosterEntry()
    {
        Meeting m = meetingWithCoChair();
        Device& bob = m.device("bob");
        m.device("carol").schedule->trustSuccessor(bob.identity.publicKey());
        // bob claims the chair with a new ephemeral key (wraps from a key nobody checked).
        auto succession = *bob.schedule->succession();
        auto wrongKey = ChairKeySchedule::takeOver(
            copyOf(bob.identity), EphemeralKeyPair::generate(), m.meetingId(), succession);
        QVERIFY(!wrongKey.ok());
        QCOMPARE(wrongKey.error().code, std::string("keys.bad_succession"));
        // A successor that forges a roster in which its entry has another ephemeral key is
        // refused by the members.
        std::vector<RosterEntry> entries = succession.roster.entries();
        const EphemeralKeyPair fresh = EphemeralKeyPair::generate();
        for (RosterEntry& e : entries)
            if (e.index == succession.ownIndex)
                e.ephemeral = fresh.publicKey();
        succession.roster = *Roster::create(entries);
        auto forged = ChairKeySchedule::takeOver(copyOf(bob.identity), copyOf(fresh), m.meetingId(),
                                                 succession);
        QVERIFY(forged.ok());
        QCOMPARE(m.device("carol").schedule->process(forged->second.encode()).error().code,
                 std::string("commit.bad_chair_change"));
    }

    void successorMayOnlyChangeTheChairFirst()
    {
        Meeting m = meetingWithCoChair();
        Device& bob = m.device("bob");
        m.device("carol").schedule->trustSuccessor(bob.identity.publicKey());
        auto [chair, takeover] = bobTakesOver(m);
        // Before the chair change reaches carol, a different kind of COMMIT from bob (one
        // that would skip the change) is refused even at the right epoch.
        m.knock("frank");
        auto admit = chair.admit({m.admissionFor("frank")});
        QVERIFY(admit.ok());
        Commit sameEpoch = *admit;
        sameEpoch.epoch = takeover.epoch;
        sameEpoch.rosterHash = sameEpoch.roster.hash(m.meetingId(), sameEpoch.epoch);
        sameEpoch.sign(bob.identity);
        QCOMPARE(m.device("carol").schedule->process(sameEpoch.encode()).error().code,
                 std::string("commit.bad_chair_change"));
        QVERIFY(m.device("carol").schedule->process(takeover.encode()).ok());
    }

    void waitingDeviceAcceptsTheSuccessorsFirstCommit()
    {
        Meeting m = meetingWithCoChair();
        auto [chair, takeover] = bobTakesOver(m);
        m.knock("frank");
        auto admit = chair.admit({m.admissionFor("frank")});
        QVERIFY(admit.ok());
        MemberKeySchedule& frank = *m.device("frank").schedule;
        QCOMPARE(frank.process(admit->encode()).error().code,
                 std::string("commit.bad_signature")); // not told about the change yet
        frank.trustSuccessor(m.device("bob").identity.publicKey());
        QVERIFY(frank.process(admit->encode()).ok());
        QVERIFY(frank.chairIdentity() == m.device("bob").identity.publicKey());
    }

    void oldChairHasNoKeyForTheNewEpoch()
    {
        Meeting m = meetingWithCoChair();
        auto [chair, takeover] = bobTakesOver(m);
        QVERIFY(!takeover.findWrap(0));
        const std::string oldKey =
            toHex(m.chair().mediaKey(0, MediaContext::Audio)->baseKey.view());
        QVERIFY(toHex(chair.mediaKey(chair.chairIndex(), MediaContext::Audio)->baseKey.view()) !=
                oldKey);
        QCOMPARE(chair.mediaKey(0, MediaContext::Audio).error().code,
                 std::string("keys.unknown_sender"));
    }

    void notAMemberCannotSucceed()
    {
        Meeting m;
        m.knock("bob");
        QCOMPARE(m.device("bob").schedule->succession().error().code,
                 std::string("keys.not_member"));
    }
};

QTEST_APPLESS_MAIN(TestChairChange)
#include "tst_chairchange.moc"
