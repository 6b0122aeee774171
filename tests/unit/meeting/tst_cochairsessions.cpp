// SPDX-License-Identifier: GPL-3.0-or-later
// Co-chairs in the chair and participant sessions (docs/protocol.md §7), through the in-memory
// hub: the chair's delegation, requests the chair carries out, and a takeover from a silent
// chair that every member follows - and that nobody without a delegation can fake.
#include "SessionFixtures.h"
#include "SessionHarness.h"
#include "common/Clock.h"
#include "meeting/Delegation.h"
#include "meeting/MessageOutbox.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;
using testsupport::SessionHarness;

class TestCoChairSessions : public QObject {
    Q_OBJECT

    policy::PolicyDocument m_policy =
        testsupport::policyFrom(testsupport::PolicyFixture::validPolicy());
    FixedClock m_clock{TimePoint(std::chrono::seconds(1795000000))};
    crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();
    int m_claims = 0;

    struct Room {
        std::unique_ptr<ChairSession> chair;
        std::unique_ptr<SessionHarness> hub;
        SessionHarness::Participant& alice() { return hub->participants().at("Alice"); }
        SessionHarness::Participant& bob() { return hub->participants().at("Bob"); }
    };

    static crypto::Ed25519PublicKey keyOf(SessionHarness::Participant& p)
    {
        return p.identity->publicKey();
    }

    QString invite(ChairSession& chair, const char* name)
    {
        return chair.makeInvite(QString::fromLatin1(name), std::nullopt, std::chrono::hours(1))
            .value();
    }

    /// An OFFICIAL-SENSITIVE meeting (invites required) with Alice and Bob in it.
    Room room()
    {
        auto chair = ChairSession::create(
            m_chairKey, m_policy, m_clock,
            testsupport::setup("OFFICIAL-SENSITIVE", "this-computer", QStringLiteral("pinA")));
        Room r{std::move(chair).value(), nullptr};
        r.chair->announce();
        r.hub = std::make_unique<SessionHarness>(*r.chair, QStringLiteral("pinA"));
        r.hub->join("Alice", invite(*r.chair, "Alice"), m_policy, m_clock);
        r.hub->join("Bob", invite(*r.chair, "Bob"), m_policy, m_clock);
        r.hub->pump();
        for (const char* name : {"Alice", "Bob"}) {
            if (!r.chair->admit(keyOf(r.hub->participants().at(name))))
                qFatal("admit failed");
            r.hub->pump();
        }
        return r;
    }

    void makeBobCoChair(Room& r)
    {
        if (!r.chair->delegate(keyOf(r.bob()), true))
            qFatal("delegation failed");
        r.hub->pump();
    }

    /// The chair goes quiet for longer than members wait; everyone notices.
    void chairFallsSilent(Room& r)
    {
        m_clock.advance(std::chrono::seconds(16));
        for (auto& [name, p] : r.hub->participants())
            p.session->tick();
    }

private slots:
    void delegationNamesACoChairEveryoneSees()
    {
        Room r = room();
        makeBobCoChair(r);
        QVERIFY(r.bob().session->isCoChair());
        QVERIFY(!r.alice().session->isCoChair());
        const auto* seen = SessionHarness::last<meeting::ev::CoChair>(r.alice().events);
        QVERIFY(seen);
        QCOMPARE(seen->name, QStringLiteral("Bob"));
        QCOMPARE(seen->you, false);
        QCOMPARE(SessionHarness::last<meeting::ev::CoChair>(r.bob().events)->you, true);
        QVERIFY(r.chair->isCoChair(keyOf(r.bob())));

        // Only members, not observers, not twice; and withdrawing works the same way.
        crypto::Ed25519SigningKey stranger = crypto::Ed25519SigningKey::generate();
        QCOMPARE(r.chair->delegate(stranger.publicKey(), true).error().code,
                 std::string("meeting.not_member"));
        QCOMPARE(r.chair->delegate(keyOf(r.bob()), true).error().code,
                 std::string("meeting.no_change"));
        QVERIFY(r.chair->delegate(keyOf(r.bob()), false).ok());
        r.hub->pump();
        QVERIFY(!r.bob().session->isCoChair());
        QVERIFY(SessionHarness::last<meeting::ev::CoChairRevoked>(r.alice().events));
    }

