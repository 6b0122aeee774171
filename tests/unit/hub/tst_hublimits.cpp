// SPDX-License-Identifier: GPL-3.0-or-later
// Token buckets and per-source limits.
#include "hub/SourceLimiter.h"
#include "hub/TokenBucket.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using std::chrono::milliseconds;
using std::chrono::seconds;

class TestHubLimits : public QObject {
    Q_OBJECT

    const TimePoint t0 = TimePoint(seconds(1800000000));

private slots:
    void bucketAllowsABurstThenTheRate()
    {
        TokenBucket bucket(10, 20, t0);
        int taken = 0;
        while (bucket.take(t0))
            ++taken;
        QCOMPARE(taken, 20);
        QVERIFY(!bucket.take(t0 + milliseconds(50)));
        QVERIFY(bucket.take(t0 + milliseconds(100)));
        QVERIFY(!bucket.take(t0 + milliseconds(150)));
        QVERIFY(!bucket.isFull(t0 + seconds(1)));
        QVERIFY(bucket.isFull(t0 + seconds(3)));
        // Refill never exceeds the burst.
        int later = 0;
        while (bucket.take(t0 + seconds(100)))
            ++later;
        QCOMPARE(later, 20);
    }

    void aClockSteppingBackMintsNothing()
    {
        TokenBucket bucket(1, 2, t0);
        QVERIFY(bucket.take(t0));
        QVERIFY(bucket.take(t0));
        QVERIFY(!bucket.take(t0 - seconds(3600)));
        QVERIFY(!bucket.take(t0));
        QVERIFY(bucket.take(t0 + seconds(1)));
    }

    void sourcesAreAddressesOrIpv6Slash64()
    {
        QCOMPARE(SourceLimiter::sourceKey(QHostAddress(QStringLiteral("192.0.2.7"))),
                 QStringLiteral("192.0.2.7"));
        QCOMPARE(SourceLimiter::sourceKey(QHostAddress(QStringLiteral("::ffff:192.0.2.7"))),
                 QStringLiteral("192.0.2.7"));
        const QString a = SourceLimiter::sourceKey(QHostAddress(QStringLiteral("2001:db8:1:2::1")));
        const QString b =
            SourceLimiter::sourceKey(QHostAddress(QStringLiteral("2001:db8:1:2:ffff:1:2:3")));
        const QString c = SourceLimiter::sourceKey(QHostAddress(QStringLiteral("2001:db8:1:3::1")));
        QCOMPARE(a, b);
        QVERIFY(a != c);
        QVERIFY(a.endsWith(QStringLiteral("/64")));
    }

    void countsConnectionsAndKnocksPerSource()
    {
        HubLimits limits;
        limits.maxConnectionsPerSource = 2;
        limits.maxConnections = 3;
        limits.knockRate = 1;
        limits.knockBurst = 2;
        SourceLimiter s(limits);
        const QString a = QStringLiteral("192.0.2.1"), b = QStringLiteral("192.0.2.2");
        QVERIFY(s.openConnection(a).ok());
        QVERIFY(s.openConnection(a).ok());
        QCOMPARE(s.openConnection(a).error().code, std::string("connections.per_source"));
        QVERIFY(s.openConnection(b).ok());
        QCOMPARE(s.openConnection(b).error().code, std::string("connections.total"));
        QCOMPARE(s.connections(), 3);
        s.closeConnection(a);
        QCOMPARE(s.connectionsFrom(a), 1);
        s.closeConnection(QStringLiteral("192.0.2.99")); // unknown: ignored
        QCOMPARE(s.connections(), 2);

        QVERIFY(s.takeKnock(a, t0));
        QVERIFY(s.takeKnock(a, t0));
        QVERIFY(!s.takeKnock(a, t0));
        QVERIFY(s.takeKnock(b, t0)); // every source has its own bucket

        s.closeConnection(a);
        s.closeConnection(b);
        s.prune(t0); // a's bucket is empty: remembered
        QCOMPARE(s.trackedSources(), size_t(2));
        s.prune(t0 + seconds(10)); // refilled and unconnected: forgotten
        QCOMPARE(s.trackedSources(), size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestHubLimits)
#include "tst_hublimits.moc"
