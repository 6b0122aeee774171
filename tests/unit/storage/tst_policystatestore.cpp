// SPDX-License-Identifier: GPL-3.0-or-later
// Anti-rollback state: the accepted policy serial of each authority only goes up, and with the
// device key every row is signed and checked, so an edit outside Conclave is reported.
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
    void rowEditedOutsideConclaveIsReported_data();
    void rowEditedOutsideConclaveIsReported();
    void signedRowsStillObeyTheTriggers();
    void rowsFromSchema3AreSignedOnceOnUpgrade();
    void upgradeFromSchema2StartsAfreshWithNothingToAdopt();
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

void TestPolicyStateStore::rowEditedOutsideConclaveIsReported_data()
{
    QTest::addColumn<QString>("edit");
    // Lowering the serial (a rollback), raising it (locks out every real policy), swapping the
    // hash, stripping the signature, moving the row to another authority, and a row signed by
    // another device's key.
    QTest::newRow("serial lowered") << "DROP TRIGGER policy_serials_no_rollback; "
                                       "UPDATE policy_serials SET highest_serial = 3";
    QTest::newRow("serial raised") << "UPDATE policy_serials SET highest_serial = 999999";
    QTest::newRow("hash swapped") << "UPDATE policy_serials SET policy_hash = '" +
                                         QString::fromStdString(kHashC) + "'";
    QTest::newRow("signature removed") << "UPDATE policy_serials SET signature = NULL";
    QTest::newRow("moved to another authority")
        << "DROP TRIGGER policy_serials_same_authority; UPDATE policy_serials SET authority = '" +
               QString::fromStdString(kSelfMade) + "'";
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
        QVERIFY(writer.recordAccepted(kOrg, 9, kHashA, at("2026-01-10T09:00:00Z")));
    }
    PolicyStateStore store(**db, &device);
    if (!edit.isEmpty()) {
        QCOMPARE(highest(store), std::optional<uint64_t>(9)); // untouched: fine
        QVERIFY((*db)->exec(edit.toStdString()));
    }
    auto read = store.highestSerials();
    QVERIFY(!read);
    QCOMPARE(read.error().code, std::string("storage.policy_state_unsigned"));
    QVERIFY2(QString::fromStdString(read.error().message).contains("not signed by this device"),
             read.error().message.c_str());
    const std::string authority = edit.contains("authority") ? kSelfMade : kOrg;
    QCOMPARE(store.current(authority).error().code, std::string("storage.policy_state_unsigned"));
    // Nor is a new policy recorded on top of a record that cannot be trusted, for this
    // authority or any other.
    QCOMPARE(store.recordAccepted(kOrg, 10, kHashB, at("2026-02-01T12:30:00Z")).error().code,
             std::string("storage.policy_state_unsigned"));
    QCOMPARE(store.recordAccepted("aaaa", 1, kHashB, at("2026-02-01T12:30:00Z")).error().code,
             std::string("storage.policy_state_unsigned"));
    // A store without a device key (the hub's own ledger) neither signs nor checks.
    PolicyStateStore keyless(**db);
    QVERIFY(keyless.highestSerials());
}

void TestPolicyStateStore::signedRowsStillObeyTheTriggers()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    const auto device = crypto::Ed25519SigningKey::generate();
    PolicyStateStore store(**db, &device);
    QVERIFY(store.recordAccepted(kOrg, 9, kHashA, at("2026-01-10T09:00:00Z")));
    QVERIFY(store.recordAccepted(kSelfMade, 4, kHashB, at("2026-01-11T09:00:00Z")));
    QVERIFY(!(*db)->exec("UPDATE policy_serials SET highest_serial = 1"));
    QVERIFY(!(*db)->exec("UPDATE policy_serials SET authority = 'aaaa' WHERE authority = '" +
                         kSelfMade + "'"));
    QVERIFY(!(*db)->exec("DELETE FROM policy_serials"));
    QCOMPARE(store.recordAccepted(kOrg, 8, kHashC, at("2026-02-01T09:00:00Z")).error().code,
             std::string("storage.rollback"));
    // A signed raise keeps the record readable, per authority.
    QVERIFY(store.recordAccepted(kOrg, 10, kHashC, at("2026-02-01T09:00:00Z")));
    QCOMPARE(highest(store), std::optional<uint64_t>(10));
    QCOMPARE(highest(store, kSelfMade), std::optional<uint64_t>(4));
    QCOMPARE(store.current(kOrg).value()->policyHashHex, kHashC);
}

