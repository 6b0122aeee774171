// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ReplayWindow.h"

#include <QtTest>

#include <algorithm>
#include <iterator>
#include <random>
#include <set>

using namespace conclave::crypto;

class TestReplayWindow : public QObject {
    Q_OBJECT

private slots:
    void edges()
    {
        ReplayWindow window;
        QVERIFY(window.empty());
        QVERIFY(window.check(500) == ReplayWindow::Verdict::Fresh);
        window.commit(500);
        QVERIFY(window.check(500) == ReplayWindow::Verdict::Replayed);
        QVERIFY(window.check(372) == ReplayWindow::Verdict::Fresh); // 128 below
        QVERIFY(window.check(371) == ReplayWindow::Verdict::TooOld);
        QVERIFY(window.check(0) == ReplayWindow::Verdict::TooOld);
        window.commit(372);
        window.commit(435); // 65 below: the first bit of the second word
        window.commit(436); // 64 below: the last bit of the first word
        QVERIFY(window.check(372) == ReplayWindow::Verdict::Replayed);
        QVERIFY(window.check(435) == ReplayWindow::Verdict::Replayed);
        QVERIFY(window.check(436) == ReplayWindow::Verdict::Replayed);
        QVERIFY(window.check(434) == ReplayWindow::Verdict::Fresh);
        QVERIFY(window.check(437) == ReplayWindow::Verdict::Fresh);

        // Moving by 64 carries the first word into the second: 436 is now at the far edge.
        window.commit(564);
        QCOMPARE(window.highest(), uint64_t(564));
        QVERIFY(window.check(500) == ReplayWindow::Verdict::Replayed);
        QVERIFY(window.check(436) == ReplayWindow::Verdict::Replayed);
        QVERIFY(window.check(435) == ReplayWindow::Verdict::TooOld);
        QVERIFY(window.check(437) == ReplayWindow::Verdict::Fresh);
        QVERIFY(window.check(501) == ReplayWindow::Verdict::Fresh);

        // A jump of exactly 128 keeps only the old highest, at the far edge.
        window.commit(692);
        QVERIFY(window.check(564) == ReplayWindow::Verdict::Replayed);
        QVERIFY(window.check(565) == ReplayWindow::Verdict::Fresh);
        QVERIFY(window.check(563) == ReplayWindow::Verdict::TooOld);
        QVERIFY(window.check(500) == ReplayWindow::Verdict::TooOld);
        // A jump of more than 128 forgets everything below.
        window.commit(821);
        QVERIFY(window.check(692) == ReplayWindow::Verdict::TooOld);
        QVERIFY(window.check(693) == ReplayWindow::Verdict::Fresh);
        QVERIFY(window.check(820) == ReplayWindow::Verdict::Fresh);
    }

    void startsAnywhere()
    {
        // The first counter accepted may be anything, including 0 and values near 2^48.
        for (uint64_t first : {uint64_t(0), uint64_t(1), uint64_t(127), (uint64_t(1) << 48) - 1}) {
            ReplayWindow window;
            window.commit(first);
            QVERIFY(window.check(first) == ReplayWindow::Verdict::Replayed);
            QVERIFY(window.check(first + 1) == ReplayWindow::Verdict::Fresh);
            if (first > 0)
                QVERIFY(window.check(first - 1) == ReplayWindow::Verdict::Fresh);
        }
    }

    void replayWindowMatchesModel()
    {
        // Against a plain model (set of accepted counters), with jumps across the 64-bit word
        // boundary and the window edge, and some frames "failing authentication" (no commit).
        std::mt19937_64 random(2024);
        ReplayWindow window;
        std::set<uint64_t> accepted;
        uint64_t highest = 1000;
        const int64_t jumps[] = {1, 2, 63, 64, 65, 127, 128, 129, 130, 500};
        for (int step = 0; step < 200000; ++step) {
            int64_t delta = int64_t(random() % 300) - 150;
            if (random() % 8 == 0)
                delta = jumps[random() % std::size(jumps)];
            const uint64_t counter = uint64_t(std::max<int64_t>(0, int64_t(highest) + delta));
            ReplayWindow::Verdict expected = ReplayWindow::Verdict::Fresh;
            if (!accepted.empty() && counter <= highest) {
                if (highest - counter > ReplayWindow::kSize)
                    expected = ReplayWindow::Verdict::TooOld;
                else if (accepted.count(counter))
                    expected = ReplayWindow::Verdict::Replayed;
            }
            QCOMPARE(int(window.check(counter)), int(expected));
            if (expected == ReplayWindow::Verdict::Fresh && random() % 5 != 0) {
                window.commit(counter);
                highest = accepted.empty() ? counter : std::max(highest, counter);
                accepted.insert(counter);
            }
        }
        QCOMPARE(window.highest(), highest);
    }
};

QTEST_GUILESS_MAIN(TestReplayWindow)
#include "tst_replaywindow.moc"
