// SPDX-License-Identifier: GPL-3.0-or-later
// What a member refuses (docs/e2ee.md §3, "COMMIT"): tampering with any byte, replays and
// skipped epochs, signers other than the chair, other meetings, rosters that leave out or alter
// the member's own entry, and forks: two rosters for one epoch never share keys.
#include "KeyScheduleTestKit.h"
#include "crypto/EpochSecret.h"
#include "crypto/EpochWrap.h"
#include "crypto/WrapKeyCache.h"

#include <QtTest>

#include <functional>

using namespace conclave::crypto;
using namespace conclave::crypto::testkit;

namespace {

std::string codeOf(const conclave::Result<EpochChange>& r)
{
    return r ? std::string("ok") : r.error().code;
}

/// Re-signs a changed COMMIT with the chair key, recomputing the roster hash: what a forked or
/// buggy chair device could send. Only the member's own checks can catch it.
Commit resigned(Commit c, const Meeting& m,
                const std::function<void(std::vector<RosterEntry>&)>& change)
{
    std::vector<RosterEntry> entries = c.roster.entries();
    change(entries);
    c.roster = std::move(Roster::create(std::move(entries))).value();
    c.rosterHash = c.roster.hash(c.meetingId, c.epoch);
    c.sign(m.chairIdentity());
    return c;
}

std::string mediaKeyHex(const MemberKeySchedule& s, uint32_t index)
{
    return toHex(s.mediaKey(index, MediaContext::Video)->baseKey.view());
}

} // namespace

