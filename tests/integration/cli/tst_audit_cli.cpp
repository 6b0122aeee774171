// SPDX-License-Identifier: GPL-3.0-or-later
// `conclave-cli audit verify` as a real process (docs/cli.md): a clean exit seals the log and
// records the seal outside the database; a log cut back to an earlier seal is refused (exit 3);
// events the device could not write are reported as gaps (exit 1).
#include "CliProcess.h"
#include "TestPaths.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/IdentityStore.h"
#include "storage/KeyFileProtector.h"
#include "storage/SealCounterFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace conclave;
using namespace conclave::storage;

namespace {

struct Run {
    int exitCode = -1;
    QJsonObject audit;
    QString stderrText;
};

Run verifyAudit(const QString& dataDir)
{
    QProcess process;
    process.start(
        testsupport::binDir() + QStringLiteral("/conclave-cli"),
        {QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--data"), dataDir});
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.stderrText = QString::fromUtf8(process.readAllStandardError());
    for (const QByteArray& line : process.readAllStandardOutput().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("event")).toString() == QLatin1String("audit"))
            run.audit = o;
    }
    return run;
}

// This device's own database, opened as another Conclave program would (its key file
// unlocks the identity), to write entries the way the programs do.
struct Device {
    explicit Device(const QString& dataDir)
        : path(QDir(dataDir).filePath(QStringLiteral("conclave.db")).toStdString())
    {
        db = std::move(Database::open(path).value());
        KeyFileProtector protector(KeyFileProtector::defaultPathFor(path));
        key.emplace(IdentityStore(*db, clock).loadOrCreate(protector).value());
        log = std::make_unique<AuditLog>(*db, *key, clock, &counter);
    }

    std::string path;
    SystemClock clock;
    std::unique_ptr<Database> db;
    std::optional<crypto::Ed25519SigningKey> key;
    SealCounterFile counter{SealCounterFile::defaultPathFor(path)};
    std::unique_ptr<AuditLog> log;
};

} // namespace

class TestAuditCli : public QObject {
    Q_OBJECT

private slots:
    void cleanExitSealsAndRecordsTheSeal()
    {
        QTemporaryDir dir;
        Run first = verifyAudit(dir.path()); // creates the identity: one entry
        QCOMPARE(first.exitCode, 0);
        QCOMPARE(first.audit.value("intact").toBool(), true);
        QVERIFY(QFile::exists(dir.filePath("conclave.db.seal")));
        Run second = verifyAudit(dir.path());
        QCOMPARE(second.exitCode, 0);
        QCOMPARE(second.audit.value("seals").toInt(), 1); // the first run's exit sealed entry 1
        QCOMPARE(second.audit.value("recorded_seal").toInt(), 1);
        QCOMPARE(second.audit.value("last_seal").toInt(), 1);
        QVERIFY(second.audit.value("seal_record").toString().contains("conclave.db.seal"));
    }

    void logCutBackToAnEarlierSealFails()
    {
        QTemporaryDir dir;
        QCOMPARE(verifyAudit(dir.path()).exitCode, 0);
        {
            Device device(dir.path());
            for (int i = 0; i < 70; ++i)
                QVERIFY(device.log->append("meeting.admit", "OFFICIAL", "{}"));
            QVERIFY(device.log->seal());
        }
        Run before = verifyAudit(dir.path());
        QCOMPARE(before.exitCode, 0);
        const int lastSeal = before.audit.value("last_seal").toInt();
        QVERIFY(lastSeal >= 3);
        {
            // Someone with the file removes everything after seal 2, triggers and all.
            Device device(dir.path());
            QVERIFY(device.db->exec("DROP TRIGGER audit_log_no_delete; "
                                    "DROP TRIGGER audit_seals_no_delete; "
                                    "DELETE FROM audit_log WHERE id > (SELECT entry_id FROM "
                                    "audit_seals WHERE id = 2); "
                                    "DELETE FROM audit_seals WHERE id > 2;"));
        }
        Run after = verifyAudit(dir.path());
        QCOMPARE(after.exitCode, 3);
        QCOMPARE(after.audit.value("intact").toBool(), false);
        QCOMPARE(after.audit.value("last_seal").toInt(), 2);
        QCOMPARE(after.audit.value("recorded_seal").toInt(), lastSeal);
        const QString reason = after.audit.value("reason").toString();
        QVERIFY2(reason.contains(QStringLiteral("the audit log ends at seal 2 but this device "
                                                "recorded seal %1")
                                     .arg(lastSeal)),
                 qPrintable(reason));
        QVERIFY(reason.contains("entries were removed"));
    }

    void aHostEndedBySigtermSealsItsLog()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath("no-config");
        QVERIFY(QDir().mkpath(config));
        const QString data = dir.filePath("chair");
        testsupport::CliProcess host(testsupport::binDir() + QStringLiteral("/conclave-cli"),
                                     {"host", "--title", "Sealed on exit", "--marking", "OFFICIAL",
                                      "--data", data, "--config", config});
        QVERIFY2(!host.waitFor("listening").isEmpty(), qPrintable(host.transcript()));
        QVERIFY(::kill(pid_t(host.pid()), SIGTERM) == 0);
        QCOMPARE(host.waitForExit(), 128 + SIGTERM);

        auto db = Database::open(QDir(data).filePath("conclave.db").toStdString());
        QVERIFY(db);
        auto last = (*db)->prepare("SELECT (SELECT max(id) FROM audit_log), "
                                   "(SELECT max(entry_id) FROM audit_seals)");
        QVERIFY(last && *last->step());
        QVERIFY(last->columnInt64(0) >= 2);                   // identity created, policy in force
        QCOMPARE(last->columnInt64(1), last->columnInt64(0)); // everything sealed
        QVERIFY(QFile::exists(QDir(data).filePath("conclave.db.seal")));
    }

    void unrecordedEventsAreReportedAsGaps()
    {
        QTemporaryDir dir;
        QCOMPARE(verifyAudit(dir.path()).exitCode, 0);
        {
            Device device(dir.path());
            QVERIFY(device.db->checkpoint());
            QVERIFY(device.db->exec("PRAGMA max_page_count = " +
                                    std::to_string(device.db->pragmaInt("page_count").value())));
            for (int i = 0; i < 3; ++i)
                QVERIFY(!device.log->append("meeting.chat", "",
                                            "{\"pad\":\"" + std::string(60000, 'x') + "\"}"));
            QVERIFY(device.db->exec("PRAGMA max_page_count = 1073741823"));
            QVERIFY(device.log->append("meeting.end", "", "{}"));
        }
        Run run = verifyAudit(dir.path());
        QCOMPARE(run.exitCode, 1);
        QCOMPARE(run.audit.value("intact").toBool(), true);
        QCOMPARE(run.audit.value("complete").toBool(), false);
        QCOMPARE(run.audit.value("unrecorded_events").toInt(), 3);
        const QJsonArray gaps = run.audit.value("gaps").toArray();
        QVERIFY(!gaps.isEmpty());
        QVERIFY(gaps.at(0).toObject().contains("from"));
        QVERIFY(run.audit.value("reason").toString().contains("3 events could not be recorded"));
    }
};

QTEST_GUILESS_MAIN(TestAuditCli)
#include "tst_audit_cli.moc"