    void coChairRequestsAreCarriedOutByTheChair()
    {
        Room r = room();
        makeBobCoChair(r);
        QVERIFY(r.bob().session->request({ChairAction::Lock}).ok());
        r.hub->pump();
        const auto* done = SessionHarness::last<meeting::ev::CoChairRequest>(r.hub->chairEvents);
        QVERIFY(done);
        QVERIFY(done->done);
        QVERIFY(done->action == ChairAction::Lock && done->on);
        QVERIFY(r.chair->locked());
        QVERIFY(r.chair->unlock().ok());
        r.hub->pump();

        // Bob sees Carol knock and asks the chair to admit her: she gets in with the key.
        auto& carol = r.hub->join("Carol", invite(*r.chair, "Carol"), m_policy, m_clock);
        r.hub->pump();
        QCOMPARE(SessionHarness::last<meeting::ev::Knock>(r.bob().events)->invite,
                 meeting::InviteMatch::Invited);
        QVERIFY(SessionHarness::last<meeting::ev::Knock>(r.alice().events) == nullptr);
        QCOMPARE(r.bob().session->lobby().size(), size_t(1));
        QVERIFY(r.bob().session->request({ChairAction::Admit, true, keyOf(carol)}).ok());
        r.hub->pump();
        QCOMPARE(carol.session->state(), ParticipantSession::State::Member);
        QCOMPARE(carol.session->keys().currentEpoch(), r.chair->keys().currentEpoch());
        QVERIFY(r.bob().session->lobby().empty());

        // ... and to remove Alice; but not to remove another co-chair.
        QVERIFY(r.bob().session->request({ChairAction::Remove, true, keyOf(r.alice())}).ok());
        r.hub->pump();
        QCOMPARE(r.alice().session->state(), ParticipantSession::State::Removed);
        QVERIFY(r.chair->delegate(keyOf(carol), true).ok());
        r.hub->pump();
        QVERIFY(r.bob().session->request({ChairAction::Remove, true, keyOf(carol)}).ok());
        r.hub->pump();
        QCOMPARE(SessionHarness::last<meeting::ev::CoChairRequest>(r.hub->chairEvents)->code,
                 std::optional<QString>(QStringLiteral("meeting.co_chair_target")));
        QCOMPARE(carol.session->state(), ParticipantSession::State::Member);
    }

    void requestFromSomeoneNotDelegatedIsIgnored()
    {
        Room r = room();
        QCOMPARE(r.alice().session->request({ChairAction::Lock}).error().code,
                 std::string("meeting.not_co_chair"));
        // A modified client sends one anyway: the chair refuses it.
        MessageOutbox forged(*r.alice().identity, r.chair->descriptor().meetingId,
                             m_clock.now() + std::chrono::hours(1));
        forged.post(protocol::MessageType::Request, RequestBody{{ChairAction::Lock}}.encode());
        r.hub->deliverToChair(forged.take().front());
        const auto* refused = SessionHarness::last<meeting::ev::CoChairRequest>(r.hub->chairEvents);
        QVERIFY(!refused->done);
        QCOMPARE(refused->code, std::optional<QString>(QStringLiteral("meeting.not_co_chair")));
        QVERIFY(!r.chair->locked());
    }

