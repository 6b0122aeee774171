// SPDX-License-Identifier: GPL-3.0-or-later
// Chair and participant sessions driven through an in-memory hub (SessionHarness), including
// a hub that forges, alters, replays and drops traffic.
#include "PolicyFixture.h"
#include "SessionFixtures.h"
#include "SessionHarness.h"
#include "SessionRoom.h"
#include "classification/MarkingParser.h"
#include "common/Clock.h"
#include "meeting/ChatMessage.h"
#include "meeting/SessionSupport.h"
#include "policy/PolicyParser.h"

#include <QJsonArray>
#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;
using testsupport::kDeptHubPin;
using testsupport::kSecretHubPin;
using testsupport::mark;
using testsupport::PolicyFixture;
using testsupport::policyFrom;
using testsupport::SessionHarness;
using testsupport::setup;

namespace {

/// Remembers contacts in memory, as the device database would.
class MemoryContactBook final : public ContactBook {
public:
    QString status(const QString& name, const crypto::Ed25519PublicKey& identity) override
    {
        for (const auto& [n, k] : m_known)
            if (k == identity)
                return n == name ? QStringLiteral("known") : QStringLiteral("renamed");
        for (const auto& [n, k] : m_known)
            if (n == name)
                return QStringLiteral("key_changed");
        return QStringLiteral("new");
    }
    void remember(const QString& name, const crypto::Ed25519PublicKey& identity) override
    {
        m_known.emplace_back(name, identity);
    }

private:
    std::vector<std::pair<QString, crypto::Ed25519PublicKey>> m_known;
};

} // namespace

class TestMeetingSessions : public QObject {
    Q_OBJECT

    policy::PolicyDocument m_policy = policyFrom(PolicyFixture::validPolicy());
    FixedClock m_clock{TimePoint(std::chrono::seconds(1795000000))};
    crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();

    std::unique_ptr<ChairSession> startChair(const char* marking = "OFFICIAL-SENSITIVE",
                                             const char* backend = "this-computer",
                                             const QString& pin = QStringLiteral("pinA"))
    {
        auto chair =
            ChairSession::create(m_chairKey, m_policy, m_clock, setup(marking, backend, pin));
        if (!chair)
            qFatal("chair did not start: %s", chair.error().message.c_str());
        (*chair)->announce();
        return std::move(chair).value();
    }

    QString invite(ChairSession& chair, const char* name)
    {
        return chair.makeInvite(QString::fromLatin1(name), std::nullopt, std::chrono::hours(1))
            .value();
    }

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
    void invitedKnockAdmitAndAgree()
    {
        auto chair = startChair();
        SessionHarness hub(*chair, QStringLiteral("pinA"));
        auto& alice = hub.join("Alice", invite(*chair, "Alice"), m_policy, m_clock);
        hub.pump();
        const auto* knock = SessionHarness::last<meeting::ev::Knock>(hub.chairEvents);
        QVERIFY(knock);
        QCOMPARE(knock->invite, meeting::InviteMatch::Invited);
        QCOMPARE(knock->name, QStringLiteral("Alice"));
        QCOMPARE(alice.session->state(), ParticipantSession::State::Waiting);
        QVERIFY(!alice.session->keys().chatKey().ok()); // waiting: no key, no roster
        QCOMPARE(alice.session->keys().roster().size(), size_t{0});
        const auto* lobby = SessionHarness::last<meeting::ev::Lobby>(alice.events);
        QVERIFY(lobby);
        QCOMPARE(lobby->marking, QStringLiteral("OFFICIAL-SENSITIVE"));
        QCOMPARE(lobby->meetingCode, chair->meetingCode());

        QVERIFY(chair->admit(keyOf(alice)).ok());
        hub.pump();
        QCOMPARE(alice.session->state(), ParticipantSession::State::Member);
        QCOMPARE(alice.session->keys().currentEpoch(), chair->keys().currentEpoch());
        QVERIFY(alice.session->keys().roster() == chair->roster());
        QCOMPARE(QString::fromStdString(*alice.session->keys().epochCode()),
                 QString::fromStdString(chair->keys().epochCode()));
        QCOMPARE(QString::fromStdString(*alice.session->keys().meetingCode()),
                 chair->meetingCode());
        QVERIFY(chair->lobby().empty());
    }