class TestMemberChecks : public QObject {
    Q_OBJECT

private slots:
    void tamperingWithAnyByteIsRefused()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        m.knock("carol");
        for (int round = 0; round < 2; ++round) {
            auto commit = round == 0 ? m.chair().admit({m.admissionFor("carol")})
                                     : m.chair().rekey(CommitReason::Periodic, m.chair().roster());
            QVERIFY(commit.ok());
            const Bytes wire = commit->encode();
            MemberKeySchedule& alice = *m.device("alice").schedule;
            const uint64_t before = alice.currentEpoch();
            for (size_t i = 0; i < wire.size(); ++i) {
                Bytes bad = wire;
                bad[i] ^= uint8_t(1u << (i % 8));
                const auto result = alice.process(bad);
                QVERIFY2(!result.ok(), ("byte " + std::to_string(i)).c_str());
                QCOMPARE(alice.currentEpoch(), before);
            }
            // The untouched COMMIT still works: the refusals changed nothing.
            QVERIFY(m.deliver(*commit).empty());
            QVERIFY(m.agreement().empty());
        }
    }

    void replayedAndSkippedCommitsAreRefused()
    {
        Meeting m;
        QVERIFY(m.admit({"alice"}).empty());
        m.knock("bob");
        MemberKeySchedule& alice = *m.device("alice").schedule;
        const Bytes e2 = m.chair().admit({m.admissionFor("bob")})->encode();
        const Bytes e3 = m.chair().rekey(CommitReason::Periodic, m.chair().roster())->encode();
        const Bytes e4 = m.chair().rekey(CommitReason::Locked, m.chair().roster())->encode();
        QCOMPARE(codeOf(alice.process(e3)), std::string("commit.skipped"));
        QCOMPARE(codeOf(alice.process(e4)), std::string("commit.skipped"));
        QCOMPARE(codeOf(alice.process(e2)), std::string("ok"));
        QCOMPARE(codeOf(alice.process(e2)), std::string("commit.replayed"));
        QCOMPARE(codeOf(alice.process(e3)), std::string("ok"));
        QCOMPARE(codeOf(alice.process(e2)), std::string("commit.replayed"));
        QCOMPARE(codeOf(alice.process(e3)), std::string("commit.replayed"));
        QCOMPARE(codeOf(alice.process(e4)), std::string("ok"));
        QCOMPARE(alice.currentEpoch(), uint64_t(4));
        // Bob joined at epoch 2: an older admit is not his, a later one skips.
        MemberKeySchedule& bob = *m.device("bob").schedule;
        QCOMPARE(codeOf(bob.process(e3)), std::string("ok")); // his first COMMIT may be any epoch
        QCOMPARE(codeOf(bob.process(e2)), std::string("commit.replayed"));
    }

    void onlyTheTrustedChairMaySign()
    {
        Meeting m;
        QVERIFY(m.admit({"alice"}).empty());
        m.knock("bob");
        auto commit = m.chair().admit({m.admissionFor("bob")});
        MemberKeySchedule& alice = *m.device("alice").schedule;

        Commit byMember = *commit;
        byMember.sign(m.device("alice").identity); // a member, not the chair
        QCOMPARE(codeOf(alice.process(byMember.encode())), std::string("commit.bad_signature"));
        Commit byStranger = *commit;
        byStranger.sign(Ed25519SigningKey::generate());
        QCOMPARE(codeOf(alice.process(byStranger.encode())), std::string("commit.bad_signature"));
        Commit unsigned_ = *commit;
        unsigned_.signature = {};
        QCOMPARE(codeOf(alice.process(unsigned_)), std::string("commit.bad_signature"));
        // A member's schedule that trusts another chair refuses the real one.
        MemberKeySchedule misled(m.device("bob").identity.publicKey(),
                                 copyOf(m.device("bob").ephemeral), m.meetingId(),
                                 Ed25519SigningKey::generate().publicKey());
        QCOMPARE(codeOf(misled.process(commit->encode())), std::string("commit.bad_signature"));
        QVERIFY(m.deliver(*commit).empty());
    }

    void commitsOfAnotherMeetingAreRefused()
    {
        // The same chair identity runs two meetings; a COMMIT of one is no good in the other.
        Meeting m;
        QVERIFY(m.admit({"alice"}).empty());
        Device& alice = m.device("alice");
        const MeetingId otherId = MeetingId::random();
        auto other =
            ChairKeySchedule::start(copyOf(m.chairIdentity()), EphemeralKeyPair::generate(),
                                    otherId, Commit::kSuiteChaCha20Poly1305Sha256, "Chair");
        const auto bob = Ed25519SigningKey::generate();
        const auto bobEphemeral = EphemeralKeyPair::generate();
        (void)other->admit({{EphemeralAnnouncement::create(bob, otherId, bobEphemeral.publicKey()),
                             MemberRole::Participant, "bob"}});
        auto foreign = other->rekey(CommitReason::Periodic, other->roster()); // epoch 2
        QVERIFY(foreign.ok());
        QCOMPARE(codeOf(alice.schedule->process(foreign->encode())),
                 std::string("commit.wrong_meeting"));
    }

    void rosterHashMustMatch()
    {
        Meeting m;
        QVERIFY(m.admit({"alice"}).empty());
        auto commit = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        Commit wrongHash = *commit;
        wrongHash.rosterHash[0] ^= 1;
        wrongHash.sign(m.chairIdentity());
        QCOMPARE(codeOf(m.device("alice").schedule->process(wrongHash)),
                 std::string("commit.roster_mismatch"));
        // The hash of the previous epoch (same roster) is not this epoch's.
        Commit staleHash = *commit;
        staleHash.rosterHash = m.chair().roster().hash(m.meetingId(), commit->epoch - 1);
        staleHash.sign(m.chairIdentity());
        QCOMPARE(codeOf(m.device("alice").schedule->process(staleHash)),
                 std::string("commit.roster_mismatch"));
        QVERIFY(m.deliver(*commit).empty());
    }

    void ownEntryMustBePresentAndUnchanged()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        auto honest = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        MemberKeySchedule& alice = *m.device("alice").schedule;
        const uint32_t a = m.indexOf("alice");

        const Commit otherKey = resigned(*honest, m, [&](auto& entries) {
            entries[a].ephemeral = EphemeralKeyPair::generate().publicKey();
        });
        QCOMPARE(codeOf(alice.process(otherKey)), std::string("commit.own_entry_mismatch"));

        // Alice's entry moved to a new index (the wrap moves along, so only the index differs).
        Commit moved = *honest;
        std::vector<RosterEntry> entries = moved.roster.entries();
        RosterEntry aliceEntry = entries[a];
        entries.erase(entries.begin() + a);
        aliceEntry.index = 50;
        entries.push_back(aliceEntry);
        moved.roster = *Roster::create(entries);
        moved.rosterHash = moved.roster.hash(moved.meetingId, moved.epoch);
        moved.wraps.erase(moved.wraps.begin()); // alice's old wrap (index 1)
        moved.wraps.push_back({50, honest->findWrap(a)->wrap});
        moved.sign(m.chairIdentity());
        QVERIFY(moved.checkForm().ok());
        QCOMPARE(codeOf(alice.process(moved)), std::string("commit.own_entry_mismatch"));

        // Someone else listed with alice's ephemeral key, alice herself missing.
        Commit stolen = *honest;
        entries = stolen.roster.entries();
        entries[a].identity = Ed25519SigningKey::generate().publicKey();
        stolen.roster = *Roster::create(entries);
        stolen.rosterHash = stolen.roster.hash(stolen.meetingId, stolen.epoch);
        stolen.sign(m.chairIdentity());
        QCOMPARE(codeOf(alice.process(stolen)), std::string("commit.own_entry_mismatch"));
        QCOMPARE(alice.state(), MemberKeySchedule::State::Member);

        // The roster's chair entry must carry the identity that signed.
        const Commit otherChair = resigned(*honest, m, [&](auto& e) {
            e[0].identity = Ed25519SigningKey::generate().publicKey();
        });
        QCOMPARE(codeOf(alice.process(otherChair)), std::string("commit.bad_chair_entry"));

        QCOMPARE(alice.currentEpoch(), uint64_t(1));
        QVERIFY(m.deliver(*honest).empty());
        QVERIFY(m.agreement().empty());
    }

    void wrapsMustBeForThisDevice()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        auto honest = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        MemberKeySchedule& alice = *m.device("alice").schedule;
        Commit swapped = *honest;
        std::swap(swapped.wraps[0].wrap, swapped.wraps[1].wrap);
        swapped.sign(m.chairIdentity());
        QCOMPARE(codeOf(alice.process(swapped)), std::string("commit.unwrap_failed"));
        Commit flipped = *honest;
        flipped.wraps[0].wrap[47] ^= 1;
        flipped.sign(m.chairIdentity());
        QCOMPARE(codeOf(alice.process(flipped)), std::string("commit.unwrap_failed"));

        // A newcomer named in an admit without a wrap of its own has nothing to derive from.
        Device& carol = m.knock("carol");
        Device& dave = m.knock("dave");
        auto admit = m.chair().admit({m.admissionFor("carol"), m.admissionFor("dave")});
        Commit noWrap = *admit;
        noWrap.wraps.pop_back(); // dave's
        noWrap.sign(m.chairIdentity());
        QCOMPARE(codeOf(dave.schedule->process(noWrap)), std::string("commit.missing_wrap"));
        QCOMPARE(codeOf(dave.schedule->process(*admit)), std::string("ok"));
        QCOMPARE(codeOf(carol.schedule->process(*admit)), std::string("ok"));
    }

    void forkedRostersNeverShareKeys()
    {
        // The chair's device signs two rosters for one epoch, one with a hidden extra member.
        // Members shown different rosters end up with different keys and epoch codes, both on
        // a ratchet (admit) and on a fresh secret (rekey).
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        MemberKeySchedule& alice = *m.device("alice").schedule;
        MemberKeySchedule& bob = *m.device("bob").schedule;
        const RosterEntry ghost{40, MemberRole::Observer, Ed25519SigningKey::generate().publicKey(),
                                EphemeralKeyPair::generate().publicKey(), "ghost"};

        m.knock("carol");
        auto honest = m.chair().admit({m.admissionFor("carol")});
        Commit forked = resigned(*honest, m, [&](auto& e) { e.push_back(ghost); });
        forked.wraps.push_back({40, {}});
        forked.sign(m.chairIdentity());
        QCOMPARE(codeOf(alice.process(*honest)), std::string("ok"));
        QCOMPARE(codeOf(bob.process(forked)), std::string("ok"));
        QVERIFY(alice.rosterHash() != bob.rosterHash());
        QVERIFY(*alice.epochCode() != *bob.epochCode());
        for (uint32_t sender : {0u, 1u, 2u, 3u})
            QVERIFY(mediaKeyHex(alice, sender) != mediaKeyHex(bob, sender));

        // A rekey: the same fresh input wrapped under two rosters still gives two secrets.
        Meeting r;
        QVERIFY(r.admit({"alice", "bob"}).empty());
        const SecureBuffer input = epoch_secret::freshInput();
        const auto commitFor = [&](const Roster& roster) {
            Commit c;
            c.meetingId = r.meetingId();
            c.epoch = 2;
            c.kind = CommitKind::Rekey;
            c.reason = CommitReason::Periodic;
            c.roster = roster;
            c.rosterHash = roster.hash(c.meetingId, c.epoch);
            for (const RosterEntry& e : roster.entries()) {
                if (e.index == 0)
                    continue;
                auto key = WrapKeyCache::deriveWrapKey(r.chairEphemeral(), e.ephemeral);
                c.wraps.push_back(
                    {e.index,
                     epoch_wrap::seal(*key, {c.meetingId, c.epoch, c.rosterHash}, e.index, input)});
            }
            c.sign(r.chairIdentity());
            return c;
        };
        std::vector<RosterEntry> withGhost = r.chair().roster().entries();
        withGhost.push_back(ghost);
        const Commit plain = commitFor(r.chair().roster());
        const Commit ghosted = commitFor(*Roster::create(withGhost));
        MemberKeySchedule& ra = *r.device("alice").schedule;
        MemberKeySchedule& rb = *r.device("bob").schedule;
        QCOMPARE(codeOf(ra.process(plain)), std::string("ok"));
        QCOMPARE(codeOf(rb.process(ghosted)), std::string("ok"));
        QVERIFY(*ra.epochCode() != *rb.epochCode());
        for (uint32_t sender : {0u, 1u, 2u})
            QVERIFY(mediaKeyHex(ra, sender) != mediaKeyHex(rb, sender));
        // And a member who saw the ghosted roster cannot read the honest members' media.
        QCOMPARE(rb.mediaKey(40, MediaContext::Audio).ok(), true);
        QCOMPARE(ra.mediaKey(40, MediaContext::Audio).error().code,
                 std::string("keys.unknown_sender"));
    }
};

QTEST_GUILESS_MAIN(TestMemberChecks)
#include "tst_memberchecks.moc"
