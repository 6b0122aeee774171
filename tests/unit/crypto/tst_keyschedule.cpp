// SPDX-License-Identifier: GPL-3.0-or-later
// Scenario tests for ChairKeySchedule and MemberKeySchedule: a chair and its members agree on
// every epoch through admits, removals and periodic rekeys; removed members and newcomers get
// nothing outside their time in the meeting; the chair refuses what it must not sign.
#include "KeyScheduleTestKit.h"
#include "crypto/EpochWrap.h"
#include "crypto/WrapKeyCache.h"

#include <QtTest>

#include <set>

using namespace conclave::crypto;
using namespace conclave::crypto::testkit;

namespace {

/// The chair's base keys for every sender and context of the current epoch, as hex.
std::set<std::string> allChairKeys(const ChairKeySchedule& chair)
{
    std::set<std::string> keys;
    for (const RosterEntry& e : chair.roster().entries())
        for (auto ctx : {MediaContext::Audio, MediaContext::Video, MediaContext::Screen})
            keys.insert(toHex(chair.mediaKey(e.index, ctx)->baseKey.view()));
    return keys;
}

std::string errorCode(const conclave::Result<Commit>& r)
{
    return r ? std::string("ok") : r.error().code;
}

} // namespace

class TestKeySchedule : public QObject {
    Q_OBJECT

private slots:
    void startsAtEpochZeroAlone()
    {
        Meeting m;
        ChairKeySchedule& chair = m.chair();
        QCOMPARE(chair.currentEpoch(), uint64_t(0));
        QCOMPARE(chair.roster().size(), size_t(1));
        const RosterEntry& self = chair.roster().entries().front();
        QCOMPARE(self.index, 0u);
        QCOMPARE(self.role, MemberRole::Chair);
        QVERIFY(self.identity == m.chairIdentity().publicKey());
        QVERIFY(self.ephemeral == m.chairEphemeral().publicKey());
        QVERIFY(chair.rosterHash() == chair.roster().hash(m.meetingId(), 0));
        auto own = chair.mediaKey(0, MediaContext::Audio);
        QVERIFY(own.ok());
        QCOMPARE(own->kid, uint64_t(0));
        QCOMPARE(own->baseKey.size(), size_t(32));
        QCOMPARE(chair.mediaKey(1, MediaContext::Audio).error().code,
                 std::string("keys.unknown_sender"));
        // Two meetings never start from the same secret.
        Meeting other;
        QVERIFY(toHex(own->baseKey.view()) !=
                toHex(other.chair().mediaKey(0, MediaContext::Audio)->baseKey.view()));
    }

    void chairAndMembersAgreeThroughAWholeMeeting()
    {
        Meeting m;
        std::set<std::string> seen = allChairKeys(m.chair());
        const auto step = [&](const std::string& failure, uint64_t epoch) {
            QVERIFY2(failure.empty(), failure.c_str());
            QCOMPARE(m.chair().currentEpoch(), epoch);
            const std::string disagreement = m.agreement();
            QVERIFY2(disagreement.empty(), disagreement.c_str());
            // Every epoch's keys are new: nothing repeats across epochs or senders.
            for (const std::string& key : allChairKeys(m.chair()))
                QVERIFY(seen.insert(key).second);
        };
        // Five members join one by one.
        const std::vector<std::string> names = {"alice", "bob", "carol", "dave", "erin"};
        for (size_t i = 0; i < names.size(); ++i) {
            step(m.admit({names[i]}), i + 1);
            QCOMPARE(m.indexOf(names[i]), uint32_t(i + 1));
        }
        QCOMPARE(m.chair().roster().size(), size_t(6));
        // Two removed (one by the chair, one leaving), then the periodic rekey.
        step(m.remove({"bob"}, CommitReason::Removed), 6);
        step(m.remove({"dave"}, CommitReason::Left), 7);
        QCOMPARE(m.device("bob").schedule->state(), MemberKeySchedule::State::Removed);
        QCOMPARE(m.device("dave").schedule->state(), MemberKeySchedule::State::Removed);
        step(m.rekey(CommitReason::Periodic), 8);
        // Two at once, a lock, and bob rejoining on a new device with a new index.
        step(m.admit({"frank", "grace"}), 9);
        QCOMPARE(m.indexOf("frank"), 6u);
        QCOMPARE(m.indexOf("grace"), 7u);
        step(m.rekey(CommitReason::Locked), 10);
        step(m.admit({"bob"}), 11);
        QCOMPARE(m.indexOf("bob"), 8u); // never reused: his old index was 2
        step(m.rekey(CommitReason::Periodic), 12);
        QCOMPARE(m.chair().roster().size(), size_t(7));
        for (const char* name : {"alice", "carol", "erin", "frank", "grace", "bob"})
            QCOMPARE(m.device(name).schedule->currentEpoch(), uint64_t(12));
    }

