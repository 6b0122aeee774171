// SPDX-License-Identifier: GPL-3.0-or-later
// BitrateController: the loss rule's cut, hold and climb, the received-rate and REMB ceilings,
// the range, the slowest link of a mesh, tolerance of random loss, and the quality step's
// hysteresis.
#include "media/BitrateController.h"

#include <QtTest>

#include <limits>
#include <random>

using conclave::media::BitrateController;
using conclave::media::BitrateFeedback;
using conclave::media::QualityStep;

namespace {

BitrateFeedback loss(double fraction, std::optional<int64_t> received = std::nullopt)
{
    BitrateFeedback f;
    f.lossFraction = fraction;
    f.receivedBitsPerSecond = received;
    return f;
}

} // namespace

class TestBitrateController : public QObject {
    Q_OBJECT

private slots:
    void startsAtTheMaximumWithTheFullStep()
    {
        BitrateController c(300000);
        QCOMPARE(c.target(), int64_t(300000));
        QCOMPARE(c.minimum(), int64_t(100000));
        QCOMPARE(c.step(), QualityStep::Full);
        c.addLink(1);
        QCOMPARE(c.target(), int64_t(300000));
        QCOMPARE(c.linkRate(1), std::optional<int64_t>(300000));
        QVERIFY(!c.linkLoss(1));
    }

    void aMinimumAboveTheMaximumIsLowered()
    {
        BitrateController c(80000);
        QCOMPARE(c.minimum(), int64_t(80000));
        c.feedback(1, loss(0.9));
        QCOMPARE(c.target(), int64_t(80000));
    }

    void heavyLossCutsInProportion()
    {
        BitrateController c(300000);
        c.feedback(1, loss(0.30));
        QCOMPARE(c.target(), int64_t(255000)); // 300000 × (1 - 0.30/2)
        c.feedback(1, loss(0.60));
        // smoothed: 0.30 + 0.2 × (0.60 - 0.30) = 0.36
        QCOMPARE(c.target(), int64_t(std::llround(255000 * (1 - 0.36 / 2))));
    }

    void lossNeverTakesItBelowTheMinimum()
    {
        BitrateController c(300000);
        for (int i = 0; i < 50; ++i)
            c.feedback(1, loss(0.5));
        QCOMPARE(c.target(), c.minimum());
    }

    void moderateLossHolds()
    {
        BitrateController c(300000);
        c.feedback(1, loss(0.5));
        const auto held = c.target();
        // Let the smoothed loss settle into the 2-12 % band, where nothing changes.
        for (int i = 0; i < 30; ++i)
            c.feedback(1, loss(0.05));
        QVERIFY2(*c.linkLoss(1) < BitrateController::kDecreaseAbove, "loss settled");
        const auto settled = c.target();
        QVERIFY(settled <= held);
        for (int i = 0; i < 10; ++i)
            c.feedback(1, loss(0.05));
        QCOMPARE(c.target(), settled);
    }

    void cleanFeedbackClimbsEightPercentASample()
    {
        BitrateController c(1000000);
        for (int i = 0; i < 20; ++i)
            c.feedback(1, loss(0.5));
        QCOMPARE(c.target(), int64_t(100000));
        // The smoothed loss needs a few clean samples to fall below 2 %: meanwhile it holds.
        int64_t before = c.target();
        int climbs = 0;
        for (int i = 0; i < 30; ++i) {
            c.feedback(1, loss(0.0));
            const auto now = c.target();
            QVERIFY(now >= before);
            if (now > before) {
                ++climbs;
                QCOMPARE(now, int64_t(std::llround(before * 1.08)));
            }
            before = now;
        }
        QVERIFY(climbs >= 3);
    }

