// SPDX-License-Identifier: GPL-3.0-or-later
// BoundedMap/BoundedSet: the records kept about identities anyone can mint stay within their
// capacity, forgetting the oldest first.
#include "common/BoundedMap.h"
#include "common/BoundedSet.h"

#include <QtTest>

#include <string>

using namespace conclave;

class TestBoundedMap : public QObject {
    Q_OBJECT

private slots:
    void holdsAtMostItsCapacityForgettingTheOldest()
    {
        BoundedMap<std::string, int> m(3);
        for (int i = 0; i < 100000; ++i)
            ++m["id" + std::to_string(i)];
        QCOMPARE(m.size(), size_t(3));
        QVERIFY(m.contains("id99999"));
        QVERIFY(m.contains("id99997"));
        QVERIFY(!m.contains("id99996"));
    }

    void anEntryKeepsItsPlaceWhenUpdatedAndStartsAgainWhenReadded()
    {
        BoundedMap<std::string, int> m(2);
        m["a"] = 1;
        m["b"] = 1;
        ++m["a"]; // an update is not a new entry: "a" is still the oldest
        m["c"] = 1;
        QVERIFY(!m.contains("a"));
        QVERIFY(m.erase("b"));
        m["b"] = 5; // added again: now the newest
        m["d"] = 1;
        QVERIFY(!m.contains("c"));
        QCOMPARE(*m.find("b"), 5);
        QVERIFY(m.contains("d"));
    }

    void erasingAndReaddingDoesNotGrowWithoutEnd()
    {
        BoundedMap<int, int> m(4);
        for (int i = 0; i < 100000; ++i) {
            m[i % 3] = i;
            m.erase(i % 3);
        }
        QCOMPARE(m.size(), size_t(0));
        m[1] = 1;
        QCOMPARE(*m.find(1), 1);
    }

    void aSetStandsInForStdSet()
    {
        BoundedSet<std::string> s(2);
        s.insert("x");
        s.insert("y");
        s.insert("x");
        QCOMPARE(s.count("x"), size_t(1));
        s.insert("z");
        QCOMPARE(s.size(), size_t(2));
        QCOMPARE(s.count("x"), size_t(0));
        QCOMPARE(s.erase("y"), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestBoundedMap)
#include "tst_boundedmap.moc"