    void invitesAreRequiredSingleUseAndExpire()
    {
        auto chair = startChair(); // OFFICIAL-SENSITIVE: the policy requires per-person invites
        QVERIFY(chair->descriptor().options.invitesRequired);
        QCOMPARE(chair->makeMeetingLink(std::chrono::hours(1)).error().code,
                 std::string("meeting.invites_required"));
        SessionHarness hub(*chair, QStringLiteral("pinA"));
        const QString aliceLink = invite(*chair, "Alice");
        auto& alice = hub.join("Alice", aliceLink, m_policy, m_clock);
        hub.pump();
        QVERIFY(chair->admit(keyOf(alice)).ok());
        hub.pump();

        // Mallory reuses Alice's invite: the chair sees it is spent and cannot admit her.
        auto& mallory = hub.join("Mallory", aliceLink, m_policy, m_clock);
        hub.pump();
        const auto* knock = SessionHarness::last<meeting::ev::Knock>(hub.chairEvents);
        QCOMPARE(knock->invite, meeting::InviteMatch::InviteInvalid);
        QVERIFY(knock->inviteProblem.contains("already been used"));
        auto refused = chair->admit(keyOf(mallory));
        QCOMPARE(refused.error().code, std::string("meeting.invite_required"));
        QCOMPARE(mallory.session->state(), ParticipantSession::State::Waiting);

        // An expired invite is refused before anything is sent.
        const QString shortLived =
            chair->makeInvite("Carol", std::nullopt, std::chrono::seconds(60)).value();
        m_clock.advance(std::chrono::seconds(120));
        QCOMPARE(JoinTarget::fromLink(shortLived, m_clock.now()).error().code,
                 std::string("invite.expired"));
    }

    void uninvitedKnockersWaitWhereOpenKnockingIsAllowed()
    {
        auto chair = startChair("OFFICIAL"); // the policy allows open knocking for OFFICIAL
        auto link = chair->makeMeetingLink(std::chrono::hours(1));
        QVERIFY2(link.ok(), link.ok() ? "" : link.error().message.c_str());
        SessionHarness hub(*chair, QStringLiteral("pinA"));
        auto& walkIn = hub.join("Walk-in", *link, m_policy, m_clock);
        hub.pump();
        QCOMPARE(SessionHarness::last<meeting::ev::Knock>(hub.chairEvents)->invite,
                 meeting::InviteMatch::Uninvited);
        QCOMPARE(walkIn.session->state(), ParticipantSession::State::Waiting);
        QVERIFY(!walkIn.session->keys().chatKey().ok());
        QVERIFY(chair->admit(keyOf(walkIn)).ok());
        hub.pump();
        QCOMPARE(walkIn.session->state(), ParticipantSession::State::Member);
    }

    void deniedTwiceIsBlocked()
    {
        auto chair = startChair("OFFICIAL");
        SessionHarness hub(*chair, QStringLiteral("pinA"));
        const QString link = *chair->makeMeetingLink(std::chrono::hours(1));
        auto& pest = hub.join("Pest", link, m_policy, m_clock);
        hub.pump();
        QVERIFY(chair->deny(keyOf(pest), "not expected").ok());
        hub.pump();
        QCOMPARE(pest.session->state(), ParticipantSession::State::Denied);
        QCOMPARE(pest.session->endReason()->category, ErrorCategory::DeniedOrRemoved);
        // Knocks again with the same identity, from a restarted client.
        m_clock.advance(std::chrono::seconds(1));
        auto target = JoinTarget::fromLink(link, m_clock.now()).value();
        pest.session =
            std::make_unique<ParticipantSession>(*pest.identity, m_policy, m_clock, target, "Pest");
        pest.session->knock(QStringLiteral("pinA"));
        hub.pump();
        auto second = chair->deny(keyOf(pest), "still not expected");
        QVERIFY(second.ok());
        QCOMPARE(SessionHarness::count<meeting::ev::Blocked>(*second), 1);
        // A third knock never reaches the lobby.
        m_clock.advance(std::chrono::seconds(1));
        pest.session =
            std::make_unique<ParticipantSession>(*pest.identity, m_policy, m_clock, target, "Pest");
        pest.session->knock(QStringLiteral("pinA"));
        const int knocksBefore = SessionHarness::count<meeting::ev::Knock>(hub.chairEvents);
        hub.pump();
        QCOMPARE(SessionHarness::count<meeting::ev::Knock>(hub.chairEvents), knocksBefore);
        QVERIFY(chair->lobby().empty());
    }

