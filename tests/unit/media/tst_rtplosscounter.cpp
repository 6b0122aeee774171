// SPDX-License-Identifier: GPL-3.0-or-later
// RtpLossCounter: packets lost from sequence numbers, across the 16-bit wrap and a sender's
// restart, never negative.
#include "media/RtpLossCounter.h"

#include <QtTest>

using conclave::media::RtpLossCounter;

class TestRtpLossCounter : public QObject {
    Q_OBJECT

private slots:
    void nothingReceivedNothingLost()
    {
        RtpLossCounter c;
        QCOMPARE(c.packets(), uint64_t(0));
        QCOMPARE(c.lost(), int64_t(0));
    }

    void gapsAreLosses()
    {
        RtpLossCounter c;
        for (uint16_t s : {100, 101, 103, 104, 108})
            c.received(s);
        QCOMPARE(c.packets(), uint64_t(5));
        QCOMPARE(c.lost(), int64_t(4)); // 102, 105, 106, 107
    }

    void theWrapIsNotALoss()
    {
        RtpLossCounter c;
        for (uint32_t s = 65530; s < 65530 + 20; ++s)
            if (s != 65537) // one lost just after the wrap
                c.received(uint16_t(s));
        QCOMPARE(c.packets(), uint64_t(19));
        QCOMPARE(c.lost(), int64_t(1));
    }

    void aLatePacketFillsItsGap()
    {
        RtpLossCounter c;
        for (uint16_t s : {10, 11, 13, 12, 14})
            c.received(s);
        QCOMPARE(c.lost(), int64_t(0));
    }

    void duplicatesDoNotMakeLossesNegative()
    {
        RtpLossCounter c;
        for (uint16_t s : {10, 10, 10, 11})
            c.received(s);
        QCOMPARE(c.lost(), int64_t(0));
        c.received(13);
        QCOMPARE(c.lost(), int64_t(0)); // one lost, two duplicates: clamped, as RFC 3550 does
    }

    void aSenderRestartStartsANewRunAndKeepsEarlierLosses()
    {
        RtpLossCounter c;
        for (uint16_t s : {1000, 1002}) // one lost
            c.received(s);
        for (uint16_t s : {40000, 40001, 40003}) // a new run, one more lost
            c.received(s);
        QCOMPARE(c.packets(), uint64_t(5));
        QCOMPARE(c.lost(), int64_t(2));
    }

    void lossesMatchARandomDropPattern()
    {
        // 100000 packets over the wrap, each dropped with 10 % chance: lost is exactly the
        // number dropped.
        RtpLossCounter c;
        QRandomGenerator random(42);
        int64_t dropped = 0;
        for (uint32_t i = 0; i < 100000; ++i) {
            const bool last = i == 99999; // the last one arrives, so every gap is closed
            if (!last && random.bounded(10) == 0) {
                ++dropped;
                continue;
            }
            c.received(uint16_t(60000 + i));
        }
        QCOMPARE(c.lost(), dropped);
        QCOMPARE(c.packets(), uint64_t(100000 - dropped));
    }
};

QTEST_GUILESS_MAIN(TestRtpLossCounter)
#include "tst_rtplosscounter.moc"
