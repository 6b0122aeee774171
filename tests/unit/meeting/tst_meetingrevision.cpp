// SPDX-License-Identifier: GPL-3.0-or-later
// The meeting's description in force, against a malicious hub: a marking change brings the
// new grade's rules in the same signed revision and takes effect only once the hub took it;
// the key schedule is bound to the revision, so a newcomer shown an old, lower-marked one
// cannot follow; chair messages from before an admission are not acted on by the newcomer.
#include "SessionFixtures.h"
#include "SessionHarness.h"
#include "common/Clock.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;
using testsupport::kSecretHubPin;
using testsupport::mark;
using testsupport::PolicyFixture;
using testsupport::policyFrom;
using testsupport::SessionHarness;
using testsupport::setup;

class TestMeetingRevision : public QObject {
    Q_OBJECT

    policy::PolicyDocument m_policy = policyFrom(PolicyFixture::validPolicy());
    FixedClock m_clock{TimePoint(std::chrono::seconds(1795000000))};
    crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();

    /// A meeting on the SECRET-approved hub, with chat and an open link (OFFICIAL allows both).
    std::unique_ptr<ChairSession> startChair(const char* marking)
    {
        auto chair = ChairSession::create(m_chairKey, m_policy, m_clock,
                                          setup(marking, "secret-hub", kSecretHubPin));
        (*chair)->announce();
        return std::move(chair).value();
    }

    SessionHarness::Participant& joinAndAdmit(SessionHarness& hub, ChairSession& chair,
                                              const char* name)
    {
        auto& p = hub.join(
            QString::fromLatin1(name),
            chair.makeInvite(QString::fromLatin1(name), std::nullopt, std::chrono::hours(1))
                .value(),
            m_policy, m_clock);
        hub.pump();
        if (!chair.admit(p.identity->publicKey()))
            qFatal("admit failed");
        hub.pump();
        return p;
    }

private slots:
    void aRaisedMarkingBringsItsRulesInTheSameStep()
    {
        auto chair = startChair("OFFICIAL");
        QVERIFY(chair->descriptor().options.openKnocking && chair->descriptor().options.chat);
        SessionHarness hub(*chair, kSecretHubPin);
        auto& alice = joinAndAdmit(hub, *chair, "Alice");
        QVERIFY(chair->setShare(alice.identity->publicKey(), true).ok());
        hub.pump();
        QVERIFY(alice.session->shareAllowed());
        QVERIFY(chair->makeMeetingLink(std::chrono::hours(1)).ok());

        auto sent = chair->changeMarking(mark("SECRET"), false);
        QVERIFY(sent.ok());
        QVERIFY(SessionHarness::last<meeting::ev::MarkingChangeSent>(*sent));
        // Not in force until the hub took it: the chair still says OFFICIAL.
        QCOMPARE(chair->descriptor().marking, QStringLiteral("OFFICIAL"));
        QCOMPARE(*chair->pendingRevision(), uint64_t{2});
        const uint64_t epoch = chair->keys().currentEpoch();

        hub.pump();
        QCOMPARE(chair->descriptor().marking, QStringLiteral("SECRET"));
        const MeetingOptions& o = chair->descriptor().options;
        QVERIFY(o.invitesRequired && !o.openKnocking && !o.chat && o.waitingRoom);
        QCOMPARE(chair->makeMeetingLink(std::chrono::hours(1)).error().code,
                 std::string("meeting.invites_required"));
        QCOMPARE(chair->sendChat(QStringLiteral("still on?")).error().code,
                 std::string("meeting.chat_disabled"));
        QVERIFY(SessionHarness::last<meeting::ev::MarkingChanged>(hub.chairEvents));
        QVERIFY(!chair->pendingRevision());

        // Alice agrees on all of it, under new keys bound to the new revision.
        QCOMPARE(alice.session->descriptor()->marking, QStringLiteral("SECRET"));
        QVERIFY(alice.session->descriptor()->options == o);
        QVERIFY(!alice.session->chatEnabled());
        QVERIFY(!alice.session->shareAllowed());
        QCOMPARE(chair->keys().currentEpoch(), epoch + 1);
        QCOMPARE(alice.session->keys().currentEpoch(), chair->keys().currentEpoch());
        QCOMPARE(QString::fromStdString(*alice.session->keys().epochCode()),
                 QString::fromStdString(chair->keys().epochCode()));
    }

    void aRevisionTheHubRefusesChangesNothing()
    {
        auto chair = startChair("OFFICIAL-SENSITIVE");
        SessionHarness hub(*chair, kSecretHubPin);
        auto& alice = joinAndAdmit(hub, *chair, "Alice");
        hub.hubAcceptsRevisions = false;
        const uint64_t epoch = chair->keys().currentEpoch();
        QVERIFY(chair->changeMarking(mark("SECRET"), false).ok());
        hub.pump();
        QCOMPARE(chair->descriptor().marking, QStringLiteral("OFFICIAL-SENSITIVE"));
        QCOMPARE(alice.session->descriptor()->marking, QStringLiteral("OFFICIAL-SENSITIVE"));
        QCOMPARE(chair->keys().currentEpoch(), epoch);
        // Later key changes still bind the revision everyone holds.
        QVERIFY(chair->lock().ok());
        hub.pump();
        QCOMPARE(alice.session->keys().currentEpoch(), chair->keys().currentEpoch());
    }