    void removalRekeysAndBans()
    {
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        auto& bob = r.hub->participants().at("Bob");
        const uint64_t before = alice.session->keys().currentEpoch();
        QVERIFY(r.chair->remove(keyOf(bob), "disruption").ok());
        r.hub->pump();
        QCOMPARE(bob.session->state(), ParticipantSession::State::Removed);
        QCOMPARE(bob.session->endReason()->category, ErrorCategory::DeniedOrRemoved);
        QCOMPARE(alice.session->keys().currentEpoch(), before + 1);
        QCOMPARE(bob.session->keys().currentEpoch(), before); // never saw the new epoch
        QVERIFY(!alice.session->keys().roster().findIdentity(keyOf(bob)));

        // A hub that keeps feeding Bob the room's chat gives him nothing he can read.
        QVERIFY(r.chair->sendChat("after the removal").ok());
        for (const QByteArray& wire : r.chair->outgoing()) {
            r.hub->deliverToParticipant(alice, wire);
            r.hub->deliverToParticipant(bob, wire);
        }
        QCOMPARE(SessionHarness::last<meeting::ev::Chat>(alice.events)->text,
                 QStringLiteral("after the removal"));
        QCOMPARE(SessionHarness::count<meeting::ev::Chat>(bob.events), 0);

        // Bob's identity cannot come back.
        m_clock.advance(std::chrono::seconds(1));
        auto target = JoinTarget::fromLink(invite(*r.chair, "Bob"), m_clock.now()).value();
        bob.session =
            std::make_unique<ParticipantSession>(*bob.identity, m_policy, m_clock, target, "Bob");
        bob.session->knock(QStringLiteral("pinA"));
        r.hub->pump();
        QVERIFY(r.chair->lobby().empty());
    }

