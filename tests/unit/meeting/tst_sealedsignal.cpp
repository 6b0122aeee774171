// SPDX-License-Identifier: GPL-3.0-or-later
// Media signalling travels sealed: the hub carries SDP and ICE candidates (participants'
// addresses) without reading them, and a sealed signal opens only for its pair and epoch.
#include "crypto/ChatCipher.h"
#include "crypto/SecureBuffer.h"
#include "meeting/EarlySignals.h"
#include "meeting/SealedSignal.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;

class TestSealedSignal : public QObject {
    Q_OBJECT

    const QByteArray m_meeting = QByteArray(16, 'm');
    const crypto::Ed25519PublicKey m_alice = crypto::Ed25519SigningKey::generate().publicKey();
    const crypto::Ed25519PublicKey m_bob = crypto::Ed25519SigningKey::generate().publicKey();

private slots:
    void theHubSeesNoAddressAndOnlyThePairOpensIt()
    {
        const crypto::SecureBuffer key = crypto::SecureBuffer::random(32);
        const QByteArray sdp = "v=0\r\na=candidate:1 1 UDP 2122252543 192.168.1.23 51234 typ host";
        const SignalBody body = SealedSignal::seal(key, m_meeting, 5, m_alice, m_bob, sdp);
        const QByteArray wire = body.encode();
        QVERIFY(!wire.contains("192.168.1.23"));
        QVERIFY(!wire.contains("candidate"));

        auto decoded = SignalBody::decode(wire);
        QVERIFY(decoded.ok());
        auto opened = SealedSignal::open(key, m_meeting, *decoded, m_alice);
        QVERIFY(opened.ok());
        QCOMPARE(*opened, sdp);

        // Another sender, another epoch, another recipient, another key: nothing opens.
        QVERIFY(!SealedSignal::open(key, m_meeting, *decoded, m_bob).ok());
        SignalBody otherEpoch = *decoded;
        otherEpoch.epoch = 6;
        QVERIFY(!SealedSignal::open(key, m_meeting, otherEpoch, m_alice).ok());
        SignalBody redirected = *decoded;
        redirected.to = m_alice;
        QVERIFY(!SealedSignal::open(key, m_meeting, redirected, m_alice).ok());
        QVERIFY(!SealedSignal::open(crypto::SecureBuffer::random(32), m_meeting, *decoded, m_alice)
                     .ok());
    }

    void onlySignalsAheadOfTheEpochWaitAndOnlySoMany()
    {
        // EarlySignals keeps what may have come early (sealed in a later epoch than this
        // member's), not what is simply wrong (this epoch or an older one), not what already
        // waited too long, and never more than kMax.
        const TimePoint t0(std::chrono::seconds(1795000000));
        const auto envelope = [&](uint64_t seq) {
            return protocol::Envelope::sign(protocol::MessageType::Signal, m_meeting, seq, {},
                                            crypto::Ed25519SigningKey::generate());
        };
        EarlySignals early;
        QVERIFY(!early.keepIfEarly(envelope(1), 5, 5, t0, t0));
        QVERIFY(!early.keepIfEarly(envelope(2), 4, 5, t0, t0));
        QVERIFY(early.keepIfEarly(envelope(3), 6, 5, t0, t0));
        QVERIFY(early.keepIfEarly(envelope(4), 1, 0, t0, t0)); // not a member yet
        QVERIFY(!early.keepIfEarly(envelope(5), 6, 5, t0,
                                   t0 + EarlySignals::kPatience + std::chrono::seconds(1)));
        QCOMPARE(early.size(), size_t(2));
        for (uint64_t seq = 10; seq < 10 + EarlySignals::kMax; ++seq)
            QVERIFY(early.keepIfEarly(envelope(seq), 6, 5, t0, t0));
        const auto waiting = early.takeAll();
        QCOMPARE(waiting.size(), EarlySignals::kMax);
        QCOMPARE(waiting.front().envelope.seq, uint64_t(10)); // the oldest went first
        QCOMPARE(early.size(), size_t(0));
    }
};

QTEST_APPLESS_MAIN(TestSealedSignal)
#include "tst_sealedsignal.moc"