void TestPolicyStateStore::rowsFromSchema3AreSignedOnceOnUpgrade()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("conclave.db").toStdString();
    const auto device = crypto::Ed25519SigningKey::generate();
    {
        // A database as schema 3 left it: per-authority rows without signatures.
        auto db = Database::open(path);
        QVERIFY(db);
        PolicyStateStore old(**db);
        QVERIFY(old.recordAccepted(kOrg, 9, kHashA, at("2026-01-10T09:00:00Z")));
        QVERIFY(old.recordAccepted(kSelfMade, 2, kHashB, at("2026-01-11T09:00:00Z")));
        QVERIFY((*db)->exec("ALTER TABLE policy_serials DROP COLUMN signature; "
                            "PRAGMA user_version = 3"));
    }
    {
        auto db = Database::open(path); // the upgrade marks the rows for signing
        QVERIFY(db);
        PolicyStateStore store(**db, &device);
        QCOMPARE(store.highestSerials().error().code, std::string("storage.policy_state_unsigned"));
        QCOMPARE(store.signUnsignedRows().value(), 2);
        QCOMPARE(highest(store), std::optional<uint64_t>(9));
        QCOMPARE(highest(store, kSelfMade), std::optional<uint64_t>(2));
    }
    auto db = Database::open(path);
    QVERIFY(db);
    PolicyStateStore store(**db, &device);
    QCOMPARE(store.signUnsignedRows().value(), 0); // once only
    QCOMPARE(highest(store), std::optional<uint64_t>(9));
    QVERIFY(store.recordAccepted(kOrg, 10, kHashC, at("2026-02-01T12:30:00Z")));
    QCOMPARE(highest(store), std::optional<uint64_t>(10));

    // Later, an edited row stripped of its signature is not adopted.
    QVERIFY((*db)->exec("UPDATE policy_serials SET highest_serial = 20, signature = NULL"));
    QCOMPARE(store.signUnsignedRows().value(), 0);
    QCOMPARE(store.highestSerials().error().code, std::string("storage.policy_state_unsigned"));
}

void TestPolicyStateStore::upgradeFromSchema2StartsAfreshWithNothingToAdopt()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("conclave.db").toStdString();
    const auto device = crypto::Ed25519SigningKey::generate();
    {
        // A database as the release before per-authority serials left it: schema 2, the single
        // policy_state row (serial 9, whose signer was never recorded).
        auto db = Database::open(path);
        QVERIFY(db);
        QVERIFY((*db)->exec("DROP TABLE policy_serials; "
                            "INSERT INTO policy_state (id, highest_serial, policy_hash, "
                            "accepted_at) VALUES (1, 9, '" +
                            kHashA + "', '2026-01-10T09:00:00Z'); PRAGMA user_version = 2"));
    }
    auto db = Database::open(path);
    QVERIFY(db);
    QCOMPARE((*db)->pragmaInt("user_version").value(), int64_t(4));
    PolicyStateStore store(**db, &device);
    // The per-authority record starts empty and signed rows begin with the first acceptance;
    // the old row is not adopted into it (it names no authority), so nothing is marked.
    QVERIFY(store.highestSerials().value().empty());
    QCOMPARE(store.signUnsignedRows().value(), 0);
    QVERIFY(store.recordAccepted(kOrg, 3, kHashB, at("2026-02-01T12:30:00Z")));
    QCOMPARE(highest(store), std::optional<uint64_t>(3));
    auto kept = (*db)->prepare("SELECT highest_serial FROM policy_state");
    QVERIFY(kept && kept->step().value());
    QCOMPARE(kept->columnInt64(0), int64_t(9)); // left as history
}

QTEST_GUILESS_MAIN(TestPolicyStateStore)
#include "tst_policystatestore.moc"