    void sentToTheLobbyCanBeAdmittedAgain()
    {
        Room r = roomWithAliceAndBob(); // invites are required in this meeting
        QVERIFY(r.chair->descriptor().options.invitesRequired);
        auto& alice = r.hub->participants().at("Alice");
        auto& bob = r.hub->participants().at("Bob");
        const uint64_t before = alice.session->keys().currentEpoch();
        const auto oldEphemeral = bob.session->keys().ephemeralKey();
        auto moved = r.chair->sendToLobby(keyOf(bob), "wait outside for item 3");
        QVERIFY(moved.ok());
        QCOMPARE(SessionHarness::count<meeting::ev::SentToLobby>(*moved), 1);
        QVERIFY(std::any_of(moved->begin(), moved->end(), [](const MeetingEvent& e) {
            return e.is<meeting::ev::SentToLobby>() && e.audited();
        }));
        r.hub->pump();

        QCOMPARE(bob.session->state(), ParticipantSession::State::Waiting);
        QCOMPARE(SessionHarness::count<meeting::ev::SentToLobby>(bob.events), 1);
        QVERIFY(!bob.session->keys().chatKey().ok());
        QVERIFY(!(bob.session->keys().ephemeralKey() == oldEphemeral)); // a new join, a new key
        QCOMPARE(alice.session->keys().currentEpoch(), before + 1);
        QCOMPARE(r.chair->keys().currentEpoch(), before + 1);
        QVERIFY(!alice.session->keys().roster().findIdentity(keyOf(bob)));
        QVERIFY(!r.chair->roster().findIdentity(keyOf(bob)));

        // Chat after the move, handed to Bob anyway, opens nothing for him.
        const int bobChats = SessionHarness::count<meeting::ev::Chat>(bob.events);
        QVERIFY(r.chair->sendChat("item 3, without Bob").ok());
        for (const QByteArray& wire : r.chair->outgoing()) {
            r.hub->deliverToParticipant(alice, wire);
            r.hub->deliverToParticipant(bob, wire);
        }
        QCOMPARE(SessionHarness::last<meeting::ev::Chat>(alice.events)->text,
                 QStringLiteral("item 3, without Bob"));
        QCOMPARE(SessionHarness::count<meeting::ev::Chat>(bob.events), bobChats);

        // Bob knocked again by himself (same, spent invite): the chair sees a returning member.
        const auto* knock = SessionHarness::last<meeting::ev::Knock>(r.hub->chairEvents);
        QVERIFY(knock);
        QCOMPARE(knock->invite, meeting::InviteMatch::Returning);
        QCOMPARE(knock->name, QStringLiteral("Bob"));
        QVERIFY(r.chair->lobby().count(
            QByteArray(reinterpret_cast<const char*>(keyOf(bob).bytes.data()), 32)));

        // ... and can admit him again although his invite is spent; he was never banned.
        QVERIFY(r.chair->admit(keyOf(bob)).ok());
        r.hub->pump();
        QCOMPARE(bob.session->state(), ParticipantSession::State::Member);
        QCOMPARE(bob.session->keys().currentEpoch(), r.chair->keys().currentEpoch());
        QCOMPARE(alice.session->keys().currentEpoch(), r.chair->keys().currentEpoch());
        QVERIFY(bob.session->keys().roster() == r.chair->roster());
        QVERIFY(bob.session->sendChat("back in").ok());
        r.hub->pump();
        QCOMPARE(SessionHarness::last<meeting::ev::Chat>(alice.events)->text,
                 QStringLiteral("back in"));
    }

