// SPDX-License-Identifier: GPL-3.0-or-later
// What the audit log must show beyond edits of single rows: the log cut back to an earlier seal
// (caught by the seal record outside the database), and events that could not be written
// because the disk was full (recorded as a gap when writing resumes).
#include "StorageTestHelpers.h"
#include "common/Iso8601.h"
#include "storage/AuditChain.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/SealCounterFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace conclave;
using namespace conclave::storage;
using conclave::storage::test::fileBytes;
using conclave::storage::test::rawExec;
using conclave::storage::test::writeFileBytes;

namespace {

std::string detailFor(int n)
{
    return "{\"n\":" + std::to_string(n) + "}";
}

// A device's database, its key, and the seal record beside the database.
struct Fixture {
    QTemporaryDir dir;
    QString path = dir.filePath("conclave.db");
    QString recordPath = path + ".seal";
    FixedClock clock{TimePoint{std::chrono::seconds{1767225600}}};
    crypto::Ed25519SigningKey key = crypto::Ed25519SigningKey::generate();
    std::unique_ptr<Database> db;
    SealCounterFile counter{recordPath.toStdString()};
    std::unique_ptr<AuditLog> log;

    bool open()
    {
        auto opened = Database::open(path.toStdString());
        if (!opened) {
            qWarning("%s", opened.error().message.c_str());
            return false;
        }
        db = std::move(*opened);
        log = std::make_unique<AuditLog>(*db, key, clock, &counter);
        return true;
    }

    bool fill(int count)
    {
        for (int i = 1; i <= count; ++i) {
            clock.advance(std::chrono::seconds{7});
            if (!log->append("meeting.admit", "OFFICIAL", detailFor(i)))
                return false;
        }
        return true;
    }

    AuditVerification verify()
    {
        auto v = log->verify(key.publicKey());
        if (!v)
            qWarning("%s", v.error().message.c_str());
        return v ? *v : AuditVerification{};
    }
};

} // namespace

class TestAuditCompleteness : public QObject {
    Q_OBJECT

private slots:
    void everySealIsRecordedOutsideTheDatabase();
    void logCutBackToAnEarlierSealIsReported();
    void logCutBackToNothingIsReported();
    void deletedOrAlteredRecordIsReported();
    void recordNeverMovesBackwards();
    void logWithoutRecordedSealsNeedsNoRecord();
    void eventsLostToAFullDiskAreRecordedAsAGap();
    void aGapEntryCannotBeRemovedUnseen();
};

void TestAuditCompleteness::everySealIsRecordedOutsideTheDatabase()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(40)); // seal 1 over entry 32
    auto record = f.counter.read(f.key.publicKey());
    QVERIFY(record && *record);
    QCOMPARE((*record)->sealId, int64_t(1));
    QCOMPARE((*record)->entryId, int64_t(32));
    QVERIFY(f.log->seal()); // seal 2 over entry 40, as on a clean shutdown
    record = f.counter.read(f.key.publicKey());
    QCOMPARE((*record)->sealId, int64_t(2));
    QCOMPARE((*record)->entryId, int64_t(40));
    const AuditVerification v = f.verify();
    QVERIFY2(v.intact, v.reason.c_str());
    QCOMPARE(v.lastSeal, int64_t(2));
    QCOMPARE(v.recordedSeal, std::optional<int64_t>(2));
    QVERIFY(QString::fromStdString(v.recordLocation).contains(f.recordPath));
    QCOMPARE(QFile::permissions(f.recordPath) &
                 (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
}

void TestAuditCompleteness::logCutBackToAnEarlierSealIsReported()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(100));   // seals over 32, 64, 96
    QVERIFY(f.log->seal()); // seal 4 over 100
    // Cut back to seal 2 exactly: what remains is a consistent, fully sealed log.
    QCOMPARE(rawExec(f.path, "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_seals_no_delete;"
                             "DELETE FROM audit_log WHERE id > 64; "
                             "DELETE FROM audit_seals WHERE id > 2;"),
             QString());
    // Without the record the cut is invisible: this is what verify used to say.
    auto alone = AuditLog(*f.db, f.key, f.clock).verify(f.key.publicKey());
    QVERIFY2(alone->intact, alone->reason.c_str());

    const AuditVerification v = f.verify();
    QVERIFY(!v.intact);
    QVERIFY2(QString::fromStdString(v.reason).contains(
                 "the audit log ends at seal 2 but this device recorded seal 4"),
             v.reason.c_str());
    QVERIFY(QString::fromStdString(v.reason).contains("entries were removed"));
    QCOMPARE(v.firstBrokenEntry, std::optional<int64_t>(65));
    QCOMPARE(v.lastSeal, int64_t(2));
    QCOMPARE(v.recordedSeal, std::optional<int64_t>(4));
    QVERIFY(!v.complete());

    // Writing on past the recorded seal reuses its number for other entries; the record stays
    // as evidence instead of moving on.
    QVERIFY(f.fill(100));
    QVERIFY(f.log->seal());
    const AuditVerification later = f.verify();
    QVERIFY(!later.intact);
    QCOMPARE(later.recordedSeal, std::optional<int64_t>(4));
    QVERIFY2(QString::fromStdString(later.reason)
                 .contains("seal 4 in the database is not the one this device recorded"),
             later.reason.c_str());
}

