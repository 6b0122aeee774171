// SPDX-License-Identifier: GPL-3.0-or-later
// `conclave --headless` as a real process: device identity, the policy in force, anti-rollback
// across runs (its record signed by the device), and a damaged database refused without being
// touched.
#include "PolicyFixture.h"
#include "TestPaths.h"
#include "storage/Database.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

using namespace conclave;
using testsupport::PolicyFixture;

namespace {

struct Run {
    int exitCode = -1;
    QMap<QString, QJsonObject> byEvent; // last line of each event
    QList<QJsonObject> grades;
};

QJsonObject withKey(QJsonObject policy, const char* key, QJsonValue value)
{
    policy[QLatin1String(key)] = value;
    return policy;
}

/// Test mode for one scope: a temporary directory stands in for "/" (CONCLAVE_TEST_SYSTEM_ROOT),
/// so a managed computer is simulated without writing to /etc or /var/lib.
class SystemRoot {
public:
    SystemRoot() { qputenv("CONCLAVE_TEST_SYSTEM_ROOT", m_dir.path().toUtf8()); }
    ~SystemRoot() { qunsetenv("CONCLAVE_TEST_SYSTEM_ROOT"); }
    QString configDir() const { return m_dir.path() + QStringLiteral("/etc/conclave"); }
    QString stateDir() const { return m_dir.path() + QStringLiteral("/var/lib/conclave"); }

    /// Installs `authority`'s anchors and `policy`, signed by it, as the system's.
    bool install(const PolicyFixture& authority, const QJsonObject& policy) const
    {
        const QString anchors = configDir() + QStringLiteral("/trust-anchors");
        if (!QDir().mkpath(anchors))
            return false;
        const QDir from(authority.anchorsDir());
        for (const QString& name : from.entryList({QStringLiteral("*.pub")}, QDir::Files)) {
            QFile::remove(anchors + QLatin1Char('/') + name);
            if (!QFile::copy(from.filePath(name), anchors + QLatin1Char('/') + name))
                return false;
        }
        const QString written = authority.writeSigned(QStringLiteral("system-policy.json"),
                                                      PolicyFixture::toBytes(policy));
        for (const QString& suffix : {QString(), QStringLiteral(".sig")}) {
            QFile::remove(configDir() + QStringLiteral("/policy.json") + suffix);
            if (!QFile::copy(written + suffix,
                             configDir() + QStringLiteral("/policy.json") + suffix))
                return false;
        }
        return true;
    }

private:
    QTemporaryDir m_dir;
};

} // namespace

class TestConclaveHeadless : public QObject {
    Q_OBJECT

    PolicyFixture m_authority;
    QTemporaryDir m_data;

    Run runApp(const QString& dataDir, const QString& configDir)
    {
        QProcess process;
        process.start(testsupport::binDir() + QStringLiteral("/conclave"),
                      {"--headless", "--data", dataDir, "--config", configDir});
        Run run;
        if (!process.waitForFinished(60000)) {
            process.kill();
            return run;
        }
        run.exitCode = process.exitCode();
        for (const QByteArray& line : process.readAllStandardOutput().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.isEmpty())
                continue;
            run.byEvent[o.value("event").toString()] = o;
            if (o.value("event") == QLatin1String("grade"))
                run.grades << o;
        }
        return run;
    }

    /// Installs `policy` (signed) as DIR/policy.json in the fixture's config layout.
    void install(const QJsonObject& policy)
    {
        QFile::remove(m_authority.dir() + "/policy.json");
        QFile::remove(m_authority.dir() + "/policy.json.sig");
        m_authority.writeSigned("policy.json", PolicyFixture::toBytes(policy));
    }