    void suiteChangesTravelInTheCommit()
    {
        Meeting m(Commit::kSuiteAes256GcmSha512);
        m.knock("alice");
        auto first = m.chair().admit({m.admissionFor("alice")});
        QCOMPARE(first->suite, uint16_t(0x0005));
        QCOMPARE(m.device("alice").schedule->process(first->encode())->suite, uint16_t(0x0005));
        QVERIFY(m.chair().setSuite(Commit::kSuiteChaCha20Poly1305Sha256).ok());
        QCOMPARE(m.chair().setSuite(0x0001).error().code, std::string("keys.bad_suite"));
        auto second = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        QCOMPARE(m.device("alice").schedule->process(second->encode())->suite, uint16_t(0xf001));
        QCOMPARE(m.device("alice").schedule->suite(), uint16_t(0xf001));
    }

    void removedMemberCannotDeriveAnyLaterEpoch()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        // A copy of bob's device that never sees his removal, to try the later COMMITs with.
        Device& bob = m.device("bob");
        MemberKeySchedule shadow(bob.identity.publicKey(), copyOf(bob.ephemeral), m.meetingId(),
                                 m.chairIdentity().publicKey());
        auto admitted = m.chair().roster(); // bob's view before removal
        QVERIFY(admitted.findIdentity(bob.identity.publicKey()));

        const uint32_t bobIndex = m.indexOf("bob");
        const std::vector<uint32_t> drop = {bobIndex};
        auto removal = m.chair().rekey(CommitReason::Removed, *m.chair().roster().without(drop));
        QVERIFY(removal.ok());
        QVERIFY(!removal->findWrap(bobIndex));
        auto result = bob.schedule->process(removal->encode());
        QCOMPARE(result.error().code, std::string("commit.removed"));
        QCOMPARE(bob.schedule->state(), MemberKeySchedule::State::Removed);
        QVERIFY(!bob.schedule->ownIndex());
        QCOMPARE(bob.schedule->mediaKey(bobIndex, MediaContext::Audio).error().code,
                 std::string("keys.removed"));
        QCOMPARE(bob.schedule->epochCode().error().code, std::string("keys.removed"));
        QVERIFY(m.device("alice").schedule->process(removal->encode()).ok());

        // No wrap in the removal opens with bob's key, whatever index he claims.
        auto bobWrapKey =
            WrapKeyCache::deriveWrapKey(bob.ephemeral, m.chairEphemeral().publicKey());
        const epoch_wrap::WrapContext context{m.meetingId(), removal->epoch, removal->rosterHash};
        for (const WrappedInput& w : removal->wraps)
            for (uint32_t index : {w.index, bobIndex})
                QCOMPARE(epoch_wrap::open(*bobWrapKey, context, index, w.wrap).error().code,
                         std::string("commit.unwrap_failed"));

