// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/Iso8601.h"

#include <QtTest>

using namespace conclave;

class TestIso8601 : public QObject {
    Q_OBJECT

private slots:
    void roundTrips_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z";
        QTest::newRow("leap day") << "2028-02-29T23:59:59Z";
        QTest::newRow("far future") << "2099-12-31T12:30:05Z";
    }
    void roundTrips()
    {
        QFETCH(QString, text);
        auto t = parseUtcTimestamp(text.toStdString());
        QVERIFY(t.ok());
        QCOMPARE(QString::fromStdString(formatUtcTimestamp(*t)), text);
    }

    void knowsTheEpoch()
    {
        auto t = parseUtcTimestamp("1970-01-02T00:00:01Z");
        QVERIFY(t.ok());
        QCOMPARE(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count(),
                 qint64{86401});
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("no zone") << "2026-01-01T00:00:00";
        QTest::newRow("offset") << "2026-01-01T00:00:00+01:00";
        QTest::newRow("no seconds") << "2026-01-01T00:00Z";
        QTest::newRow("not a leap year") << "2027-02-29T00:00:00Z";
        QTest::newRow("month 13") << "2026-13-01T00:00:00Z";
        QTest::newRow("hour 24") << "2026-01-01T24:00:00Z";
        QTest::newRow("letters") << "2026-0a-01T00:00:00Z";
        QTest::newRow("lower-case z") << "2026-01-01T00:00:00z";
        QTest::newRow("empty") << "";
    }
    void refuses()
    {
        QFETCH(QString, text);
        auto t = parseUtcTimestamp(text.toStdString());
        QVERIFY(!t.ok());
        QCOMPARE(t.error().code, std::string("time.invalid"));
        QVERIFY(t.error().message.find("2026-01-31T09:00:00Z") != std::string::npos);
    }

    void validatesDates()
    {
        QVERIFY(isValidDate(2000, 2, 29));  // divisible by 400
        QVERIFY(!isValidDate(2100, 2, 29)); // divisible by 100, not by 400
        QVERIFY(!isValidDate(2026, 4, 31));
        QVERIFY(isValidDate(2026, 12, 31));
    }
};

QTEST_GUILESS_MAIN(TestIso8601)
#include "tst_iso8601.moc"