    void onlyTheChairHasAuthority()
    {
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        auto& bob = r.hub->participants().at("Bob");
        // Alice signs a "mute all" herself and the hub forwards it.
        const auto forged = protocol::Envelope::sign(
            protocol::MessageType::Control, r.chair->descriptor().meetingId, 99,
            ControlBody{ControlAction::MuteAll, std::nullopt}.encode(), *alice.identity);
        r.hub->deliverToParticipant(bob, forged.encode());
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(bob.events)->code,
                 QStringLiteral("envelope.not_chair"));
        QVERIFY(!bob.session->muted());
        QVERIFY(r.chair->muteAll().ok());
        r.hub->pump();
        QVERIFY(bob.session->muted());
    }

    void theWaitingRoomKnowsContacts()
    {
        auto chair = startChair();
        MemoryContactBook contacts;
        chair->setContactBook(&contacts);
        SessionHarness hub(*chair, QStringLiteral("pinA"));
        auto& alice = hub.join("Alice", invite(*chair, "Alice"), m_policy, m_clock);
        hub.pump();
        QCOMPARE(
            SessionHarness::last<meeting::ev::Knock>(hub.chairEvents)->contact.value_or(QString()),
            QStringLiteral("new"));
        QVERIFY(chair->admit(keyOf(alice)).ok());
        hub.pump();
        // Someone else invited under the same name: the chair is warned the key changed.
        auto& other = hub.join("Alice2", invite(*chair, "Alice"), m_policy, m_clock);
        hub.pump();
        QCOMPARE(
            SessionHarness::last<meeting::ev::Knock>(hub.chairEvents)->contact.value_or(QString()),
            QStringLiteral("key_changed"));
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(hub.chairEvents)->code,
                 QStringLiteral("contact.key_changed"));
        QVERIFY(!(keyOf(other) == keyOf(alice)));
    }

    void muteOneAskToUnmuteAndObservers()
    {
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        auto& bob = r.hub->participants().at("Bob");
        QVERIFY(r.chair->mute(keyOf(bob)).ok());
        r.hub->pump();
        QVERIFY(bob.session->muted());
        QVERIFY(!alice.session->muted()); // only the one named
        QVERIFY(r.chair->askUnmute(keyOf(bob), "your turn to speak").ok());
        r.hub->pump();
        QCOMPARE(SessionHarness::last<meeting::ev::UnmuteRequested>(bob.events)->reason,
                 QStringLiteral("your turn to speak"));
        QVERIFY(bob.session->muted()); // asking never unmutes anyone
        QCOMPARE(SessionHarness::count<meeting::ev::UnmuteRequested>(alice.events), 0);

        auto& observer = r.hub->join("Observer", invite(*r.chair, "Observer"), m_policy, m_clock);
        r.hub->pump();
        QVERIFY(r.chair->admit(keyOf(observer), crypto::MemberRole::Observer).ok());
        r.hub->pump();
        QVERIFY(observer.session->keys().roster().findIdentity(keyOf(observer))->role ==
                crypto::MemberRole::Observer);
        QCOMPARE(r.chair->admit(keyOf(observer), crypto::MemberRole::Chair).error().code,
                 std::string("meeting.bad_role"));
    }

    void aMediaSetUpMessageAheadOfItsEpochWaitsForIt()
    {
        // Bob takes in a new epoch before Alice does and sends her his media offer, sealed in
        // it. Alice cannot open it yet; dropping it lost the link for good (nothing sends it
        // again). It waits, opens once her COMMIT arrives, and one that waits too long is
        // dropped with the usual warning.
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        auto& bob = r.hub->participants().at("Bob");
        const uint32_t aliceIndex = *alice.session->keys().ownIndex();
        const auto sendEarly = [&](const QByteArray& offer) -> QByteArray {
            QByteArray held;
            r.hub->tamper = [&](protocol::Envelope& e, const QString& to) {
                if (e.type != protocol::MessageType::Commit || to != QStringLiteral("Alice"))
                    return true;
                held = e.encode();
                return false;
            };
            // A periodic rekey: the chair's COMMIT is its last message for now, so holding it
            // back leaves no gap in what Alice sees (that would be a warning of its own).
            m_clock.advance(std::chrono::minutes(6));
            r.chair->tick();
            r.hub->pump();
            r.hub->tamper = nullptr;
            if (!bob.session->postSignal(aliceIndex, offer).ok())
                return {};
            r.hub->pump();
            return held;
        };
        const int warned = SessionHarness::count<meeting::ev::Warning>(alice.events);
        const QByteArray commit = sendEarly("Bob's offer");
        QVERIFY(!commit.isEmpty());
        QVERIFY(alice.session->takeSignals().empty()); // not yet
        QCOMPARE(SessionHarness::count<meeting::ev::Warning>(alice.events), warned);
        r.hub->deliverToParticipant(alice, commit);
        const auto opened = alice.session->takeSignals();
        QCOMPARE(opened.size(), size_t(1));
        QCOMPARE(opened.front().payload, QByteArray("Bob's offer"));
        QCOMPARE(opened.front().from, *bob.session->keys().ownIndex());
        QCOMPARE(SessionHarness::count<meeting::ev::Warning>(alice.events), warned);

        // Waiting longer than EarlySignals::kPatience: refused when tried, as before.
        const QByteArray late = sendEarly("Bob's late offer");
        QVERIFY(!late.isEmpty());
        m_clock.advance(meeting::EarlySignals::kPatience + std::chrono::seconds(1));
        r.hub->deliverToParticipant(alice, late);
        QVERIFY(alice.session->takeSignals().empty());
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(alice.events)->code,
                 QStringLiteral("media.signal_dropped"));
    }

    void aMaliciousHubIsDetected()
    {
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        const auto hubKey = crypto::Ed25519SigningKey::generate();

        // 1. The hub signs a COMMIT of its own adding a hidden member: not the chair's key.
        const auto ghost =
            protocol::Envelope::sign(protocol::MessageType::Commit, r.chair->descriptor().meetingId,
                                     1, BlobBody{"ghost roster"}.encode(), hubKey);
        r.hub->deliverToParticipant(alice, ghost.encode());
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(alice.events)->code,
                 QStringLiteral("envelope.not_chair"));

        // 2. It alters the chair's next COMMIT on the way: the signature no longer verifies.
        r.hub->tamper = [](protocol::Envelope& e, const QString&) {
            if (e.type == protocol::MessageType::Commit)
                e.body[e.body.size() - 1] = char(e.body[e.body.size() - 1] ^ 1);
            return true;
        };
        const uint64_t epoch = alice.session->keys().currentEpoch();
        QVERIFY(r.chair->lock().ok()); // lock rotates the key
        r.hub->pump();
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(alice.events)->code,
                 QStringLiteral("envelope.bad_signature"));
        QCOMPARE(alice.session->keys().currentEpoch(), epoch);

        // 3. It replays an old COMMIT: refused as a replay.
        r.hub->tamper = nullptr;
        QByteArray captured;
        r.hub->tamper = [&](protocol::Envelope& e, const QString& to) {
            if (e.type == protocol::MessageType::Commit && to == QStringLiteral("Alice"))
                captured = e.encode();
            return true;
        };
        QVERIFY(r.chair->unlock().ok());
        QVERIFY(r.chair->muteAll().ok());
        m_clock.advance(std::chrono::minutes(6));
        r.chair->tick(); // periodic rekey
        r.hub->pump();
        QVERIFY(!captured.isEmpty());
        r.hub->deliverToParticipant(alice, captured);
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(alice.events)->code,
                 QStringLiteral("protocol.replay"));

        // 4. It drops some of the chair's messages: the gap shows.
        int dropped = 0;
        r.hub->tamper = [&](protocol::Envelope& e, const QString& to) {
            if (to == QStringLiteral("Alice") && e.type == protocol::MessageType::Control &&
                dropped < 2) {
                ++dropped;
                return false;
            }
            return true;
        };
        QVERIFY(r.chair->muteAll().ok());
        QVERIFY(r.chair->muteAll().ok());
        QVERIFY(r.chair->setChat(true).ok());
        r.hub->pump();
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(alice.events)->code,
                 QStringLiteral("chair_messages_missing"));
        // ... but not the chair's messages to someone else (media set-up for Bob): those are
        // numbered apart from what everyone gets, so Alice sees no gap where none is.
        r.hub->tamper = [](protocol::Envelope& e, const QString& to) {
            return e.type != protocol::MessageType::Signal || to == QStringLiteral("Bob");
        };
        auto& bob = r.hub->participants().at("Bob");
        const auto* bobEntry = alice.session->keys().roster().findIdentity(keyOf(bob));
        QVERIFY(bobEntry);
        const int warnedBefore = SessionHarness::count<meeting::ev::Warning>(alice.events);
        for (int i = 0; i < 3; ++i)
            QVERIFY(r.chair->postSignal(bobEntry->index, "an offer for Bob").ok());
        QVERIFY(r.chair->muteAll().ok());
        r.hub->pump();
        QCOMPARE(SessionHarness::count<meeting::ev::Warning>(alice.events), warnedBefore);

        // 5. It rewrites the marking in a descriptor revision: the signature breaks.
        r.hub->tamper = [](protocol::Envelope& e, const QString&) {
            if (e.type == protocol::MessageType::Descriptor)
                e.body.replace("OFFICIAL", "OFFICIAX");
            return true;
        };
        const size_t before = alice.events.size();
        QVERIFY(r.chair->changeMarking(mark("OFFICIAL"), true).ok());
        r.hub->pump();
        QCOMPARE(alice.session->descriptor()->marking, QStringLiteral("OFFICIAL-SENSITIVE"));
        QVERIFY(std::any_of(alice.events.begin() + std::ptrdiff_t(before), alice.events.end(),
                            [](const MeetingEvent& e) {
                                return SessionHarness::codeOf(e) ==
                                       QLatin1String("envelope.bad_signature");
                            }));
    }

    void markingChangesFollowPolicy()
    {
        auto chair = startChair("OFFICIAL-SENSITIVE", "secret-hub", kSecretHubPin);
        SessionHarness hub(*chair, kSecretHubPin);
        auto& alice = hub.join("Alice", invite(*chair, "Alice"), m_policy, m_clock);
        hub.pump();
        QVERIFY(chair->admit(keyOf(alice)).ok());
        hub.pump();
        QVERIFY(chair->changeMarking(mark("SECRET"), false).ok());
        hub.pump();
        QCOMPARE(SessionHarness::last<meeting::ev::MarkingChanged>(alice.events)->to,
                 QStringLiteral("SECRET"));
        const auto raised = chair->changeMarking(mark("TOP SECRET"), false);
        QCOMPARE(raised.error().code, std::string("policy.marking_not_approved"));
        QCOMPARE(raised.error().category, ErrorCategory::PolicyRefusal);
        const auto lowered = chair->changeMarking(mark("OFFICIAL"), false);
        QCOMPARE(lowered.error().code, std::string("policy.lowering_needs_confirmation"));
        QCOMPARE(lowered.error().category, ErrorCategory::PolicyRefusal);
        QVERIFY(chair->changeMarking(mark("OFFICIAL"), true).ok());
        hub.pump();
        QCOMPARE(alice.session->descriptor()->marking, QStringLiteral("OFFICIAL"));
        QCOMPARE(alice.session->descriptor()->revision, uint64_t{3});
    }

    void policyRefusesStartAndJoin()
    {
        auto refused = ChairSession::create(m_chairKey, m_policy, m_clock,
                                            setup("SECRET", "dept-hub-1", kDeptHubPin));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, std::string("policy.marking_not_approved"));
        QVERIFY(refused.error().isPolicyRefusal());
        QVERIFY(refused.error().message.find("approved up to OFFICIAL-SENSITIVE") !=
                std::string::npos);

        // A chair whose (different) policy lets dept-hub-1 carry SECRET; the joiner's does not.
        QJsonObject loose = PolicyFixture::validPolicy();
        QJsonArray backends = loose["backends"].toArray();
        QJsonObject dept = backends[1].toObject();
        dept["max_marking"] = "SECRET";
        backends[1] = dept;
        loose["backends"] = backends;
        const policy::PolicyDocument loosePolicy = policyFrom(loose);
        auto chair = ChairSession::create(m_chairKey, loosePolicy, m_clock,
                                          setup("SECRET", "dept-hub-1", kDeptHubPin));
        QVERIFY(chair.ok());
        (*chair)->announce();
        SessionHarness hub(**chair, kDeptHubPin);
        auto& alice = hub.join("Alice", invite(**chair, "Alice"), m_policy, m_clock);
        hub.pump();
        QCOMPARE(alice.session->state(), ParticipantSession::State::Refused);
        QCOMPARE(alice.session->endReason()->code, std::string("policy.marking_not_approved"));
        QVERIFY(alice.session->endReason()->isPolicyRefusal()); // exit 3, not "turned away"

        // A joiner that reached a different server than the invite names refuses too.
        auto honest = startChair("OFFICIAL-SENSITIVE", "secret-hub", kSecretHubPin);
        SessionHarness hub2(*honest, kSecretHubPin);
        auto& bob = hub2.join("Bob", invite(*honest, "Bob"), m_policy, m_clock, kDeptHubPin);
        hub2.pump();
        QCOMPARE(bob.session->state(), ParticipantSession::State::Refused);
        QCOMPARE(bob.session->endReason()->code, std::string("policy.backend_mismatch"));
        QVERIFY(bob.session->endReason()->isPolicyRefusal());
    }

    void chatIsEncryptedAndMarked()
    {
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        auto& bob = r.hub->participants().at("Bob");
        QVERIFY(alice.session->sendChat("agenda item 2").ok());
        r.hub->pump();
        const auto* got = SessionHarness::last<meeting::ev::Chat>(bob.events);
        QVERIFY(got);
        QCOMPARE(got->from, QStringLiteral("Alice"));
        QCOMPARE(got->marking, QStringLiteral("OFFICIAL-SENSITIVE"));
        QCOMPARE(SessionHarness::last<meeting::ev::Chat>(r.hub->chairEvents)->text,
                 QStringLiteral("agenda item 2"));
        // A message written just before a key change still reads after it (10 s grace).
        QVERIFY(alice.session->sendChat("said as the key changed").ok());
        const std::vector<QByteArray> inFlight = alice.session->outgoing();
        QVERIFY(r.chair->lock().ok()); // rotates the key
        for (const QByteArray& wire : r.chair->outgoing())
            for (auto* member : {&alice, &bob})
                r.hub->deliverToParticipant(*member, wire);
        QVERIFY(bob.session->keys().currentEpoch() > 2); // Bob is in the new epoch ...
        for (const QByteArray& wire : inFlight) // ... when Alice's message from before arrives
            r.hub->deliverToParticipant(bob, wire);
        QCOMPARE(SessionHarness::last<meeting::ev::Chat>(bob.events)->text,
                 QStringLiteral("said as the key changed"));

        QVERIFY(r.chair->setChat(false).ok());
        r.hub->pump();
        QCOMPARE(alice.session->sendChat("hello").error().code,
                 std::string("meeting.chat_disabled"));
    }

    void eventsAboutAMemberNameThem()
    {
        Room r = roomWithAliceAndBob();
        auto& bob = r.hub->participants().at("Bob");
        const QString bobFingerprint = meeting::support::fingerprint(keyOf(bob));
        const auto namesBob = [&](const Result<meeting::MeetingEvents>& result, auto tag) {
            using T = decltype(tag);
            QVERIFY(result.ok());
            const T* e = SessionHarness::last<T>(*result);
            QVERIFY2(e, "the command reported no event of its kind");
            QCOMPARE(e->name, QStringLiteral("Bob"));
            QCOMPARE(e->fingerprint, bobFingerprint);
        };
        namesBob(r.chair->mute(keyOf(bob)), meeting::ev::Muted{});
        namesBob(r.chair->stopVideo(keyOf(bob)), meeting::ev::VideoStopped{});
        namesBob(r.chair->setShare(keyOf(bob), false), meeting::ev::ShareRevoked{});
        namesBob(r.chair->askUnmute(keyOf(bob), "your turn"), meeting::ev::UnmuteAsked{});
        r.hub->pump();
        // Bob is told what was done to him as a typed action, not a protocol word.
        QVERIFY(SessionHarness::last<meeting::ev::Control>(bob.events)->action ==
                meeting::ControlAction::StopVideo);
        QVERIFY(r.chair->remove(keyOf(bob), "disruption").ok());
        r.hub->pump();
        const auto* removed = SessionHarness::last<meeting::ev::Removed>(bob.events);
        QVERIFY(removed && removed->you);
        QCOMPARE(removed->name, QStringLiteral("Bob"));
        QCOMPARE(removed->fingerprint, bobFingerprint);
        QCOMPARE(removed->reason, QStringLiteral("disruption"));
    }

    void suspendStopsEverythingAndChairSilenceIsNoticed()
    {
        Room r = roomWithAliceAndBob();
        auto& alice = r.hub->participants().at("Alice");
        QVERIFY(r.chair->suspend().ok());
        r.hub->pump();
        QVERIFY(r.chair->locked() && r.chair->suspended());
        QVERIFY(alice.session->muted());
        QVERIFY(!alice.session->chatEnabled());
        QCOMPARE(r.chair->unlock().error().code, std::string("meeting.suspended"));

        m_clock.advance(std::chrono::seconds(16));
        auto events = alice.session->tick();
        QCOMPARE(SessionHarness::count<meeting::ev::Warning>(events), 1);
        QVERIFY(alice.session->chairSilent());
        r.chair->tick(); // heartbeat
        r.hub->pump();
        QVERIFY(!alice.session->chairSilent());
    }
};

QTEST_GUILESS_MAIN(TestMeetingSessions)
#include "tst_meetingsessions.moc"
