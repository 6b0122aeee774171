// SPDX-License-Identifier: GPL-3.0-or-later
// Anti-rollback state: the accepted policy serial only goes up.
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

TimePoint at(const char* text)
{
    return parseUtcTimestamp(text).value();
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
    void rowEditedOutsideConclaveIsReported_data();
    void rowEditedOutsideConclaveIsReported();
    void rowsFromBeforeSigningAreSignedOnceOnUpgrade();
};

void TestPolicyStateStore::emptyUntilFirstAccepted()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(!store.highestSerial().value().has_value());
    QVERIFY(!store.current().value().has_value());
}

void TestPolicyStateStore::raisesAndPersists()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("conclave.db").toStdString();
    {
        auto db = Database::open(path);
        QVERIFY(db);
        PolicyStateStore store(**db);
        QVERIFY(store.recordAccepted(5, kHashA, at("2026-01-10T09:00:00Z")));
        QCOMPARE(store.highestSerial().value(), std::optional<uint64_t>(5));
        QVERIFY(store.recordAccepted(7, kHashB, at("2026-02-01T12:30:00Z")));
    }
    auto db = Database::open(path);
    QVERIFY(db);
    PolicyStateStore store(**db);
    QCOMPARE(store.highestSerial().value(), std::optional<uint64_t>(7));
    const auto state = store.current().value();
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
    QVERIFY(store.recordAccepted(7, kHashB, at("2026-02-01T12:30:00Z")));
    auto refused = store.recordAccepted(6, kHashC, at("2026-03-01T00:00:00Z"));
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, std::string("storage.rollback"));
    QVERIFY(QString::fromStdString(refused.error().message).contains("serial 7"));
    QCOMPARE(store.highestSerial().value(), std::optional<uint64_t>(7));
    QCOMPARE(store.current().value()->policyHashHex, kHashB);
}

void TestPolicyStateStore::sameSerialSameHashIsNoOp()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(store.recordAccepted(3, kHashA, at("2026-01-10T09:00:00Z")));
    QVERIFY(store.recordAccepted(3, kHashA, at("2026-01-11T09:00:00Z")));
    // The first acceptance time is kept: it is when this device started relying on it.
    QCOMPARE(formatUtcTimestamp(store.current().value()->acceptedAt),
             std::string("2026-01-10T09:00:00Z"));
}

void TestPolicyStateStore::sameSerialDifferentHashRefused()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(store.recordAccepted(3, kHashA, at("2026-01-10T09:00:00Z")));
    QCOMPARE(store.recordAccepted(3, kHashB, at("2026-01-10T09:00:00Z")).error().code,
             std::string("storage.serial_conflict"));
    QCOMPARE(store.current().value()->policyHashHex, kHashA);
}

void TestPolicyStateStore::refusesBadInput()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    const TimePoint t = at("2026-01-10T09:00:00Z");
    QCOMPARE(store.recordAccepted(1, "", t).error().code, std::string("storage.bad_policy_hash"));
    QCOMPARE(store.recordAccepted(1, "ABCD", t).error().code,
             std::string("storage.bad_policy_hash"));
    QCOMPARE(store.recordAccepted(1, "xyz", t).error().code,
             std::string("storage.bad_policy_hash"));
    QCOMPARE(store.recordAccepted(uint64_t(1) << 63, kHashA, t).error().code,
             std::string("storage.serial_out_of_range"));
    QVERIFY(!store.highestSerial().value().has_value());
}

void TestPolicyStateStore::schemaTriggerAlsoRefusesRollback()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    PolicyStateStore store(**db);
    QVERIFY(store.recordAccepted(9, kHashA, at("2026-01-10T09:00:00Z")));
    QVERIFY(!(*db)->exec("UPDATE policy_state SET highest_serial = 1"));
    QVERIFY(!(*db)->exec("DELETE FROM policy_state"));
    QCOMPARE(store.highestSerial().value(), std::optional<uint64_t>(9));
}

