// SPDX-License-Identifier: GPL-3.0-or-later
// Anti-rollback state: the accepted policy serial of each authority only goes up.
#include "common/Iso8601.h"
#include "storage/Database.h"
#include "storage/PolicyStateStore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace conclave;
using namespace conclave::storage;

namespace {

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');
const std::string kHashC(64, 'c');
const std::string kOrg = "0123456789abcdef";      // the organisation's authority
const std::string kSelfMade = "fedcba9876543210"; // an authority someone made themselves

TimePoint at(const char* text)
{
    return parseUtcTimestamp(text).value();
}

std::optional<uint64_t> highest(PolicyStateStore& store, const std::string& authority = kOrg)
{
    const HighestSerials all = store.highestSerials().value();
    const auto it = all.find(authority);
    return it == all.end() ? std::nullopt : std::optional<uint64_t>(it->second);
}

} // namespace

class TestPolicyStateStore : public QObject {
    Q_OBJECT

private slots:
    void emptyUntilFirstAccepted();
    void raisesAndPersists();
    void refusesLowerSerial();
    void sameSerialSameHashIsNoOp();
    void sameSerialDifferentHashRefused();
    void refusesBadInput();
    void schemaTriggerAlsoRefusesRollback();
    void eachAuthorityHasItsOwnFloor();
};

void TestPolicyStateStore::emptyUntilFirstAccepted()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(!highest(store).has_value());
    QVERIFY(!store.current(kOrg).value().has_value());
}

void TestPolicyStateStore::raisesAndPersists()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("conclave.db").toStdString();
    {
        auto db = Database::open(path);
        QVERIFY(db);
        PolicyStateStore store(**db);
        QVERIFY(store.recordAccepted(kOrg, 5, kHashA, at("2026-01-10T09:00:00Z")));
        QCOMPARE(highest(store), std::optional<uint64_t>(5));
        QVERIFY(store.recordAccepted(kOrg, 7, kHashB, at("2026-02-01T12:30:00Z")));
    }
    auto db = Database::open(path);
    QVERIFY(db);
    PolicyStateStore store(**db);
    QCOMPARE(highest(store), std::optional<uint64_t>(7));
    const auto state = store.current(kOrg).value();
    QVERIFY(state);
    QCOMPARE(state->policyHashHex, kHashB);
    QCOMPARE(formatUtcTimestamp(state->acceptedAt), std::string("2026-02-01T12:30:00Z"));
}

void TestPolicyStateStore::refusesLowerSerial()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(store.recordAccepted(kOrg, 7, kHashB, at("2026-02-01T12:30:00Z")));
    auto refused = store.recordAccepted(kOrg, 6, kHashC, at("2026-03-01T00:00:00Z"));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, std::string("storage.rollback"));
    QVERIFY(QString::fromStdString(refused.error().message).contains("serial 7"));
    QCOMPARE(highest(store), std::optional<uint64_t>(7));
    QCOMPARE(store.current(kOrg).value()->policyHashHex, kHashB);
}

void TestPolicyStateStore::sameSerialSameHashIsNoOp()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(store.recordAccepted(kOrg, 3, kHashA, at("2026-01-10T09:00:00Z")));
    QVERIFY(store.recordAccepted(kOrg, 3, kHashA, at("2026-01-11T09:00:00Z")));
    // The first acceptance time is kept: it is when this device started relying on it.
    QCOMPARE(formatUtcTimestamp(store.current(kOrg).value()->acceptedAt),
             std::string("2026-01-10T09:00:00Z"));
}

void TestPolicyStateStore::sameSerialDifferentHashRefused()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(store.recordAccepted(kOrg, 3, kHashA, at("2026-01-10T09:00:00Z")));
    QCOMPARE(store.recordAccepted(kOrg, 3, kHashB, at("2026-01-10T09:00:00Z")).error().code,
             std::string("storage.serial_conflict"));
    QCOMPARE(store.current(kOrg).value()->policyHashHex, kHashA);
}

void TestPolicyStateStore::refusesBadInput()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    const TimePoint t = at("2026-01-10T09:00:00Z");
    QCOMPARE(store.recordAccepted(kOrg, 1, "", t).error().code,
             std::string("storage.bad_policy_hash"));
    QCOMPARE(store.recordAccepted(kOrg, 1, "ABCD", t).error().code,
             std::string("storage.bad_policy_hash"));
    QCOMPARE(store.recordAccepted(kOrg, 1, "xyz", t).error().code,
             std::string("storage.bad_policy_hash"));
    QCOMPARE(store.recordAccepted(kOrg, uint64_t(1) << 63, kHashA, t).error().code,
             std::string("storage.serial_out_of_range"));
    QVERIFY(!highest(store).has_value());
}

void TestPolicyStateStore::schemaTriggerAlsoRefusesRollback()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(store.recordAccepted(kOrg, 9, kHashA, at("2026-01-10T09:00:00Z")));
    QVERIFY(!(*db)->exec("UPDATE policy_serials SET highest_serial = 1"));
    QVERIFY(!(*db)->exec("UPDATE policy_serials SET authority = 'aaaa'"));
    QVERIFY(!(*db)->exec("DELETE FROM policy_serials"));
    QCOMPARE(highest(store), std::optional<uint64_t>(9));
}

void TestPolicyStateStore::eachAuthorityHasItsOwnFloor()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(store.recordAccepted(kOrg, 7, kHashA, at("2026-01-10T09:00:00Z")));
    // A self-made authority's huge serial is recorded under that authority only ...
    QVERIFY(store.recordAccepted(kSelfMade, uint64_t(1) << 62, kHashB, at("2026-01-11T09:00:00Z")));
    QCOMPARE(highest(store, kSelfMade), std::optional<uint64_t>(uint64_t(1) << 62));
    QCOMPARE(highest(store), std::optional<uint64_t>(7));
    // ... so the organisation's next policy is still accepted, and its floor still holds.
    QVERIFY(store.recordAccepted(kOrg, 8, kHashC, at("2026-02-01T09:00:00Z")));
    QCOMPARE(store.recordAccepted(kOrg, 7, kHashA, at("2026-02-02T09:00:00Z")).error().code,
             std::string("storage.rollback"));
    QCOMPARE(store.recordAccepted("Not Hex", 1, kHashA, at("2026-02-02T09:00:00Z")).error().code,
             std::string("storage.bad_authority"));
}

QTEST_GUILESS_MAIN(TestPolicyStateStore)
#include "tst_policystatestore.moc"