private slots:
    void withoutAPolicyRunsPublicBusinessOnly()
    {
        QTemporaryDir emptyConfig;
        Run first = runApp(m_data.path(), emptyConfig.path());
        QCOMPARE(first.exitCode, 0);
        const QJsonObject identity = first.byEvent.value("identity");
        QCOMPARE(identity.value("created").toBool(), true);
        QCOMPARE(identity.value("protection").toString(), QStringLiteral("keyfile"));
        QVERIFY(QFile::exists(m_data.path() + "/conclave.db"));
        QCOMPARE(QFile::permissions(m_data.path() + "/conclave.db.key") &
                     (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                 QFile::Permissions());

        const QJsonObject policy = first.byEvent.value("policy");
        QCOMPARE(policy.value("builtin").toBool(), true);
        QCOMPARE(policy.value("problem").toObject().value("code").toString(),
                 QStringLiteral("policy.not_installed"));
        QCOMPARE(first.grades.size(), 4);
        QCOMPARE(first.grades[0].value("allowed_on").toArray().size(), 1); // OFFICIAL: any
        QCOMPARE(first.grades[1].value("allowed_on").toArray().size(), 0); // OFFICIAL-SENSITIVE

        Run second = runApp(m_data.path(), emptyConfig.path());
        QCOMPARE(second.byEvent.value("identity").value("created").toBool(), false);
        QCOMPARE(second.byEvent.value("identity").value("fingerprint"),
                 identity.value("fingerprint"));
    }

    void signedPolicyDecidesAndCannotBeRolledBack()
    {
        install(PolicyFixture::validPolicy());
        Run current = runApp(m_data.path(), m_authority.dir());
        QCOMPARE(current.exitCode, 0);
        const QJsonObject policy = current.byEvent.value("policy");
        QCOMPARE(policy.value("builtin").toBool(), false);
        QCOMPARE(policy.value("serial").toInt(), 7);
        const QJsonObject secret = current.grades.at(2);
        QCOMPARE(secret.value("grade").toString(), QStringLiteral("SECRET"));
        QVERIFY(secret.value("allowed_on").toArray().contains(QStringLiteral("secret-hub")));
        QVERIFY(secret.value("refused")
                    .toObject()
                    .value("dept-hub-1")
                    .toString()
                    .contains(QStringLiteral("approved up to OFFICIAL-SENSITIVE")));

        install(withKey(PolicyFixture::validPolicy(), "serial", 5));
        Run rolledBack = runApp(m_data.path(), m_authority.dir());
        const QJsonObject fallback = rolledBack.byEvent.value("policy");
        QCOMPARE(fallback.value("builtin").toBool(), true);
        QCOMPARE(fallback.value("problem").toObject().value("code").toString(),
                 QStringLiteral("policy.rollback"));

        // A different document under an accepted serial is refused too.
        install(withKey(PolicyFixture::validPolicy(), "issuer", "Someone Else"));
        Run conflict = runApp(m_data.path(), m_authority.dir());
        QCOMPARE(conflict.byEvent.value("policy").value("builtin").toBool(), true);
        QCOMPARE(
            conflict.byEvent.value("policy").value("problem").toObject().value("code").toString(),
            QStringLiteral("storage.serial_conflict"));

        install(withKey(PolicyFixture::validPolicy(), "serial", 8));
        QCOMPARE(runApp(m_data.path(), m_authority.dir())
                     .byEvent.value("policy")
                     .value("serial")
                     .toInt(),
                 8);
    }

    void aLocalConfigCannotAddAnAuthorityOnAManagedComputer()
    {
        PolicyFixture organisation;
        SystemRoot system;
        QVERIFY(system.install(organisation, PolicyFixture::validPolicy()));
        // A user's own authority approves SECRET on dept-hub-1 (OFFICIAL-SENSITIVE for the
        // organisation), with a huge serial for good measure.
        PolicyFixture selfMade;
        QJsonObject rogue = withKey(PolicyFixture::validPolicy(), "serial", 1000000);
        QJsonArray backends = rogue.value("backends").toArray();
        QJsonObject dept = backends[1].toObject();
        dept["max_marking"] = QStringLiteral("SECRET");
        backends[1] = dept;
        rogue["backends"] = backends;
        selfMade.writeSigned("policy.json", PolicyFixture::toBytes(rogue));

        QTemporaryDir data;
        Run run = runApp(data.path(), selfMade.dir());
        QCOMPARE(run.exitCode, 0);
        QCOMPARE(run.byEvent.value("policy").value("serial").toInt(), 7);
        QCOMPARE(run.byEvent.value("warning").value("code").toString(),
                 QStringLiteral("config.override_ignored"));
        QVERIFY(run.grades.at(2)
                    .value("refused")
                    .toObject()
                    .value("dept-hub-1")
                    .toString()
                    .contains(QStringLiteral("approved up to OFFICIAL-SENSITIVE")));
    }

    void aFreshDataDirectoryDoesNotBringBackAnOlderPolicy()
    {
        PolicyFixture organisation;
        SystemRoot system;
        QVERIFY(QDir().mkpath(system.stateDir())); // the system-wide ledger is kept here
        QVERIFY(system.install(organisation, withKey(PolicyFixture::validPolicy(), "serial", 8)));
        QTemporaryDir first;
        QCOMPARE(runApp(first.path(), QString()).byEvent.value("policy").value("serial").toInt(),
                 8);
        // An older policy of the same authority, still inside its validity window ...
        QVERIFY(system.install(organisation, PolicyFixture::validPolicy()));
        // ... is refused even from a data directory that has never seen serial 8.
        QTemporaryDir fresh;
        Run run = runApp(fresh.path(), QString());
        const QJsonObject policy = run.byEvent.value("policy");
        QCOMPARE(policy.value("builtin").toBool(), true);
        QCOMPARE(policy.value("problem").toObject().value("code").toString(),
                 QStringLiteral("policy.rollback"));
    }

    void anAntiRollbackRecordEditedOutsideConclaveIsNotTrusted()
    {
        // The device's per-authority record is signed with its identity key: lowering a serial
        // in the database file (triggers dropped) does not let an older policy back in.
        PolicyFixture authority;
        QTemporaryDir data;
        const auto installSerial = [&](int serial) {
            QFile::remove(authority.dir() + "/policy.json");
            QFile::remove(authority.dir() + "/policy.json.sig");
            authority.writeSigned(
                "policy.json",
                PolicyFixture::toBytes(withKey(PolicyFixture::validPolicy(), "serial", serial)));
        };
        installSerial(7);
        QCOMPARE(
            runApp(data.path(), authority.dir()).byEvent.value("policy").value("serial").toInt(),
            7);
        {
            auto db = storage::Database::open((data.path() + "/conclave.db").toStdString());
            QVERIFY2(db.ok(), db.ok() ? "" : db.error().message.c_str());
            QVERIFY((*db)->exec("DROP TRIGGER policy_serials_no_rollback; "
                                "UPDATE policy_serials SET highest_serial = 3"));
        }
        installSerial(5); // older than 7, newer than the forged 3
        const QJsonObject policy = runApp(data.path(), authority.dir()).byEvent.value("policy");
        QCOMPARE(policy.value("builtin").toBool(), true);
        QCOMPARE(policy.value("problem").toObject().value("code").toString(),
                 QStringLiteral("storage.policy_state_unsigned"));
        QVERIFY2(policy.value("problem").toObject().value("reason").toString().contains(
                     "not signed by this device"),
                 qPrintable(QJsonDocument(policy).toJson()));
        // The record stays in doubt (fail closed) for the current policy too, until restored.
        installSerial(7);
        QCOMPARE(runApp(data.path(), authority.dir())
                     .byEvent.value("policy")
                     .value("problem")
                     .toObject()
                     .value("code")
                     .toString(),
                 QStringLiteral("storage.policy_state_unsigned"));
    }

    void damagedDatabaseIsRefusedAndLeftAlone()
    {
        QTemporaryDir dir;
        QFile garbage(dir.path() + "/conclave.db");
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        const QByteArray bytes = QByteArray("not a database at all ").repeated(300);
        garbage.write(bytes);
        garbage.close();
        Run run = runApp(dir.path(), dir.path());
        QCOMPARE(run.exitCode, 4);
        QVERIFY(run.byEvent.value("error").value("code").toString().startsWith("storage."));
        QVERIFY(run.byEvent.value("error").value("reason").toString().contains("conclave.db"));
        QCOMPARE(testsupport::readFile(dir.path() + "/conclave.db"), bytes);
    }
};

QTEST_GUILESS_MAIN(TestConclaveHeadless)
#include "tst_conclave_headless.moc"
