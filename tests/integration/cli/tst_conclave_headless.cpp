// SPDX-License-Identifier: GPL-3.0-or-later
// `conclave --headless` as a real process: device identity, the policy in force, anti-rollback
// across runs, and a damaged database refused without being touched.
#include "PolicyFixture.h"
#include "TestPaths.h"

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