void TestPolicyStateStore::rowEditedOutsideConclaveIsReported_data()
{
    QTest::addColumn<QString>("edit");
    // Lowering the serial (a rollback), raising it (locks out every real policy), swapping the
    // hash, stripping the signature, and a row signed by another device's key.
    QTest::newRow("serial lowered")
        << "DROP TRIGGER policy_state_no_rollback; UPDATE policy_state SET highest_serial = 3";
    QTest::newRow("serial raised") << "UPDATE policy_state SET highest_serial = 999999";
    QTest::newRow("hash swapped") << "UPDATE policy_state SET policy_hash = '" +
                                         QString::fromStdString(kHashC) + "'";
    QTest::newRow("signature removed") << "UPDATE policy_state SET signature = NULL";
    QTest::newRow("other device") << "";
}

void TestPolicyStateStore::rowEditedOutsideConclaveIsReported()
{
    QFETCH(QString, edit);
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    const auto device = crypto::Ed25519SigningKey::generate();
    const auto other = crypto::Ed25519SigningKey::generate();
    {
        PolicyStateStore writer(**db, edit.isEmpty() ? &other : &device);
        QVERIFY(writer.recordAccepted(9, kHashA, at("2026-01-10T09:00:00Z")));
    }
    PolicyStateStore store(**db, &device);
    if (!edit.isEmpty()) {
        QCOMPARE(store.highestSerial().value(), std::optional<uint64_t>(9)); // untouched: fine
        QVERIFY((*db)->exec(edit.toStdString()));
    }
    auto read = store.highestSerial();
    QVERIFY(!read);
    QCOMPARE(read.error().code, std::string("storage.policy_state_unsigned"));
    QVERIFY(QString::fromStdString(read.error().message).contains("not signed by this device"));
    // Nor is a new policy recorded on top of a record that cannot be trusted.
    QVERIFY(!store.recordAccepted(10, kHashB, at("2026-02-01T12:30:00Z")));
}

void TestPolicyStateStore::rowsFromBeforeSigningAreSignedOnceOnUpgrade()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("conclave.db").toStdString();
    const auto device = crypto::Ed25519SigningKey::generate();
    {
        // A database as the release before signed rows left it: schema 2, an unsigned row.
        auto db = Database::open(path);
        QVERIFY(db);
        QVERIFY(PolicyStateStore(**db).recordAccepted(9, kHashA, at("2026-01-10T09:00:00Z")));
        QVERIFY((*db)->exec("ALTER TABLE policy_state DROP COLUMN signature; "
                            "PRAGMA user_version = 2"));
    }
    {
        auto db = Database::open(path); // the upgrade marks the row for signing
        QVERIFY(db);
        PolicyStateStore store(**db, &device);
        QCOMPARE(store.highestSerial().error().code, std::string("storage.policy_state_unsigned"));
        QCOMPARE(store.signUnsignedRows().value(), 1);
        QCOMPARE(store.highestSerial().value(), std::optional<uint64_t>(9));
    }
    auto db = Database::open(path);
    QVERIFY(db);
    PolicyStateStore store(**db, &device);
    QCOMPARE(store.signUnsignedRows().value(), 0); // once only
    QCOMPARE(store.highestSerial().value(), std::optional<uint64_t>(9));
    QVERIFY(store.recordAccepted(10, kHashB, at("2026-02-01T12:30:00Z")));
    QCOMPARE(store.highestSerial().value(), std::optional<uint64_t>(10));

    // Later, an edited row stripped of its signature is not adopted.
    QVERIFY((*db)->exec("UPDATE policy_state SET highest_serial = 20, signature = NULL"));
    QCOMPARE(store.signUnsignedRows().value(), 0);
    QCOMPARE(store.highestSerial().error().code, std::string("storage.policy_state_unsigned"));
}

QTEST_GUILESS_MAIN(TestPolicyStateStore)
#include "tst_policystatestore.moc"
