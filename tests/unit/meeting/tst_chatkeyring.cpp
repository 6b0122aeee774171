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
        QVERIFY(!ring.keyFor(1, t0 + std::chrono::seconds(21))); // its grace was over
        QVERIFY(ring.keyFor(2, t0 + std::chrono::seconds(21)));
        QVERIFY(!ring.keyFor(4, t0 + std::chrono::seconds(21)));
        ring.clear();
        QVERIFY(!ring.keyFor(3, t0 + std::chrono::seconds(21)));
    }

    void epochsInQuickSuccessionEachKeepTheirGrace()
    {
        // A chair admitting a queue changes epochs every second or so; a member a few epochs
        // behind still seals its media set-up under its own. Each replaced key stays readable
        // for kGrace after its own replacement, so none of those is lost - and none longer.
        const TimePoint t0(std::chrono::seconds(1795000000));
        ChatKeyRing ring;
        for (uint64_t epoch = 1; epoch <= 5; ++epoch)
            ring.install(epoch, crypto::SecureBuffer::random(32), t0 + std::chrono::seconds(epoch));
        // Epoch e was replaced at t0 + (e + 1) s.
        for (uint64_t epoch = 1; epoch <= 5; ++epoch)
            QVERIFY(ring.keyFor(epoch, t0 + std::chrono::seconds(6)));
        QVERIFY(!ring.keyFor(1, t0 + std::chrono::seconds(13))); // replaced at 2 s: 11 s ago
        QVERIFY(ring.keyFor(2, t0 + std::chrono::seconds(13)));  // replaced at 3 s: 10 s ago
        QVERIFY(!ring.keyFor(4, t0 + std::chrono::seconds(16)));
        QVERIFY(ring.keyFor(5, t0 + std::chrono::seconds(100))); // the current one
        // However fast the epochs come, at most kMaxRetired old keys are kept.
        for (uint64_t epoch = 6; epoch <= 40; ++epoch)
            ring.install(epoch, crypto::SecureBuffer::random(32), t0 + std::chrono::seconds(7));
        QVERIFY(!ring.keyFor(5, t0 + std::chrono::seconds(7)));
        QVERIFY(ring.keyFor(40 - ChatKeyRing::kMaxRetired, t0 + std::chrono::seconds(7)));
        QVERIFY(!ring.keyFor(40 - ChatKeyRing::kMaxRetired - 1, t0 + std::chrono::seconds(7)));
    }
};

QTEST_GUILESS_MAIN(TestChatKeyRing)
#include "tst_chatkeyring.moc"
