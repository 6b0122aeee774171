// SPDX-License-Identifier: GPL-3.0-or-later
// Catching a member up after its connection dropped, driven through the in-memory hub: a
// member that missed key changes resumes and is resynced; one whose COMMIT was lost is sent it
// again; one whose place was lost knocks again and is readmitted as a new join.
#include "PolicyFixture.h"
#include "SessionHarness.h"
#include "SessionRoom.h"
#include "meeting/SessionSupport.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;
using testsupport::PolicyFixture;
using testsupport::policyFrom;
using testsupport::SessionHarness;

class TestResyncSessions : public QObject {
    Q_OBJECT

    policy::PolicyDocument m_policy = policyFrom(PolicyFixture::validPolicy());
    FixedClock m_clock{TimePoint(std::chrono::seconds(1795000000))};
    crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();

    static crypto::Ed25519PublicKey keyOf(SessionHarness::Participant& p)
    {
        return p.identity->publicKey();
    }
    using Room = testsupport::SessionRoom;
    Room roomWithAliceAndBob()
    {
        return testsupport::roomWithMembers(m_chairKey, m_policy, m_clock, {"Alice", "Bob"});
    }

private slots:
    void aMemberThatMissedKeyChangesIsCaughtUp()
    {
        // Bob's connection is down while the chair locks the meeting (a rekey) and rotates the
        // key: he holds an old epoch, cannot skip to the latest COMMIT, and would decode
        // nothing. Back, his resume brings the chair's resync: the current epoch, the room as
        // it is (locked), and the same keys as everyone.
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        auto& bob = r.hub->participants().at("Bob");
        const uint64_t bobBefore = bob.session->keys().currentEpoch();
        r.hub->tamper = [](protocol::Envelope&, const QString& to) { return to != "Bob"; };
        QVERIFY(r.chair->perform(meeting::ChairCommand{meeting::ChairAction::Lock}).ok());
        r.hub->pump();
        m_clock.advance(std::chrono::minutes(6));
        r.chair->tick();
        r.hub->pump();
        r.hub->tamper = nullptr;
        QVERIFY(r.chair->keys().currentEpoch() > bobBefore + 1);
        QCOMPARE(bob.session->keys().currentEpoch(), bobBefore);
        QVERIFY(!bob.session->locked());

        bob.session->resume(QStringLiteral("pinA"));
        r.hub->pump();
        QCOMPARE(bob.session->keys().currentEpoch(), r.chair->keys().currentEpoch());
        QCOMPARE(bob.session->keys().rosterHash(), r.chair->keys().rosterHash());
        QCOMPARE(*bob.session->keys().epochCode(), r.chair->keys().epochCode());
        QVERIFY(bob.session->locked());
        const auto* mine = SessionHarness::last<meeting::ev::Resynced>(bob.events);
        QVERIFY(mine && mine->you && mine->fromEpoch == bobBefore);
        // Alice was never behind: she got nothing and warned of nothing.
        QCOMPARE(SessionHarness::count<meeting::ev::Resynced>(alice.events), 0);
        QCOMPARE(alice.session->keys().currentEpoch(), r.chair->keys().currentEpoch());
    }

    void aMemberThatNeverAcknowledgedAnEpochIsSentItAgain()
    {
        // A relay drops the COMMIT to Alice alone. The chair notices she has not acknowledged
        // the epoch a few seconds later and sends it to her again, once, and says so.
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        const uint64_t aliceHeld = alice.session->keys().currentEpoch();
        r.hub->tamper = [](protocol::Envelope& e, const QString& to) {
            return !(e.type == protocol::MessageType::Commit && to == "Alice");
        };
        m_clock.advance(std::chrono::minutes(6));
        r.chair->tick(); // a periodic rekey, lost on the way to Alice
        r.hub->pump();
        r.hub->tamper = nullptr;
        QVERIFY(alice.session->keys().currentEpoch() < r.chair->keys().currentEpoch());
        m_clock.advance(std::chrono::seconds(6));
        const meeting::MeetingEvents said = r.chair->tick();
        r.hub->pump();
        QCOMPARE(SessionHarness::count<meeting::ev::Resynced>(said), 1);
        QCOMPARE(SessionHarness::last<meeting::ev::Resynced>(said)->name, QStringLiteral("Alice"));
        // What she held: the last epoch she acknowledged.
        QCOMPARE(SessionHarness::last<meeting::ev::Resynced>(said)->fromEpoch, aliceHeld);
        QCOMPARE(alice.session->keys().currentEpoch(), r.chair->keys().currentEpoch());
        // Once is enough: the next tick sends nothing more.
        m_clock.advance(std::chrono::seconds(6));
        QCOMPARE(SessionHarness::count<meeting::ev::Resynced>(r.chair->tick()), 0);
    }

    void aMemberWhosePlaceWasLostKnocksAgainAndIsReadmitted()
    {
        // The hub gave Bob's place up while his connection was down (away too long, or the hub
        // restarted). Bob starts a new join and knocks again; the chair drops his old key from
        // the roster first (a rekey, as for someone who left), shows him as returning, and
        // admits him as a new join.
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        auto& bob = r.hub->participants().at("Bob");
        const uint64_t before = r.chair->keys().currentEpoch();
        const auto oldKey = bob.session->keys().ephemeralKey();
        bob.inRoom = false;
        bob.session->startOver(Error{"resume.not_member", "away too long"});
        QCOMPARE(bob.session->state(), ParticipantSession::State::Waiting);
        bob.session->knock(QStringLiteral("pinA"));
        r.hub->pump();
        QVERIFY(!r.chair->keys().roster().findIdentity(keyOf(bob)));
        QCOMPARE(r.chair->keys().currentEpoch(), before + 1);
        QCOMPARE(alice.session->keys().currentEpoch(), r.chair->keys().currentEpoch());
        const auto& waiting = r.chair->lobby().at(meeting::support::keyBytes(keyOf(bob)));
        QCOMPARE(waiting.inviteMatch, meeting::InviteMatch::Returning);
        QVERIFY(waiting.keyVerified);
        QVERIFY(!(waiting.announcement.ephemeral == oldKey)); // a new join, a new key
        QVERIFY(r.chair->admit(keyOf(bob)).ok());
        r.hub->pump();
        QCOMPARE(bob.session->state(), ParticipantSession::State::Member);
        QCOMPARE(bob.session->keys().currentEpoch(), r.chair->keys().currentEpoch());
        QCOMPARE(*bob.session->keys().epochCode(), r.chair->keys().epochCode());
    }
};

QTEST_GUILESS_MAIN(TestResyncSessions)
#include "tst_resyncsessions.moc"
