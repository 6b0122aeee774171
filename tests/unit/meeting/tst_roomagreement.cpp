// SPDX-License-Identifier: GPL-3.0-or-later
// The chair and its members read the chair's controls through one RoomState: after every
// control they hold the same room, and give screen keys to the same people.
#include "SessionFixtures.h"
#include "SessionHarness.h"
#include "common/Clock.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;
using testsupport::kSecretHubPin;
using testsupport::PolicyFixture;
using testsupport::policyFrom;
using testsupport::SessionHarness;
using testsupport::setup;

class TestRoomAgreement : public QObject {
    Q_OBJECT

    policy::PolicyDocument m_policy = policyFrom(PolicyFixture::validPolicy());
    FixedClock m_clock{TimePoint(std::chrono::seconds(1795000000))};
    crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();

    /// OFFICIAL allows chat and screen share.
    std::unique_ptr<ChairSession> startChair()
    {
        auto chair = ChairSession::create(m_chairKey, m_policy, m_clock,
                                          setup("OFFICIAL", "secret-hub", kSecretHubPin));
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

    static void sameRoom(const ChairSession& chair, SessionHarness::Participant& p)
    {
        QCOMPARE(p.session->room(), chair.room());
        QCOMPARE(p.session->mediaState()->sharers, chair.mediaState()->sharers);
    }

private slots:
    void everyControlLeavesTheSameRoom()
    {
        auto chair = startChair();
        SessionHarness hub(*chair, kSecretHubPin);
        auto& alice = joinAndAdmit(hub, *chair, "Alice");
        auto& bob = joinAndAdmit(hub, *chair, "Bob");
        sameRoom(*chair, alice);
        QVERIFY(chair->setShare(bob.identity->publicKey(), true).ok());
        QVERIFY(chair->setChat(false).ok());
        QVERIFY(chair->lock().ok());
        hub.pump();
        sameRoom(*chair, alice);
        sameRoom(*chair, bob);
        QVERIFY(bob.session->shareAllowed());

        QVERIFY(chair->suspend().ok());
        hub.pump();
        sameRoom(*chair, alice);
        QVERIFY(chair->resume().ok());
        hub.pump();
        sameRoom(*chair, alice);
        sameRoom(*chair, bob);
        QVERIFY(chair->room().locked() && !chair->room().chat());
        QVERIFY(alice.session->muted()); // resuming unmutes nobody
    }

    // Sent to the waiting room, a member loses its share grant at the chair; its members used
    // to keep it, and gave it a screen key again once it was readmitted (the chair did not).
    void aReadmittedMemberHasNoShareGrantAnywhere()
    {
        auto chair = startChair();
        SessionHarness hub(*chair, kSecretHubPin);
        auto& alice = joinAndAdmit(hub, *chair, "Alice");
        auto& bob = joinAndAdmit(hub, *chair, "Bob");
        const auto bobKey = bob.identity->publicKey();
        QVERIFY(chair->setShare(bobKey, true).ok());
        hub.pump();
        QVERIFY(chair->sendToLobby(bobKey, QStringLiteral("wait outside")).ok());
        hub.pump();
        QCOMPARE(bob.session->state(), ParticipantSession::State::Waiting);
        QVERIFY(chair->admit(bobKey).ok());
        hub.pump();
        QCOMPARE(bob.session->state(), ParticipantSession::State::Member);
        const uint32_t bobIndex = chair->roster().findIdentity(bobKey)->index;
        QVERIFY(!chair->mediaState()->sharers.count(bobIndex));
        QCOMPARE(alice.session->mediaState()->sharers, chair->mediaState()->sharers);
        QCOMPARE(bob.session->mediaState()->sharers, chair->mediaState()->sharers);
        QVERIFY(!bob.session->shareAllowed());
    }
};

QTEST_APPLESS_MAIN(TestRoomAgreement)
#include "tst_roomagreement.moc"