    void coChairTakesOverFromASilentChairAndEveryoneFollows()
    {
        Room r = room();
        makeBobCoChair(r);
        const QString carolsInvite = invite(*r.chair, "Carol"); // issued before the chair went
        QCOMPARE(r.bob().session->takeOver().error().code, std::string("meeting.chair_present"));
        chairFallsSilent(r);
        QVERIFY(r.alice().session->chairSilent());
        QCOMPARE(r.alice().session->takeOver().error().code, std::string("meeting.not_co_chair"));

        auto successor = r.bob().session->takeOver();
        QVERIFY2(successor.ok(), successor.ok() ? "" : successor.error().message.c_str());
        std::unique_ptr<ChairSession> bobChair = std::move(successor).value();
        QVERIFY(bobChair->isSuccessor());
        const uint64_t before = r.alice().session->keys().currentEpoch();
        r.hub->replaceChair(*bobChair, QStringLiteral("Bob"));
        r.hub->pump();

        // Alice follows: new epoch from Bob, the old chair out of the roster, codes agree.
        QVERIFY(SessionHarness::last<meeting::ev::ChairChanged>(r.alice().events));
        const auto& keys = r.alice().session->keys();
        QCOMPARE(keys.currentEpoch(), before + 1);
        QCOMPARE(keys.currentEpoch(), bobChair->keys().currentEpoch());
        QVERIFY(keys.roster() == bobChair->roster());
        QVERIFY(!keys.roster().findIdentity(m_chairKey.publicKey()));
        QCOMPARE(QString::fromStdString(*keys.meetingCode()), bobChair->meetingCode());
        QVERIFY(r.alice().session->chair() == bobChair->keys().identity());
        QVERIFY(!r.alice().session->chairSilent());

        // The old chair, back from its silence, is not obeyed.
        QVERIFY(r.chair->muteAll().ok());
        for (const QByteArray& wire : r.chair->outgoing())
            r.hub->deliverToParticipant(r.alice(), wire);
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(r.alice().events)->code,
                 QStringLiteral("envelope.not_chair"));
        QVERIFY(!r.alice().session->muted());

        // Bob runs the meeting: a new chair's controls work; re-signing what the original
        // chair signed does not.
        QVERIFY(bobChair->muteAll().ok());
        r.hub->pump();
        QVERIFY(r.alice().session->muted());
        QCOMPARE(bobChair->makeInvite("Dave", std::nullopt, std::chrono::hours(1)).error().code,
                 std::string("meeting.not_original_chair"));
        QCOMPARE(bobChair->changeMarking(testsupport::mark("OFFICIAL"), true).error().code,
                 std::string("meeting.not_original_chair"));
        QCOMPARE(bobChair->delegate(keyOf(r.alice()), true).error().code,
                 std::string("meeting.not_original_chair"));

        // Carol, invited by the original chair, knocks now: she is shown the succession,
        // trusts Bob's key changes, and is admitted by him.
        auto& carol = r.hub->join("Carol", carolsInvite, m_policy, m_clock);
        r.hub->pump();
        // One shape for the change, whoever learns it: a member from the takeover, a knocker
        // from the succession the hub shows it (the name the original chair signed).
        const auto* toldAlice = SessionHarness::last<meeting::ev::ChairChanged>(r.alice().events);
        const auto* toldCarol = SessionHarness::last<meeting::ev::ChairChanged>(carol.events);
        QVERIFY(toldAlice && toldCarol);
        QCOMPARE(toldAlice->name, QStringLiteral("Bob"));
        QCOMPARE(toldCarol->name, QStringLiteral("Bob"));
        QCOMPARE(toldCarol->fingerprint, toldAlice->fingerprint);
        QCOMPARE(MeetingEvent(*toldCarol).toJson().keys(),
                 MeetingEvent(*toldAlice).toJson().keys());
        QCOMPARE(SessionHarness::last<meeting::ev::Knock>(r.hub->chairEvents)->invite,
                 meeting::InviteMatch::Invited);
        QVERIFY(bobChair->admit(keyOf(carol)).ok());
        r.hub->pump();
        QCOMPARE(carol.session->state(), ParticipantSession::State::Member);
        QCOMPARE(carol.session->keys().currentEpoch(), bobChair->keys().currentEpoch());
        QCOMPARE(r.alice().session->keys().currentEpoch(), bobChair->keys().currentEpoch());

