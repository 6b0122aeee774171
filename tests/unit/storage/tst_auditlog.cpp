// SPDX-License-Identifier: GPL-3.0-or-later
// The audit log: append-only, hash-chained and signed; every way of editing the file behind
// its back must show up in verify(), naming the entry.
#include "StorageTestHelpers.h"
#include "storage/AuditChain.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"

#include <QTemporaryDir>
#include <QTest>

using namespace conclave;
using namespace conclave::storage;
using conclave::storage::test::fileBytes;
using conclave::storage::test::rawExec;
using conclave::storage::test::writeFileBytes;

namespace {

QByteArray tagFor(int n)
{
    return QStringLiteral("entry-%1-x7q").arg(n, 4, 10, QLatin1Char('0')).toLatin1();
}

std::string detailFor(int n)
{
    return QStringLiteral(R"({"n":%1,"tag":"%2"})")
        .arg(n)
        .arg(QString::fromLatin1(tagFor(n)))
        .toStdString();
}

// A database with `count` entries written by `key`, and the path it lives at.
struct Fixture {
    QTemporaryDir dir;
    QString path = dir.filePath("conclave.db");
    FixedClock clock{TimePoint{std::chrono::seconds{1767225600}}};
    crypto::Ed25519SigningKey key = crypto::Ed25519SigningKey::generate();
    std::unique_ptr<Database> db;

    bool open()
    {
        auto opened = Database::open(path.toStdString());
        if (!opened) {
            qWarning("%s", opened.error().message.c_str());
            return false;
        }
        db = std::move(*opened);
        return true;
    }

    bool fill(int count)
    {
        AuditLog log(*db, key, clock);
        for (int i = 1; i <= count; ++i) {
            clock.advance(std::chrono::seconds{7});
            auto id =
                log.append(i % 2 ? "meeting.admit" : "policy.refused",
                           i % 3 ? "OFFICIAL-SENSITIVE" : "SECRET UK EYES ONLY", detailFor(i));
            if (!id || *id != i)
                return false;
        }
        return true;
    }

    AuditVerification verify()
    {
        AuditLog log(*db, key, clock);
        auto v = log.verify(key.publicKey());
        if (!v)
            qWarning("%s", v.error().message.c_str());
        return v ? *v : AuditVerification{};
    }
};

#define VERIFY_BROKEN_AT(verification, entry, words)                                               \
    do {                                                                                           \
        const AuditVerification& v_ = (verification);                                              \
        QVERIFY2(!v_.intact, v_.reason.c_str());                                                   \
        QCOMPARE(v_.firstBrokenEntry, std::optional<int64_t>(entry));                              \
        QVERIFY2(QString::fromStdString(v_.reason).contains(words), v_.reason.c_str());            \
    } while (false)

} // namespace

class TestAuditLog : public QObject {
    Q_OBJECT

private slots:
    void hundredEntriesVerifyIntact();
    void hashChainFormat();
    void sealOnDemand();
    void chainContinuesAcrossReopen();
    void refusesBadEntries();
    void tableRefusesUpdateAndDelete();
    void editThroughSecondConnectionDetected();
    void editOfFileBytesDetected();
    void deletedEntryReportedAsGap();
    void forgedSealSignatureReported();
    void rewrittenChainCaughtBySeal();
    void removedSealReported();
    void otherKeyReported();
};

void TestAuditLog::hundredEntriesVerifyIntact()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(100));
    const AuditVerification v = f.verify();
    QVERIFY2(v.intact, v.reason.c_str());
    QCOMPARE(v.entries, int64_t(100));
    QCOMPARE(v.seals, int64_t(3)); // after entries 32, 64 and 96
    QVERIFY(!v.firstBrokenEntry);

    AuditLog log(*f.db, f.key, f.clock);
    auto page = log.entries(30, 5);
    QVERIFY(page);
    QCOMPARE(page->size(), size_t(5));
    QCOMPARE(page->front().id, int64_t(30));
    QCOMPARE(page->back().id, int64_t(34));
    QCOMPARE(page->front().detail, detailFor(30));
    QCOMPARE(page->front().marking, std::string("SECRET UK EYES ONLY"));
    QCOMPARE(page->front().category, std::string("policy.refused"));
    QCOMPARE(log.entries(99, 50)->size(), size_t(2));
}