    void theClimbStopsAtOneAndAHalfTimesWhatIsReceived()
    {
        BitrateController c(1000000);
        for (int i = 0; i < 20; ++i)
            c.feedback(1, loss(0.5));
        for (int i = 0; i < 40; ++i)
            c.feedback(1, loss(0.0, 120000));
        QCOMPARE(c.target(), int64_t(180000));
        // Nothing received yet (idle stream): no ceiling from it.
        for (int i = 0; i < 40; ++i)
            c.feedback(1, loss(0.0, 0));
        QCOMPARE(c.target(), int64_t(1000000));
    }

    void aReceivedCeilingBelowTheRateDoesNotCutIt()
    {
        // The ceiling limits a climb; a rate already above it is not lowered by it (only loss or
        // REMB lower a rate), so a quiet second of a bursty stream does not drag the target down.
        BitrateController c(300000);
        c.feedback(1, loss(0.0, 50000));
        QCOMPARE(c.target(), int64_t(300000));
    }

    void growingDelayHolds()
    {
        BitrateController c(1000000);
        for (int i = 0; i < 20; ++i)
            c.feedback(1, loss(0.5));
        for (int i = 0; i < 10; ++i)
            c.feedback(1, loss(0.0));
        const auto before = c.target();
        BitrateFeedback f = loss(0.0);
        f.delayTrendMs = 5.0;
        for (int i = 0; i < 10; ++i)
            c.feedback(1, f);
        QCOMPARE(c.target(), before);
        f.delayTrendMs = -5.0; // queues draining: climb again
        c.feedback(1, f);
        QVERIFY(c.target() > before);
    }

    void rembIsACeiling()
    {
        BitrateController c(300000);
        BitrateFeedback f;
        f.rembBitsPerSecond = 150000;
        c.feedback(1, f);
        QCOMPARE(c.target(), int64_t(150000));
        f.rembBitsPerSecond = 20000; // below the range: the minimum still holds
        c.feedback(1, f);
        QCOMPARE(c.target(), int64_t(100000));
        f.rembBitsPerSecond.reset();
        c.feedback(1, f);
        QCOMPARE(c.target(), int64_t(108000));
    }

    void theSlowestLinkSetsTheTarget()
    {
        BitrateController c(300000);
        c.addLink(1);
        c.addLink(2);
        c.addLink(3);
        for (int i = 0; i < 5; ++i) {
            c.feedback(1, loss(0.0));
            c.feedback(2, loss(0.4));
            c.feedback(3, loss(0.05));
        }
        QCOMPARE(c.target(), *c.linkRate(2));
        QVERIFY(c.target() < *c.linkRate(3));
        QCOMPARE(*c.linkRate(1), int64_t(300000));
        c.removeLink(2);
        QCOMPARE(c.target(), *c.linkRate(3));
        c.removeLink(3);
        c.removeLink(1);
        QCOMPARE(c.target(), int64_t(300000));
    }

    void aNewLinkDoesNotLowerTheTarget()
    {
        BitrateController c(300000);
        for (int i = 0; i < 5; ++i)
            c.feedback(1, loss(0.4));
        const auto before = c.target();
        c.addLink(2);
        QCOMPARE(c.target(), before);
        c.addLink(1); // already there: keeps its rate
        QCOMPARE(c.target(), before);
    }

    void tenPercentRandomLossDoesNotCollapse()
    {
        // About 80 packets a second at 10 % loss: each second's share scatters by ~3 points.
        // Two minutes each, several runs: none ends near the minimum. The rule only holds in the
        // 2-12 % band, so the rare second whose smoothed loss reads above 12 % costs a few
        // percent that never come back: it drifts down slowly (typically 150-300 kbit/s after
        // two minutes) but never to the floor.
        for (unsigned seed = 1; seed <= 8; ++seed) {
            std::mt19937 random(seed);
            std::binomial_distribution<int> lost(80, 0.10);
            BitrateController c(300000);
            for (int i = 0; i < 120; ++i)
                c.feedback(1, loss(lost(random) / 80.0));
            qInfo("seed %u: %lld bit/s after 120 s at 10 %% loss", seed,
                  static_cast<long long>(c.target()));
            QVERIFY2(c.target() >= 130000, qPrintable(QString::number(c.target())));
        }
    }