void TestAuditCompleteness::logCutBackToNothingIsReported()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(3));
    QVERIFY(f.log->seal());
    QCOMPARE(rawExec(f.path, "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_seals_no_delete;"
                             "DELETE FROM audit_log; DELETE FROM audit_seals;"),
             QString());
    const AuditVerification v = f.verify();
    QVERIFY(!v.intact);
    QVERIFY2(QString::fromStdString(v.reason).contains(
                 "the audit log ends at seal 0 but this device recorded seal 1"),
             v.reason.c_str());
}

void TestAuditCompleteness::deletedOrAlteredRecordIsReported()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(40));
    QVERIFY(f.log->seal());
    const QByteArray original = fileBytes(f.recordPath);
    QVERIFY(original.startsWith("conclave-seal-record-v1\n2 40 "));

    // Claiming an earlier seal (to hide a cut) breaks the signature.
    QByteArray lowered = original;
    lowered.replace("\n2 40 ", "\n1 32 ");
    QVERIFY(writeFileBytes(f.recordPath, lowered));
    AuditVerification v = f.verify();
    QVERIFY(!v.intact);
    QVERIFY2(QString::fromStdString(v.reason).contains("not signed by this device's identity key"),
             v.reason.c_str());
    // A damaged record is evidence: the next seal leaves it as it is.
    QVERIFY(f.fill(1));
    QVERIFY(f.log->seal());
    QCOMPARE(fileBytes(f.recordPath), lowered);

    QVERIFY(QFile::remove(f.recordPath));
    v = f.verify();
    QVERIFY(!v.intact);
    QVERIFY2(QString::fromStdString(v.reason).contains("is missing, though this log's seals say "
                                                       "one was kept"),
             v.reason.c_str());
}

void TestAuditCompleteness::recordNeverMovesBackwards()
{
    Fixture f;
    const crypto::Bytes hash(32, 7);
    QVERIFY(f.counter.advance({5, 150, hash}, f.key));
    QVERIFY(f.counter.advance({3, 90, hash}, f.key)); // a slower program finishing late
    auto record = f.counter.read(f.key.publicKey());
    QCOMPARE((*record)->sealId, int64_t(5));
    // Another device's key does not vouch for this record.
    const auto stranger = crypto::Ed25519SigningKey::generate();
    QCOMPARE(f.counter.read(stranger.publicKey()).error().code,
             std::string("storage.seal_record_damaged"));
}

void TestAuditCompleteness::logWithoutRecordedSealsNeedsNoRecord()
{
    // A log written before seal records existed (v1 seals only) verifies without one.
    Fixture f;
    QVERIFY(f.open());
    {
        AuditLog older(*f.db, f.key, f.clock);
        for (int i = 1; i <= 40; ++i)
            QVERIFY(older.append("meeting.admit", "", detailFor(i)));
    }
    QVERIFY(!QFile::exists(f.recordPath));
    const AuditVerification v = f.verify();
    QVERIFY2(v.intact, v.reason.c_str());
    QCOMPARE(v.recordedSeal, std::optional<int64_t>());
}