        // And Bob can remove: Alice loses the key.
        QVERIFY(bobChair->remove(keyOf(r.alice()), QStringLiteral("disruptive")).ok());
        r.hub->pump();
        QCOMPARE(r.alice().session->state(), ParticipantSession::State::Removed);
        QCOMPARE(carol.session->keys().currentEpoch(), bobChair->keys().currentEpoch());
    }

    void takeoverWithoutTheChairsDelegationIsRefused()
    {
        Room r = room();
        chairFallsSilent(r);
        // Bob was never delegated; a modified client claims the chair with a delegation Bob
        // signed himself.
        const Delegation self{r.chair->descriptor().meetingId,
                              keyOf(r.bob()),
                              QStringLiteral("Bob"),
                              m_clock.now(),
                              true,
                              1,
                              2};
        MessageOutbox forged(*r.bob().identity, r.chair->descriptor().meetingId,
                             m_clock.now() + std::chrono::hours(1));
        forged.post(
            protocol::MessageType::Takeover,
            TakeoverBody{self.sign(*r.bob().identity).encode(), QByteArray(200, 'c')}.encode());
        const uint64_t epoch = r.alice().session->keys().currentEpoch();
        r.hub->deliverToParticipant(r.alice(), forged.take().front());
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(r.alice().events)->code,
                 QStringLiteral("delegation.not_chair"));
        QVERIFY(r.alice().session->chair() == m_chairKey.publicKey());
        QCOMPARE(r.alice().session->keys().currentEpoch(), epoch);
    }

    /// What a modified client of Bob's sends to claim the chair with `grant`: members must
    /// refuse it before looking at the COMMIT.
    QByteArray bobClaimsTheChair(Room& r, const QByteArray& grant)
    {
        // Numbered above everything Bob sent before, each claim above the last.
        MessageOutbox claim(*r.bob().identity, r.chair->descriptor().meetingId,
                            m_clock.now() + std::chrono::hours(1) +
                                std::chrono::seconds(++m_claims));
        claim.post(protocol::MessageType::Takeover,
                   TakeoverBody{grant, QByteArray(200, 'c')}.encode());
        return claim.take().front();
    }

    /// Records the delegations the chair sends Bob, as Bob's (modified) client would keep them.
    static void keepBobsGrants(Room& r, std::vector<QByteArray>& grants)
    {
        r.hub->tamper = [&grants](protocol::Envelope& e, const QString& to) {
            if (to == QLatin1String("Bob") && e.type == protocol::MessageType::Delegate)
                grants.push_back(BlobBody::decode(e.body)->blob);
            return true;
        };
    }

    void aWithdrawnDelegationGivesNoTakeover()
    {
        Room r = room();
        std::vector<QByteArray> grants;
        keepBobsGrants(r, grants);
        makeBobCoChair(r);
        QVERIFY(r.chair->delegate(keyOf(r.bob()), false).ok());
        r.hub->pump();
        QCOMPARE(grants.size(), size_t(2)); // the grant, then the withdrawal
        chairFallsSilent(r);
        const uint64_t epoch = r.alice().session->keys().currentEpoch();
        r.hub->deliverToParticipant(r.alice(), bobClaimsTheChair(r, grants.front()));
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(r.alice().events)->code,
                 QStringLiteral("delegation.withdrawn"));
        QVERIFY(r.alice().session->chair() == m_chairKey.publicKey());
        QVERIFY(r.alice().session->keys().chairIdentity() == m_chairKey.publicKey());
        QCOMPARE(r.alice().session->keys().currentEpoch(), epoch);

        // A replayed copy of the old grant does not undo the withdrawal either.
        MessageOutbox replay(m_chairKey, r.chair->descriptor().meetingId,
                             m_clock.now() + std::chrono::hours(2));
        replay.post(protocol::MessageType::Delegate, BlobBody{grants.front()}.encode());
        r.hub->deliverToParticipant(r.alice(), replay.take().front());
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(r.alice().events)->code,
                 QStringLiteral("delegation.replayed"));
        r.hub->deliverToParticipant(r.alice(), bobClaimsTheChair(r, grants.front()));
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(r.alice().events)->code,
                 QStringLiteral("delegation.withdrawn"));
    }

    void aDelegationEndsWithTheJoinItWasMadeFor()
    {
        Room r = room();
        std::vector<QByteArray> grants;
        keepBobsGrants(r, grants);
        makeBobCoChair(r);
        // Bob is sent back to the waiting room and let in again: a new join, a new index.
        QVERIFY(r.chair->sendToLobby(keyOf(r.bob()), QStringLiteral("item 3")).ok());
        r.hub->pump();
        QVERIFY(r.chair->admit(keyOf(r.bob())).ok());
        r.hub->pump();
        QCOMPARE(r.bob().session->state(), ParticipantSession::State::Member);
        QVERIFY(!r.chair->isCoChair(keyOf(r.bob())));
        chairFallsSilent(r);
        r.hub->deliverToParticipant(r.alice(), bobClaimsTheChair(r, grants.front()));
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(r.alice().events)->code,
                 QStringLiteral("delegation.stale"));
        QVERIFY(r.alice().session->chair() == m_chairKey.publicKey());
    }

    void newcomersLearnTheCoChairsInForce()
    {
        Room r = room();
        makeBobCoChair(r);
        auto& carol = r.hub->join("Carol", invite(*r.chair, "Carol"), m_policy, m_clock);
        r.hub->pump();
        QVERIFY(r.chair->admit(keyOf(carol)).ok());
        r.hub->pump();
        const auto* told = SessionHarness::last<meeting::ev::CoChair>(carol.events);
        QVERIFY(told);
        QCOMPARE(told->name, QStringLiteral("Bob"));
        // Alice already knew: the repeat is not news to her.
        QCOMPARE(SessionHarness::count<meeting::ev::CoChair>(r.alice().events), 1);

        // Someone admitted after a withdrawal never hears of a grant, so refuses its use.
        QVERIFY(r.chair->delegate(keyOf(r.bob()), false).ok());
        r.hub->pump();
        auto& dave = r.hub->join("Dave", invite(*r.chair, "Dave"), m_policy, m_clock);
        r.hub->pump();
        QVERIFY(r.chair->admit(keyOf(dave)).ok());
        r.hub->pump();
        QVERIFY(!SessionHarness::last<meeting::ev::CoChair>(dave.events));
    }

    void aTakeoverWhileTheChairIsHeardIsRefusedLoudly()
    {
        Room r = room();
        makeBobCoChair(r);
        // Bob's side loses the chair (or Bob's client pretends to); Alice still hears it.
        m_clock.advance(std::chrono::seconds(16));
        r.bob().session->tick();
        r.chair->tick();
        const auto chairTalks = r.chair->outgoing();
        QVERIFY(!chairTalks.empty());
        for (const QByteArray& wire : chairTalks)
            r.hub->deliverToParticipant(r.alice(), wire);
        QVERIFY(!r.alice().session->chairSilent());

        auto successor = r.bob().session->takeOver();
        QVERIFY(successor.ok());
        std::unique_ptr<ChairSession> bobChair = std::move(successor).value();
        const uint64_t epoch = r.alice().session->keys().currentEpoch();
        for (const QByteArray& wire : bobChair->outgoing())
            r.hub->deliverToParticipant(r.alice(), wire);
        const auto* refused = SessionHarness::last<meeting::ev::Warning>(r.alice().events);
        QCOMPARE(refused->code, QStringLiteral("takeover.chair_present"));
        QVERIFY(refused->reason.startsWith(QStringLiteral("REFUSED")));
        QVERIFY(r.alice().session->chair() == m_chairKey.publicKey());
        QCOMPARE(r.alice().session->keys().currentEpoch(), epoch);

        // If the chair then really stays silent, the takeover it kept goes through.
        m_clock.advance(std::chrono::seconds(16));
        const auto events = r.alice().session->tick();
        QVERIFY(SessionHarness::last<meeting::ev::ChairChanged>(events));
        QVERIFY(r.alice().session->chair() == keyOf(r.bob()));
        QCOMPARE(r.alice().session->keys().currentEpoch(), epoch + 1);
    }
};

QTEST_GUILESS_MAIN(TestCoChairSessions)
#include "tst_cochairsessions.moc"
