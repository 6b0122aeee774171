// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/ChatKeyRing.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;

class TestChatKeyRing : public QObject {
    Q_OBJECT

private slots:
    void previousEpochIsReadableOnlyDuringTheGrace()
    {
        const TimePoint t0(std::chrono::seconds(1795000000));
        ChatKeyRing ring;
        QVERIFY(!ring.keyFor(1, t0));
        ring.install(1, crypto::SecureBuffer::random(32), t0);
        const uint8_t first = ring.keyFor(1, t0)->data()[0];
        ring.install(2, crypto::SecureBuffer::random(32), t0 + std::chrono::seconds(5));
        QVERIFY(ring.keyFor(2, t0 + std::chrono::seconds(5)));
        QVERIFY(ring.keyFor(1, t0 + std::chrono::seconds(14))); // 9 s after it was replaced
        QCOMPARE(ring.keyFor(1, t0 + std::chrono::seconds(14))->data()[0], first);
        QVERIFY(!ring.keyFor(1, t0 + std::chrono::seconds(16))); // 11 s: gone
        ring.install(2, crypto::SecureBuffer::random(32),
                     t0 + std::chrono::seconds(20)); // same epoch: no-op
        QVERIFY(ring.keyFor(2, t0 + std::chrono::seconds(20)));
        ring.install(3, crypto::SecureBuffer::random(32), t0 + std::chrono::seconds(21));
        QVERIFY(!ring.keyFor(1, t0 + std::chrono::seconds(21))); // only one previous epoch is kept
        QVERIFY(ring.keyFor(2, t0 + std::chrono::seconds(21)));
        QVERIFY(!ring.keyFor(4, t0 + std::chrono::seconds(21)));
        ring.clear();
        QVERIFY(!ring.keyFor(3, t0 + std::chrono::seconds(21)));
    }
};

QTEST_GUILESS_MAIN(TestChatKeyRing)
#include "tst_chatkeyring.moc"