void TestAuditLog::hashChainFormat()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(2));
    AuditLog log(*f.db, f.key, f.clock);
    const auto rows = log.entries(1, 10).value();
    QCOMPARE(rows.size(), size_t(2));
    QCOMPARE(rows[0].prevHash, auditchain::genesisHash());
    QCOMPARE(rows[0].at, std::string("2026-01-01T00:00:07Z"));
    QCOMPARE(rows[0].hash, auditchain::entryHash(rows[0].prevHash, 1, rows[0].at, rows[0].category,
                                                 rows[0].marking, rows[0].detail));
    QCOMPARE(rows[1].prevHash, rows[0].hash);
    QCOMPARE(rows[1].hash.size(), size_t(32));
}

void TestAuditLog::sealOnDemand()
{
    Fixture f;
    QVERIFY(f.open());
    AuditLog log(*f.db, f.key, f.clock);
    QVERIFY(log.seal()); // nothing to seal yet
    QCOMPARE(f.verify().seals, int64_t(0));
    QVERIFY(f.fill(40));
    QCOMPARE(f.verify().seals, int64_t(1));
    QVERIFY(log.seal());
    QCOMPARE(f.verify().seals, int64_t(2));
    QVERIFY(log.seal()); // the latest entry is already sealed
    const AuditVerification v = f.verify();
    QVERIFY2(v.intact, v.reason.c_str());
    QCOMPARE(v.seals, int64_t(2));
}

void TestAuditLog::chainContinuesAcrossReopen()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(40));
    f.db.reset();
    QVERIFY(f.open());
    AuditLog log(*f.db, f.key, f.clock);
    for (int i = 41; i <= 70; ++i)
        QCOMPARE(log.append("meeting.end", "", detailFor(i)).value(), int64_t(i));
    const AuditVerification v = f.verify();
    QVERIFY2(v.intact, v.reason.c_str());
    QCOMPARE(v.entries, int64_t(70));
    QCOMPARE(v.seals, int64_t(2)); // 32 and 64: the interval counts across restarts
}

void TestAuditLog::refusesBadEntries()
{
    Fixture f;
    QVERIFY(f.open());
    AuditLog log(*f.db, f.key, f.clock);
    QCOMPARE(log.append("x", "", "not json").error().code, std::string("storage.audit_invalid"));
    QCOMPARE(log.append("x", "", "[1,2]").error().code, std::string("storage.audit_invalid"));
    QCOMPARE(log.append("x", "", "").error().code, std::string("storage.audit_invalid"));
    QCOMPARE(log.append("", "", "{}").error().code, std::string("storage.audit_invalid"));
    QCOMPARE(log.append("x", "", std::string(70000, ' ')).error().code,
             std::string("storage.audit_invalid"));
    QCOMPARE(f.verify().entries, int64_t(0));
    QCOMPARE(log.append("x", "", R"({"ok":true})").value(), int64_t(1));
}

void TestAuditLog::tableRefusesUpdateAndDelete()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(33));
    for (const char* sql :
         {"UPDATE audit_log SET detail = '{}' WHERE id = 3", "DELETE FROM audit_log WHERE id = 3",
          "UPDATE audit_seals SET entry_id = 1", "DELETE FROM audit_seals"}) {
        auto r = f.db->exec(sql);
        QVERIFY2(!r, sql);
        QCOMPARE(r.error().code, std::string("storage.constraint"));
    }
    QVERIFY(f.verify().intact);
}

void TestAuditLog::editThroughSecondConnectionDetected()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(100));
    // Someone with write access to the file, using any SQLite tool, while Conclave runs.
    QCOMPARE(rawExec(f.path, "DROP TRIGGER audit_log_no_update;"
                             "UPDATE audit_log SET detail = '{\"n\":37,\"tag\":\"harmless\"}' "
                             "WHERE id = 37;"),
             QString());
    VERIFY_BROKEN_AT(f.verify(), 37, "entry 37 does not match its stored hash");
}