    void aNewcomerShownAnOldLowerMarkingCannotFollow()
    {
        auto chair = startChair("OFFICIAL-SENSITIVE");
        const QByteArray older = chair->signedDescriptor();
        SessionHarness hub(*chair, kSecretHubPin);
        QVERIFY(chair->changeMarking(mark("SECRET"), false).ok());
        hub.pump();
        QCOMPARE(chair->descriptor().marking, QStringLiteral("SECRET"));

        // The hub shows Carol the old OFFICIAL-SENSITIVE description and keeps the current
        // one from her: the COMMIT that admits her is bound to the SECRET revision.
        hub.lobbyDescriptor = older;
        hub.tamper = [](protocol::Envelope& e, const QString& to) {
            return !(to == QLatin1String("Carol") && e.type == protocol::MessageType::Descriptor);
        };
        auto& carol = hub.join(
            "Carol", chair->makeInvite("Carol", std::nullopt, std::chrono::hours(1)).value(),
            m_policy, m_clock);
        hub.pump();
        QCOMPARE(SessionHarness::last<meeting::ev::Lobby>(carol.events)->marking,
                 QStringLiteral("OFFICIAL-SENSITIVE"));
        QVERIFY(chair->admit(carol.identity->publicKey()).ok());
        hub.pump();
        QVERIFY(carol.session->state() != ParticipantSession::State::Member);
        QVERIFY(!carol.session->keys().chatKey().ok());
        bool refused = false;
        for (const auto& e : carol.events)
            refused =
                refused || SessionHarness::codeOf(e) == QLatin1String("commit.descriptor_mismatch");
        QVERIFY(refused);

        // Where the chair's repeat of the description reaches her, she learns the marking in
        // force before the keys, and follows.
        hub.tamper = nullptr;
        auto& dave =
            hub.join("Dave", chair->makeInvite("Dave", std::nullopt, std::chrono::hours(1)).value(),
                     m_policy, m_clock);
        hub.pump();
        QVERIFY(chair->admit(dave.identity->publicKey()).ok());
        hub.pump();
        QCOMPARE(dave.session->state(), ParticipantSession::State::Member);
        QCOMPARE(dave.session->descriptor()->marking, QStringLiteral("SECRET"));
        QCOMPARE(SessionHarness::last<meeting::ev::MarkingChanged>(dave.events)->to,
                 QStringLiteral("SECRET"));
        QCOMPARE(dave.session->keys().currentEpoch(), chair->keys().currentEpoch());
    }

    void chairMessagesFromBeforeAnAdmissionAreNotForTheNewcomer()
    {
        auto chair = startChair("OFFICIAL-SENSITIVE");
        SessionHarness hub(*chair, kSecretHubPin);
        auto& alice = joinAndAdmit(hub, *chair, "Alice");
        std::vector<QByteArray> seen;
        hub.tamper = [&seen](protocol::Envelope& e, const QString& to) {
            if (to == QLatin1String("Alice"))
                seen.push_back(e.encode());
            return true;
        };
        QVERIFY(chair->muteAll().ok());
        hub.pump();
        QVERIFY(alice.session->muted());
        QVERIFY(!seen.empty());
        hub.tamper = nullptr;

        auto& bob =
            hub.join("Bob", chair->makeInvite("Bob", std::nullopt, std::chrono::hours(1)).value(),
                     m_policy, m_clock);
        hub.pump();
        for (const QByteArray& wire : seen) // the hub replays the chair's earlier words to Bob
            hub.deliverToParticipant(bob, wire);
        QCOMPARE(SessionHarness::last<meeting::ev::Warning>(bob.events)->code,
                 QStringLiteral("envelope.before_admission"));
        QVERIFY(!bob.session->muted());
        QVERIFY(chair->admit(bob.identity->publicKey()).ok());
        hub.pump();
        QCOMPARE(bob.session->state(), ParticipantSession::State::Member);
        QVERIFY(!bob.session->muted());
    }

    void newcomersLearnWhoMayShareAndWhetherChatIsOn()
    {
        auto chair = startChair("OFFICIAL");
        SessionHarness hub(*chair, kSecretHubPin);
        auto& alice = joinAndAdmit(hub, *chair, "Alice");
        const QByteArray inForce = chair->signedDescriptor();
        QVERIFY(chair->setShare(alice.identity->publicKey(), true).ok());
        QVERIFY(chair->setChat(false).ok());
        hub.pump();
        // Switches are not revisions: the description in force stays the bytes everyone holds.
        QCOMPARE(chair->signedDescriptor(), inForce);
        const size_t aliceEvents = alice.events.size();

        auto& bob = joinAndAdmit(hub, *chair, "Bob");
        QCOMPARE(bob.session->state(), ParticipantSession::State::Member);
        QVERIFY(!bob.session->chatEnabled());
        const auto* aliceEntry = chair->roster().findIdentity(alice.identity->publicKey());
        QVERIFY(bob.session->mediaState()->sharers.count(aliceEntry->index));
        // Alice already knew: the repeat changes nothing for her and tells her nothing new.
        QVERIFY(alice.session->shareAllowed());
        QVERIFY(std::none_of(alice.events.begin() + std::ptrdiff_t(aliceEvents), alice.events.end(),
                             [](const MeetingEvent& e) {
                                 return e.is<meeting::ev::Control>() ||
                                        e.is<meeting::ev::Warning>();
                             }));
    }
};

QTEST_GUILESS_MAIN(TestMeetingRevision)
#include "tst_meetingrevision.moc"
