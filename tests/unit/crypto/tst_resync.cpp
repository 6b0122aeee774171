// SPDX-License-Identifier: GPL-3.0-or-later
// The chair's Resync (docs/e2ee.md §3): a member that missed COMMITs takes the current epoch
// from one chair-signed message and agrees with everyone again; the wrap it carries is byte for
// byte the epoch's own wrap for that member (no nonce is used for a second plaintext); a resync
// is never an epoch change, opens only for the member it is for, and a removed member gets none.
#include "KeyScheduleTestKit.h"

#include <QtTest>

using namespace conclave::crypto;
using namespace conclave::crypto::testkit;

namespace {

/// Delivers a COMMIT to every member except `away`, who misses it.
void deliverExcept(Meeting& m, const Commit& commit, const std::string& away)
{
    const Bytes wire = commit.encode();
    for (auto& [name, d] : m.devices())
        if (name != away && d.schedule->state() != MemberKeySchedule::State::Removed)
            QVERIFY2(d.schedule->process(wire).ok(), name.c_str());
}

} // namespace

class TestResync : public QObject {
    Q_OBJECT

private slots:
    void aMemberThatMissedCommitsCatchesUpWithOneResync()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        const uint32_t bob = m.indexOf("bob");
        MemberKeySchedule& bobKeys = *m.device("bob").schedule;
        const uint64_t bobWentAway = bobKeys.currentEpoch();

        // While bob is away: carol joins (an admit bob cannot ratchet), then a rekey.
        m.knock("carol");
        auto admit = m.chair().admit({m.admissionFor("carol")});
        QVERIFY(admit.ok());
        deliverExcept(m, *admit, "bob");
        auto rekey = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        QVERIFY(rekey.ok());
        deliverExcept(m, *rekey, "bob");
        QCOMPARE(bobKeys.currentEpoch(), bobWentAway);
        QVERIFY(!m.agreement().empty()); // bob is behind

        // Skipping ahead with the latest COMMIT is refused, as it must be.
        QCOMPARE(bobKeys.process(rekey->encode()).error().code, std::string("commit.skipped"));

        auto resync = m.chair().resync(bob);
        QVERIFY(resync.ok());
        QCOMPARE(resync->epoch, m.chair().currentEpoch());
        auto caughtUp = bobKeys.resync(resync->encode());
        QVERIFY2(caughtUp.ok(), caughtUp ? "" : caughtUp.error().message.c_str());
        QCOMPARE(caughtUp->epoch, m.chair().currentEpoch());
        QCOMPARE(caughtUp->ownIndex, bob);
        QVERIFY2(m.agreement().empty(), m.agreement().c_str()); // same keys and codes as all

        // The next ordinary COMMIT follows on as usual.
        QVERIFY(m.rekey().empty());
        QVERIFY(m.agreement().empty());

        // Taking the same resync again changes nothing; an older one is refused.
        QCOMPARE(bobKeys.resync(resync->encode()).error().code, std::string("commit.replayed"));
        auto now = m.chair().resync(bob);
        QCOMPARE(bobKeys.resync(now->encode())->epoch, m.chair().currentEpoch());
    }

    void theResyncWrapIsTheEpochsOwnWrapForThatMember()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        auto rekey = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        QVERIFY(rekey.ok());
        const uint32_t bob = m.indexOf("bob");
        auto resync = m.chair().resync(bob);
        QVERIFY(resync.ok());
        QCOMPARE(resync->wraps.size(), size_t(1));
        QCOMPARE(resync->wraps[0].index, bob);
        // Same key, nonce, associated data and input: the same bytes, twice.
        QVERIFY(resync->wraps[0].wrap == rekey->findWrap(bob)->wrap);
        QVERIFY(m.chair().resync(bob)->wraps[0].wrap == resync->wraps[0].wrap);
    }

    void aResyncIsNeverAnEpochChangeNorTheOtherWayRound()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        MemberKeySchedule& bob = *m.device("bob").schedule;
        auto resync = m.chair().resync(m.indexOf("bob"));
        QCOMPARE(bob.process(resync->encode()).error().code,
                 std::string("commit.not_an_epoch_change"));
        auto rekey = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        QCOMPARE(bob.resync(rekey->encode()).error().code, std::string("commit.not_a_resync"));
    }

    void aResyncOpensOnlyForTheMemberItIsFor()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        // alice and bob both miss a rekey; bob's resync does not help alice.
        auto rekey = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        QVERIFY(rekey.ok());
        auto forBob = m.chair().resync(m.indexOf("bob"));
        QCOMPARE(m.device("alice").schedule->resync(forBob->encode()).error().code,
                 std::string("commit.missing_wrap"));
        QVERIFY(m.device("bob").schedule->resync(forBob->encode()).ok());
    }

    void aRemovedMemberGetsNoResyncAndAnOldOneDoesNotBringItBack()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        const uint32_t bob = m.indexOf("bob");
        auto before = m.chair().resync(bob);
        QVERIFY(before.ok());
        QVERIFY(m.remove({"bob"}, CommitReason::Removed).empty());
        QCOMPARE(m.chair().resync(bob).error().code, std::string("keys.unknown_member"));
        QCOMPARE(m.chair().resync(m.chair().chairIndex()).error().code,
                 std::string("keys.unknown_member"));
        QCOMPARE(m.device("bob").schedule->resync(before->encode()).error().code,
                 std::string("keys.removed"));
    }

    void aResyncFromAnotherKeyOrForAnotherDescriptorIsRefused()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        auto rekey = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        QVERIFY(rekey.ok());
        auto resync = m.chair().resync(m.indexOf("bob"));
        Commit forged = *resync;
        forged.sign(Ed25519SigningKey::generate());
        MemberKeySchedule& bob = *m.device("bob").schedule;
        QCOMPARE(bob.resync(forged.encode()).error().code, std::string("commit.bad_signature"));

        DescriptorHash other{};
        other.fill(7);
        bob.setDescriptorHash(other);
        QCOMPARE(bob.resync(resync->encode()).error().code,
                 std::string("commit.descriptor_mismatch"));
    }

    void aResyncDecodesStrictly()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        auto resync = m.chair().resync(m.indexOf("bob"));
        const Bytes wire = resync->encode();
        auto decoded = Commit::decode(wire);
        QVERIFY(decoded.ok());
        QVERIFY(decoded->encode() == wire);
        QCOMPARE(decoded->nextIndex, resync->nextIndex);

        Bytes cut(wire.begin(), wire.end() - 65); // the next index half gone
        QCOMPARE(Commit::decode(cut).error().code, std::string("commit.malformed"));
        Commit low = *resync;
        low.nextIndex = low.roster.entries().back().index;
        QCOMPARE(low.checkForm().error().code, std::string("commit.malformed"));
        Commit two = *resync;
        two.wraps.push_back({two.wraps[0].index + 1, two.wraps[0].wrap});
        QCOMPARE(two.checkForm().error().code, std::string("commit.malformed"));
        Commit wrongReason = *resync;
        wrongReason.reason = CommitReason::Periodic;
        QCOMPARE(wrongReason.checkForm().error().code, std::string("commit.malformed"));
    }
};

QTEST_GUILESS_MAIN(TestResync)
#include "tst_resync.moc"