void TestAuditLog::editOfFileBytesDetected()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(100));
    QVERIFY(f.db->checkpoint()); // so every entry is in the main file, not the log
    f.db.reset();

    QByteArray bytes = fileBytes(f.path);
    const QByteArray tag = tagFor(37);
    QCOMPARE(bytes.count(tag), qsizetype(1));
    const qsizetype at = bytes.indexOf(tag) + tag.size() - 3;
    QCOMPARE(bytes[at], 'x');
    bytes[at] = 'y'; // same length: the page stays well-formed, only the text differs
    QVERIFY(writeFileBytes(f.path, bytes));

    QVERIFY(f.open()); // structurally still a healthy database
    VERIFY_BROKEN_AT(f.verify(), 37, "entry 37 does not match its stored hash");
    AuditLog log(*f.db, f.key, f.clock);
    QVERIFY(QString::fromStdString(log.entries(37, 1).value().front().detail).contains("y7q"));
}

void TestAuditLog::deletedEntryReportedAsGap()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(100));
    QCOMPARE(
        rawExec(f.path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 50;"),
        QString());
    const AuditVerification v = f.verify();
    VERIFY_BROKEN_AT(v, 50, "entry 50 is missing");
    QCOMPARE(v.entries, int64_t(99));
}

void TestAuditLog::forgedSealSignatureReported()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(100));
    // Flip the first signature byte of seal 2 (over entry 64).
    QCOMPARE(rawExec(f.path, "DROP TRIGGER audit_seals_no_update;"
                             "UPDATE audit_seals SET signature = CAST(("
                             "CASE WHEN substr(signature, 1, 1) = X'00' THEN X'01' ELSE X'00' END"
                             ") || substr(signature, 2) AS BLOB) WHERE id = 2;"),
             QString());
    // Entries 33-64 are no longer vouched for by a valid seal.
    VERIFY_BROKEN_AT(f.verify(), 33, "seal 2 (over entry 64) has a signature that does not verify");
}

void TestAuditLog::rewrittenChainCaughtBySeal()
{
    // The careful forger: change entry 40 and recompute every hash after it, so the chain itself
    // is consistent again. Only the signed seal over entry 64 can catch that.
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(70));
    QCOMPARE(rawExec(f.path, "DROP TRIGGER audit_log_no_update;"), QString());
    AuditLog log(*f.db, f.key, f.clock);
    auto rows = log.entries(1, 100).value();
    crypto::Bytes prev = rows[38].hash; // entry 39
    for (size_t i = 39; i < rows.size(); ++i) {
        AuditEntry& e = rows[i];
        if (e.id == 40)
            e.detail = R"({"n":40,"tag":"rewritten"})";
        e.prevHash = prev;
        e.hash = auditchain::entryHash(e.prevHash, e.id, e.at, e.category, e.marking, e.detail);
        prev = e.hash;
        auto stmt =
            f.db->prepare("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?");
        QVERIFY(stmt);
        stmt->bindText(1, e.detail).bindBlob(2, e.prevHash).bindBlob(3, e.hash).bindInt64(4, e.id);
        QVERIFY(stmt->run());
    }
    VERIFY_BROKEN_AT(f.verify(), 33, "seal 2 (over entry 64) no longer matches entry 64");
}

void TestAuditLog::removedSealReported()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(100));
    QCOMPARE(rawExec(f.path,
                     "DROP TRIGGER audit_seals_no_delete; DELETE FROM audit_seals WHERE id = 2;"),
             QString());
    VERIFY_BROKEN_AT(f.verify(), 33, "seal 2 is missing");

    // The last seal leaves no gap in the seal numbers; the missing interval still shows.
    Fixture last;
    QVERIFY(last.open());
    QVERIFY(last.fill(100));
    QCOMPARE(rawExec(last.path,
                     "DROP TRIGGER audit_seals_no_delete; DELETE FROM audit_seals WHERE id = 3;"),
             QString());
    VERIFY_BROKEN_AT(last.verify(), 65, "entries 65 to 100 have no seal");

    Fixture tail;
    QVERIFY(tail.open());
    QVERIFY(tail.fill(40));
    QCOMPARE(rawExec(tail.path, "DROP TRIGGER audit_seals_no_delete; DELETE FROM audit_seals;"),
             QString());
    VERIFY_BROKEN_AT(tail.verify(), 1, "entries 1 to 40 have no seal");
}

void TestAuditLog::otherKeyReported()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(40));
    AuditLog log(*f.db, f.key, f.clock);
    const auto stranger = crypto::Ed25519SigningKey::generate();
    const AuditVerification v = log.verify(stranger.publicKey()).value();
    VERIFY_BROKEN_AT(v, 1, "made by a different key");
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