    void nonsenseLossIsIgnored()
    {
        BitrateController c(300000);
        c.feedback(1, loss(std::numeric_limits<double>::quiet_NaN()));
        QCOMPARE(c.target(), int64_t(300000));
        c.feedback(1, loss(-1));
        QCOMPARE(c.target(), int64_t(300000));
        c.feedback(1, loss(7)); // clamped to 1
        QVERIFY(c.target() < 300000);
    }

    void theStepGoesDownAfterTwoLowSamples()
    {
        BitrateController c(300000);
        BitrateFeedback f;
        f.rembBitsPerSecond = 150000; // 50 % of the maximum: LowerFrameRate
        c.feedback(1, f);
        QCOMPARE(c.step(), QualityStep::Full);
        c.feedback(1, f);
        QCOMPARE(c.step(), QualityStep::LowerFrameRate);
        f.rembBitsPerSecond = 100000; // 33 %: HalfResolution
        c.feedback(1, f);
        QCOMPARE(c.step(), QualityStep::LowerFrameRate);
        c.feedback(1, f);
        QCOMPARE(c.step(), QualityStep::HalfResolution);
    }

    void aSingleLowSampleDoesNotChangeTheStep()
    {
        BitrateController c(300000);
        BitrateFeedback low;
        low.rembBitsPerSecond = 100000;
        BitrateFeedback high;
        high.rembBitsPerSecond = 300000;
        c.feedback(2, high);
        for (int i = 0; i < 10; ++i) {
            c.feedback(1, low);
            c.removeLink(1); // the target back at the maximum before the next sample
            c.feedback(2, high);
            QCOMPARE(c.step(), QualityStep::Full);
        }
    }

    void theStepComesBackUpSlowlyAndOneAtATime()
    {
        BitrateController c(300000);
        BitrateFeedback f;
        f.rembBitsPerSecond = 100000;
        c.feedback(1, f);
        c.feedback(1, f);
        QCOMPARE(c.step(), QualityStep::HalfResolution);
        f.rembBitsPerSecond = 300000;
        int samples = 0;
        while (c.step() == QualityStep::HalfResolution && samples < 50) {
            c.feedback(1, f);
            ++samples;
        }
        QCOMPARE(c.step(), QualityStep::LowerFrameRate);
        QVERIFY(samples >= BitrateController::kStepUpAfter);
        samples = 0;
        while (c.step() == QualityStep::LowerFrameRate && samples < 50) {
            c.feedback(1, f);
            ++samples;
        }
        QCOMPARE(c.step(), QualityStep::Full);
        QCOMPARE(samples, BitrateController::kStepUpAfter);
    }

    void aTargetJustAboveAThresholdDoesNotStepUp()
    {
        // 62 % of the maximum is above LowerFrameRate's 60 %, but not by the margin: no flapping.
        BitrateController c(300000);
        BitrateFeedback f;
        f.rembBitsPerSecond = 150000;
        c.feedback(1, f);
        c.feedback(1, f);
        QCOMPARE(c.step(), QualityStep::LowerFrameRate);
        f.rembBitsPerSecond = 186000;
        for (int i = 0; i < 30; ++i) {
            c.feedback(1, f);
            QCOMPARE(c.step(), QualityStep::LowerFrameRate);
        }
    }

    void stepNames()
    {
        QCOMPARE(QString(conclave::media::qualityStepName(QualityStep::Full)), QString("full"));
        QCOMPARE(QString(conclave::media::qualityStepName(QualityStep::LowerFrameRate)),
                 QString("lower_fps"));
        QCOMPARE(QString(conclave::media::qualityStepName(QualityStep::HalfResolution)),
                 QString("half_res"));
    }
};

QTEST_GUILESS_MAIN(TestBitrateController)
#include "tst_bitratecontroller.moc"
