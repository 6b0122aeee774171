// SPDX-License-Identifier: GPL-3.0-or-later
// The chair's pace of epochs (EpochPacer): a media key id carries the epoch modulo 16 and old
// keys live 10 s, so however lock, unlock and admit are hammered (a co-chair's requests come to
// the same calls), no more than 8 paced epochs are made in any 10 s; departures never wait.
// Also: acks for far-future epochs do not push the current epoch's acks out, and the chair's
// waiting room is capped.
#include "PolicyFixture.h"
#include "SessionFixtures.h"
#include "SessionHarness.h"
#include "SessionRoom.h"
#include "crypto/MediaKeyId.h"
#include "meeting/EpochAcks.h"
#include "meeting/EpochPacer.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;
using std::chrono::seconds;
using testsupport::PolicyFixture;
using testsupport::policyFrom;
using testsupport::SessionHarness;

class TestEpochPacing : public QObject {
    Q_OBJECT

    policy::PolicyDocument m_policy = policyFrom(PolicyFixture::validPolicy());
    FixedClock m_clock{TimePoint(seconds(1795000000))};
    crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();

    static crypto::Ed25519PublicKey keyOf(SessionHarness::Participant& p)
    {
        return p.identity->publicKey();
    }

    using Room = testsupport::SessionRoom;
    Room roomWith(std::initializer_list<const char*> names,
                  const char* marking = "OFFICIAL-SENSITIVE")
    {
        return testsupport::roomWithKnockers(m_chairKey, m_policy, m_clock, names, marking);
    }

private slots:
    void thePacerAllowsEightEpochsInTenSeconds()
    {
        EpochPacer pacer;
        const TimePoint t0 = m_clock.now();
        for (size_t i = 0; i < EpochPacer::kMaxPerWindow; ++i) {
            QVERIFY(pacer.mayChange(t0 + seconds(i)).ok());
            pacer.changed(t0 + seconds(i));
        }
        QCOMPARE(pacer.mayChange(t0 + seconds(8)).error().code, std::string("keys.epoch_rate"));
        QVERIFY(pacer.mayChange(t0 + seconds(10)).ok()); // the first one left the window
        // The cap keeps key ids apart for longer than old keys live.
        static_assert(EpochPacer::kMaxPerWindow < (size_t{1} << crypto::MediaKeyId::kEpochBits));
    }

    void aFloodOfLocksAndUnlocksIsPacedAndTheOwedRekeyFollows()
    {
        Room r = roomWith({"Alice", "Bob"});
        for (const char* name : {"Alice", "Bob"}) {
            QVERIFY(r.chair->admit(keyOf(r.hub->participants().at(name))).ok());
            r.hub->pump();
        }
        const uint64_t start = r.chair->keys().currentEpoch();
        // A co-chair's lock/unlock requests, or a chair's script, as fast as they come.
        for (int i = 0; i < 100; ++i) {
            QVERIFY(r.chair->lock().ok());
            QVERIFY(r.chair->unlock().ok());
            r.hub->pump();
        }
        const uint64_t flooded = r.chair->keys().currentEpoch();
        QVERIFY2(flooded - start <= EpochPacer::kMaxPerWindow,
                 qPrintable(QStringLiteral("%1 epochs in an instant").arg(flooded - start)));
        QVERIFY(flooded - start >= 2); // pacing is not refusing
        // The locks that had to wait are owed one rekey, made as soon as the pace allows.
        m_clock.advance(EpochPacer::kWindow);
        r.chair->tick();
        r.hub->pump();
        QCOMPARE(r.chair->keys().currentEpoch(), flooded + 1);
        r.chair->tick();
        QCOMPARE(r.chair->keys().currentEpoch(), flooded + 1); // owed once, not per request
        // The members followed every epoch.
        for (auto& [name, p] : r.hub->participants())
            QCOMPARE(p.session->keys().currentEpoch(), flooded + 1);
    }

    void aDepartureNeverWaitsButAdmissionsDo()
    {
        Room r = roomWith({"Alice", "Bob", "Carol"});
        QVERIFY(r.chair->admit(keyOf(r.hub->participants().at("Alice"))).ok());
        QVERIFY(r.chair->admit(keyOf(r.hub->participants().at("Bob"))).ok());
        r.hub->pump();
        for (int i = 0; i < 20; ++i) {
            QVERIFY(r.chair->lock().ok());
            QVERIFY(r.chair->unlock().ok());
        }
        r.hub->pump();
        // Carol waits: admitting her now would be one epoch too many.
        const auto refused = r.chair->admit(keyOf(r.hub->participants().at("Carol")));
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("keys.epoch_rate"));
        QCOMPARE(r.chair->lobby().size(), size_t(1));
        // Bob's removal is not paced: the one removed must not keep the key a moment longer.
        const uint64_t before = r.chair->keys().currentEpoch();
        QVERIFY(r.chair->remove(keyOf(r.hub->participants().at("Bob")), "disruptive").ok());
        QCOMPARE(r.chair->keys().currentEpoch(), before + 1);
        // A moment later Carol can be admitted.
        m_clock.advance(EpochPacer::kWindow);
        r.hub->pump();
        QVERIFY(r.chair->admit(keyOf(r.hub->participants().at("Carol"))).ok());
    }

    void theChairsWaitingRoomIsCappedWhateverTheHubForwards()
    {
        // A hub that forwards every knock and never says anyone left: the chair's own lobby
        // stays within its cap and says so.
        Room r = roomWith({}, "OFFICIAL"); // open knocking, so a meeting link
        const QString link = *r.chair->makeMeetingLink(std::chrono::hours(1));
        const size_t knockers = ChairSession::kMaxLobby + 40;
        for (size_t i = 0; i < knockers; ++i)
            r.hub->join(QStringLiteral("Knocker %1").arg(i), link, m_policy, m_clock);
        r.hub->pump();
        QCOMPARE(r.chair->lobby().size(), ChairSession::kMaxLobby);
        int full = 0;
        for (const MeetingEvent& e : r.hub->chairEvents)
            full += e.is<meeting::ev::Warning>() &&
                            SessionHarness::codeOf(e) == QLatin1String("lobby.full")
                        ? 1
                        : 0;
        QCOMPARE(full, 40);
    }

    void acksForFarFutureEpochsDoNotPushOutTheCurrentOnes()
    {
        EpochAcks acks;
        const QByteArray honest(32, 'h'), flooder(32, 'f');
        acks.recordFrom(10, honest, 10);
        for (uint64_t e = 11; e < 10000; ++e)
            acks.recordFrom(e, flooder, 10);
        QVERIFY(acks.epochsKept() <= EpochAcks::kEpochsKept);
        acks.recordFrom(9, flooder, 10);
        QVERIFY(acks.epochsKept() <= EpochAcks::kEpochsKept);
        QVERIFY(acks.hasAck(10, honest));
    }
};

QTEST_GUILESS_MAIN(TestEpochPacing)
#include "tst_epochpacing.moc"