        // Every later COMMIT is refused, both by bob and by a copy that missed the removal.
        m.knock("carol");
        auto later = m.chair().admit({m.admissionFor("carol")});
        QVERIFY(m.device("alice").schedule->process(later->encode()).ok());
        QCOMPARE(bob.schedule->process(later->encode()).error().code, std::string("keys.removed"));
        QCOMPARE(shadow.process(removal->encode()).error().code,
                 std::string("commit.not_admitted"));
        MemberKeySchedule shadow2(bob.identity.publicKey(), copyOf(bob.ephemeral), m.meetingId(),
                                  m.chairIdentity().publicKey());
        QCOMPARE(shadow2.process(later->encode()).error().code, std::string("commit.not_admitted"));
        QVERIFY(m.agreement().empty());
    }

    void removedMemberReplayingOldStateIsSkipped()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob"}).empty());
        Device& bob = m.device("bob");
        // Bob's device keeps a second schedule that processed the same history, then ignores
        // the removal: the next COMMIT skips an epoch and is refused.
        MemberKeySchedule copy(bob.identity.publicKey(), copyOf(bob.ephemeral), m.meetingId(),
                               m.chairIdentity().publicKey());
        auto history = m.chair().rekey(CommitReason::Periodic, m.chair().roster());
        QVERIFY(m.deliver(*history).empty());
        QVERIFY(copy.process(history->encode()).ok());
        const std::vector<uint32_t> drop = {m.indexOf("bob")};
        QVERIFY(m.remove({"bob"}, CommitReason::Removed).empty());
        m.knock("carol");
        auto later = m.chair().admit({m.admissionFor("carol")});
        QCOMPARE(copy.process(later->encode()).error().code, std::string("commit.skipped"));
        QVERIFY(m.deliver(*later).empty());
        QVERIFY(m.agreement().empty());
    }

    void newcomerCannotDeriveAnyEarlierEpoch()
    {
        Meeting m;
        std::vector<Commit> history;
        std::set<std::string> earlierKeys = allChairKeys(m.chair());
        for (const char* name : {"alice", "bob"}) {
            m.knock(name);
            history.push_back(*m.chair().admit({m.admissionFor(name)}));
            QVERIFY(m.deliver(history.back()).empty());
            for (const auto& k : allChairKeys(m.chair()))
                earlierKeys.insert(k);
        }
        history.push_back(*m.chair().rekey(CommitReason::Periodic, m.chair().roster()));
        QVERIFY(m.deliver(history.back()).empty());
        for (const auto& k : allChairKeys(m.chair()))
            earlierKeys.insert(k);

        Device& carol = m.knock("carol");
        // Before admission the old COMMITs do not name carol: she learns nothing from them.
        for (const Commit& old : history)
            QCOMPARE(carol.schedule->process(old.encode()).error().code,
                     std::string("commit.not_admitted"));
        QCOMPARE(carol.schedule->mediaKey(0, MediaContext::Audio).error().code,
                 std::string("keys.not_member"));
        auto join = m.chair().admit({m.admissionFor("carol")});
        QVERIFY(join.ok());
        QCOMPARE(join->wraps.size(), size_t(1));
        QCOMPARE(join->wraps.front().index, 3u);
        QVERIFY(m.deliver(*join).empty());
        QVERIFY(m.agreement().empty());
        // After admission the old COMMITs are replays; none of her keys is an earlier one.
        for (const Commit& old : history)
            QCOMPARE(carol.schedule->process(old.encode()).error().code,
                     std::string("commit.replayed"));
        for (const RosterEntry& e : m.chair().roster().entries())
            for (auto ctx : {MediaContext::Audio, MediaContext::Video, MediaContext::Screen}) {
                auto key = carol.schedule->mediaKey(e.index, ctx);
                QVERIFY(key.ok());
                QVERIFY(earlierKeys.count(toHex(key->baseKey.view())) == 0);
            }
    }

    void memberBeforeAdmission()
    {
        Meeting m;
        Device& alice = m.knock("alice");
        QCOMPARE(alice.schedule->state(), MemberKeySchedule::State::Waiting);
        QVERIFY(!alice.schedule->ownIndex());
        QCOMPARE(alice.schedule->meetingCode().error().code, std::string("keys.not_member"));
        QCOMPARE(alice.schedule->epochCode().error().code, std::string("keys.not_member"));
        QVERIFY(m.admit({"alice"}).empty());
        QCOMPARE(alice.schedule->state(), MemberKeySchedule::State::Member);
        QCOMPARE(*alice.schedule->ownIndex(), 1u);
        QCOMPARE(alice.schedule->roster().size(), size_t(2));
        QCOMPARE(alice.schedule->mediaKey(5, MediaContext::Audio).error().code,
                 std::string("keys.unknown_sender"));
    }

    void chairRefusesWhatItMustNotSign()
    {
        Meeting m;
        m.knock("alice");
        m.knock("bob");
        QCOMPARE(errorCode(m.chair().admit({})), std::string("keys.nothing_to_admit"));

        Admission forged = m.admissionFor("alice");
        forged.announcement.ephemeral = EphemeralKeyPair::generate().publicKey();
        QCOMPARE(errorCode(m.chair().admit({forged})), std::string("keys.bad_announcement"));

        Admission elsewhere = m.admissionFor("alice");
        const auto otherMeeting = MeetingId::random();
        elsewhere.announcement = EphemeralAnnouncement::create(
            m.device("alice").identity, otherMeeting, m.device("alice").ephemeral.publicKey());
        QCOMPARE(errorCode(m.chair().admit({elsewhere})), std::string("keys.wrong_meeting"));

        QCOMPARE(errorCode(m.chair().admit({m.admissionFor("alice", MemberRole::Chair)})),
                 std::string("keys.bad_role"));
        QCOMPARE(errorCode(m.chair().admit({m.admissionFor("alice"), m.admissionFor("alice")})),
                 std::string("roster.duplicate_identity"));
        Admission badName = m.admissionFor("alice");
        badName.name = "Alice\nChair";
        QCOMPARE(errorCode(m.chair().admit({badName})), std::string("roster.bad_name"));

        // A validly signed but unusable (low-order) ephemeral key: nobody is admitted, the
        // epoch and the next index stay where they were.
        const auto mallory = Ed25519SigningKey::generate();
        const Admission lowOrder{
            EphemeralAnnouncement::create(mallory, m.meetingId(), X25519PublicKey{}),
            MemberRole::Participant, "Mallory"};
        QCOMPARE(errorCode(m.chair().admit({m.admissionFor("bob"), lowOrder})),
                 std::string("keys.bad_ephemeral_key"));
        QCOMPARE(m.chair().currentEpoch(), uint64_t(0));
        QCOMPARE(m.chair().roster().size(), size_t(1));

        QVERIFY(m.admit({"alice"}).empty());
        QCOMPARE(m.indexOf("alice"), 1u);
        QCOMPARE(errorCode(m.chair().admit({m.admissionFor("alice")})),
                 std::string("keys.already_member"));

        // Rekeys may drop members and change roles, nothing else.
        const Roster& now = m.chair().roster();
        QCOMPARE(errorCode(m.chair().rekey(CommitReason::Join, now)),
                 std::string("keys.bad_reason"));
        const std::vector<uint32_t> chairOnly = {0};
        QCOMPARE(errorCode(m.chair().rekey(CommitReason::Removed, *now.without(chairOnly))),
                 std::string("keys.bad_roster_change"));
        std::vector<RosterEntry> entries = now.entries();
        entries.push_back({9, MemberRole::Participant, Ed25519SigningKey::generate().publicKey(),
                           EphemeralKeyPair::generate().publicKey(), "ghost"});
        QCOMPARE(errorCode(m.chair().rekey(CommitReason::Periodic, *Roster::create(entries))),
                 std::string("keys.bad_roster_change"));
        entries = now.entries();
        entries[1].name = "Alice (renamed)";
        QCOMPARE(errorCode(m.chair().rekey(CommitReason::Periodic, *Roster::create(entries))),
                 std::string("keys.bad_roster_change"));
        entries = now.entries();
        entries[1].ephemeral = EphemeralKeyPair::generate().publicKey();
        QCOMPARE(errorCode(m.chair().rekey(CommitReason::Periodic, *Roster::create(entries))),
                 std::string("keys.bad_roster_change"));
        QCOMPARE(m.chair().currentEpoch(), uint64_t(1));

        entries = now.entries();
        entries[1].role = MemberRole::CoChair;
        auto promoted = m.chair().rekey(CommitReason::Periodic, *Roster::create(entries));
        QVERIFY(promoted.ok());
        QVERIFY(m.deliver(*promoted).empty());
        QCOMPARE(m.device("alice").schedule->roster().find(1)->role, MemberRole::CoChair);
        QVERIFY(m.agreement().empty());

        QCOMPARE(ChairKeySchedule::start(Ed25519SigningKey::generate(),
                                         EphemeralKeyPair::generate(), m.meetingId(), 0x0001,
                                         "Chair")
                     .error()
                     .code,
                 std::string("keys.bad_suite"));
    }

    void chairRekeyToItselfAlone()
    {
        Meeting m;
        QVERIFY(m.admit({"alice"}).empty());
        const std::vector<uint32_t> alice = {1};
        auto alone = m.chair().rekey(CommitReason::Removed, *m.chair().roster().without(alice));
        QVERIFY(alone.ok());
        QVERIFY(alone->wraps.empty());
        QVERIFY(Commit::decode(alone->encode()).ok());
        QVERIFY(m.deliver(*alone).empty());
        QCOMPARE(m.device("alice").schedule->state(), MemberKeySchedule::State::Removed);
    }
};

QTEST_GUILESS_MAIN(TestKeySchedule)
#include "tst_keyschedule.moc"