void TestAuditCompleteness::eventsLostToAFullDiskAreRecordedAsAGap()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(5));
    QVERIFY(f.db->checkpoint());
    // A real SQLITE_FULL: the file may not grow by a single page.
    const int64_t pages = f.db->pragmaInt("page_count").value();
    QVERIFY(f.db->exec("PRAGMA max_page_count = " + std::to_string(pages)));
    const std::string large = "{\"pad\":\"" + std::string(60000, 'x') + "\"}";
    const TimePoint firstLost = f.clock.now() + std::chrono::seconds{1};
    int failed = 0;
    for (int i = 0; i < 63; ++i) {
        f.clock.advance(std::chrono::seconds{1});
        auto r = f.log->append("meeting.chat", "OFFICIAL", large);
        QVERIFY(!r);
        QCOMPARE(r.error().code, std::string("storage.disk_full"));
        ++failed;
        QCOMPARE(f.log->unrecordedEvents() > 0, true);
    }
    const TimePoint lastLost = f.clock.now();
    QCOMPARE(failed, 63);

    QVERIFY(f.db->exec("PRAGMA max_page_count = 1073741823")); // space again
    f.clock.advance(std::chrono::seconds{60});
    auto resumed = f.log->append("meeting.end", "OFFICIAL", "{}");
    QVERIFY2(resumed, resumed ? "" : resumed.error().message.c_str());
    QCOMPARE(f.log->unrecordedEvents(), int64_t(0));

    // Right before the resumed entry: the gap entry, in words. (A small gap entry may also have
    // fitted into free space while the disk was full; then there are several, adding up.)
    const auto rows = f.log->entries(*resumed - 1, 1).value();
    QCOMPARE(rows.at(0).category, std::string(auditchain::kGapCategory));
    QVERIFY2(QString::fromStdString(rows[0].detail).contains(" could not be recorded between "),
             rows[0].detail.c_str());
    QVERIFY2(QString::fromStdString(rows[0].detail)
                 .contains(" and " + QString::fromStdString(formatUtcTimestamp(lastLost))),
             rows[0].detail.c_str());

    const AuditVerification v = f.verify();
    QVERIFY2(v.intact, v.reason.c_str()); // nothing was tampered with
    QVERIFY(!v.complete());
    QVERIFY(!v.gaps.empty());
    QCOMPARE(v.gaps.front().from, formatUtcTimestamp(firstLost));
    QCOMPARE(v.gaps.back().to, formatUtcTimestamp(lastLost));
    QCOMPARE(v.gaps.back().entry, *resumed - 1);
    QCOMPARE(v.unrecordedEvents, int64_t(63));
    QVERIFY2(QString::fromStdString(v.reason).contains("63 events could not be recorded"),
             v.reason.c_str());
    if (v.gaps.size() == 1)
        QVERIFY(QString::fromStdString(rows[0].detail).contains("63 events could not be recorded"));
}

void TestAuditCompleteness::aGapEntryCannotBeRemovedUnseen()
{
    Fixture f;
    QVERIFY(f.open());
    QVERIFY(f.fill(2));
    QVERIFY(f.db->checkpoint());
    QVERIFY(f.db->exec("PRAGMA max_page_count = " +
                       std::to_string(f.db->pragmaInt("page_count").value())));
    QVERIFY(!f.log->append("meeting.chat", "", "{\"pad\":\"" + std::string(60000, 'x') + "\"}"));
    QVERIFY(f.db->exec("PRAGMA max_page_count = 1073741823"));
    QVERIFY(f.log->append("meeting.end", "", "{}"));
    QCOMPARE(f.verify().gaps.size(), size_t(1));
    QCOMPARE(
        rawExec(f.path, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 3;"),
        QString());
    const AuditVerification v = f.verify();
    QVERIFY(!v.intact);
    QCOMPARE(v.firstBrokenEntry, std::optional<int64_t>(3));
}

QTEST_GUILESS_MAIN(TestAuditCompleteness)
#include "tst_auditcompleteness.moc"
