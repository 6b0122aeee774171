// SPDX-License-Identifier: GPL-3.0-or-later
// The conclave-policy contract (docs/cli.md), driven as a real process: JSON lines on
// stdout and exit codes 0 ok / 2 invalid input / 3 refused.
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
    QList<QJsonObject> lines;
    QString stderrText;

    QJsonObject last() const { return lines.isEmpty() ? QJsonObject{} : lines.last(); }
    QString field(const char* key) const { return last().value(QLatin1String(key)).toString(); }
};

/// `systemRoot` non-empty: the tool runs in test mode with that directory standing in for "/"
/// (CONCLAVE_TEST_SYSTEM_ROOT), so a "managed computer" is simulated without writing to /etc.
Run runTool(const QStringList& args, const QString& systemRoot = QString())
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (!systemRoot.isEmpty())
        env.insert(QStringLiteral("CONCLAVE_TEST_SYSTEM_ROOT"), systemRoot);
    else
        env.remove(QStringLiteral("CONCLAVE_TEST_SYSTEM_ROOT"));
    process.setProcessEnvironment(env);
    process.start(testsupport::binDir() + QStringLiteral("/conclave-policy"), args);
    Run run;
    if (!process.waitForFinished(60000)) {
        process.kill();
        qWarning("conclave-policy %s did not finish", qPrintable(args.join(' ')));
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.stderrText = QString::fromUtf8(process.readAllStandardError());
    for (const QByteArray& line : process.readAllStandardOutput().split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const auto doc = QJsonDocument::fromJson(line);
        if (!doc.isObject())
            qWarning("stdout line is not a JSON object: %s", line.constData());
        run.lines << doc.object();
    }
    return run;
}

QJsonObject withKey(QJsonObject policy, const char* key, QJsonValue value)
{
    policy[QLatin1String(key)] = value;
    return policy;
}

/// The reference policy with dept-hub-1 (an OFFICIAL-SENSITIVE hub) approved up to SECRET.
QJsonObject secretOnDeptHub()
{
    QJsonObject policy = PolicyFixture::validPolicy();
    QJsonArray backends = policy[QStringLiteral("backends")].toArray();
    QJsonObject dept = backends[1].toObject();
    dept[QStringLiteral("max_marking")] = QStringLiteral("SECRET");
    backends[1] = dept;
    policy[QStringLiteral("backends")] = backends;
    return policy;
}

/// A stand-in system root whose etc/conclave/trust-anchors holds `authority`'s anchors.
bool installSystemAnchors(const QString& root, const PolicyFixture& authority)
{
    const QString anchors = root + QStringLiteral("/etc/conclave/trust-anchors");
    if (!QDir().mkpath(anchors))
        return false;
    const QDir from(authority.anchorsDir());
    for (const QString& name : from.entryList({QStringLiteral("*.pub")}, QDir::Files))
        if (!QFile::copy(from.filePath(name), anchors + QLatin1Char('/') + name))
            return false;
    return true;
}

} // namespace

class TestConclavePolicyCli : public QObject {
    Q_OBJECT

    PolicyFixture m_authority;
    QString m_policy; // a valid, signed policy (serial 7)

    Run check(const QString& policyPath, const char* backend, const char* marking)
    {
        return runTool({"check", "--anchors", m_authority.anchorsDir(), "--policy", policyPath,
                        "--backend", backend, "--marking", marking});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFile::exists(testsupport::binDir() + QStringLiteral("/conclave-policy")));
        m_policy = m_authority.writeSigned(QStringLiteral("policy.json"),
                                           PolicyFixture::toBytes(PolicyFixture::validPolicy()));
    }

    void keygenThenSignThenVerify()
    {
        QTemporaryDir dir;
        const QString prefix = dir.path() + QStringLiteral("/authority");
        Run keygen = runTool({"keygen", "--out", prefix});
        QCOMPARE(keygen.exitCode, 0);
        QCOMPARE(keygen.field("event"), QStringLiteral("keygen"));
        QCOMPARE(keygen.field("fingerprint").size(), 35); // 6 groups of 5 digits + 5 spaces
        QCOMPARE(QFile::permissions(prefix + ".key") & (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());

        // A second keygen never overwrites the first key.
        const QByteArray before = testsupport::readFile(prefix + ".key");
        Run again = runTool({"keygen", "--out", prefix});
        QCOMPARE(again.exitCode, 2);
        QCOMPARE(again.field("code"), QStringLiteral("file.exists"));
        QCOMPARE(testsupport::readFile(prefix + ".key"), before);

        QDir(dir.path()).mkdir("anchors");
        QVERIFY(QFile::copy(prefix + ".pub", dir.path() + "/anchors/authority.pub"));
        const QString policy = dir.path() + "/policy.json";
        QFile out(policy);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(PolicyFixture::toBytes(PolicyFixture::validPolicy()));
        out.close();

        Run sign = runTool({"sign", "--key", prefix + ".key", policy});
        QCOMPARE(sign.exitCode, 0);
        QCOMPARE(sign.field("event"), QStringLiteral("signed"));
        QCOMPARE(sign.field("key_id"), keygen.field("key_id"));

        Run verify = runTool({"verify", "--anchors", dir.path() + "/anchors", policy});
        QCOMPARE(verify.exitCode, 0);
        QCOMPARE(verify.field("event"), QStringLiteral("verified"));
        QCOMPARE(verify.last().value("serial").toInt(), 7);
        QCOMPARE(verify.field("signed_by"), keygen.field("key_id"));
        QCOMPARE(verify.last().value("backends").toArray().size(), 4);
    }

    void signRefusesAnInvalidPolicy()
    {
        QTemporaryDir dir;
        const QString prefix = dir.path() + QStringLiteral("/a");
        QCOMPARE(runTool({"keygen", "--out", prefix}).exitCode, 0);
        const QString policy = m_authority.writeFile("broken-for-sign.json", "{\"format\": ");
        Run sign = runTool({"sign", "--key", prefix + ".key", policy});
        QCOMPARE(sign.exitCode, 2);
        QCOMPARE(sign.field("code"), QStringLiteral("policy.malformed"));
        QVERIFY(!QFile::exists(policy + ".sig"));
    }

    void verifyRefusesAChangedByte()
    {
        QByteArray bytes = testsupport::readFile(m_policy);
        bytes.replace("\"serial\": 7", "\"serial\": 9");
        const QString tampered = m_authority.writeFile("tampered.json", bytes);
        QFile::copy(m_policy + ".sig", tampered + ".sig");
        Run run = runTool({"verify", "--anchors", m_authority.anchorsDir(), tampered});
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(run.field("event"), QStringLiteral("refused"));
        QCOMPARE(run.field("code"), QStringLiteral("policy.signature_invalid"));
    }

    void verifyRefusesAnUnknownSigner()
    {
        PolicyFixture other;
        Run run = runTool({"verify", "--anchors", other.anchorsDir(), m_policy});
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(run.field("code"), QStringLiteral("policy.unknown_signer"));
    }

    void verifyRefusesAPolicyWithoutSignature()
    {
        const QString unsignedPolicy = m_authority.writeFile(
            "unsigned.json", PolicyFixture::toBytes(PolicyFixture::validPolicy()));
        Run run = runTool({"verify", "--anchors", m_authority.anchorsDir(), unsignedPolicy});
        QCOMPARE(run.exitCode, 3);
        QCOMPARE(run.field("code"), QStringLiteral("policy.unsigned"));
        QVERIFY(run.field("reason").contains("conclave-policy sign"));
    }

    void verifyRefusesOutsideTheValidityWindow()
    {
        const auto valid = PolicyFixture::validPolicy();
        const QString expired = m_authority.writeSigned(
            "expired.json",
            PolicyFixture::toBytes(withKey(valid, "not_after", "2026-01-01T00:00:00Z")));
        Run e = runTool({"verify", "--anchors", m_authority.anchorsDir(), expired});
        QCOMPARE(e.exitCode, 3);
        QCOMPARE(e.field("code"), QStringLiteral("policy.expired"));

        const QString future = m_authority.writeSigned(
            "future.json",
            PolicyFixture::toBytes(withKey(valid, "not_before", "2098-01-01T00:00:00Z")));
        Run f = runTool({"verify", "--anchors", m_authority.anchorsDir(), future});
        QCOMPARE(f.exitCode, 3);
        QCOMPARE(f.field("code"), QStringLiteral("policy.not_yet_valid"));
    }

    void verifyWithStateRefusesRollback()
    {
        QTemporaryDir dir;
        const QString state = dir.path() + QStringLiteral("/conclave.db");
        Run first =
            runTool({"verify", "--anchors", m_authority.anchorsDir(), "--state", state, m_policy});
        QCOMPARE(first.exitCode, 0);

        const QString older = m_authority.writeSigned(
            "older.json",
            PolicyFixture::toBytes(withKey(PolicyFixture::validPolicy(), "serial", 5)));
        Run rollback =
            runTool({"verify", "--anchors", m_authority.anchorsDir(), "--state", state, older});
        QCOMPARE(rollback.exitCode, 3);
        QCOMPARE(rollback.field("code"), QStringLiteral("policy.rollback"));
        QVERIFY(rollback.field("reason").contains("serial 7"));
        // The check command honours the same state.
        Run checkOld =
            runTool({"check", "--anchors", m_authority.anchorsDir(), "--policy", older, "--state",
                     state, "--backend", "dept-hub-1", "--marking", "OFFICIAL"});
        QCOMPARE(checkOld.exitCode, 3);
        QCOMPARE(checkOld.field("code"), QStringLiteral("policy.rollback"));
        // Without state, the older policy on its own is fine.
        QCOMPARE(runTool({"verify", "--anchors", m_authority.anchorsDir(), older}).exitCode, 0);
    }

    void onAManagedComputerOnlyTheSystemAnchorsDecide()
    {
        QTemporaryDir root;
        QVERIFY(installSystemAnchors(root.path(), m_authority));
        // Someone makes an authority of their own and signs a policy approving SECRET on a hub
        // the organisation approved only up to OFFICIAL-SENSITIVE.
        PolicyFixture selfMade;
        const QString rogue = selfMade.writeSigned(QStringLiteral("policy.json"),
                                                   PolicyFixture::toBytes(secretOnDeptHub()));
        Run refused = runTool({"check", "--anchors", selfMade.anchorsDir(), "--policy", rogue,
                               "--backend", "dept-hub-1", "--marking", "SECRET"},
                              root.path());
        QCOMPARE(refused.exitCode, 3);
        QCOMPARE(refused.field("code"), QStringLiteral("policy.anchors_not_system"));
        QVERIFY(refused.field("reason").contains(root.path() + "/etc/conclave/trust-anchors"));
        // Against the system anchors the self-made signature is worth nothing.
        Run unknown =
            runTool({"check", "--policy", rogue, "--backend", "dept-hub-1", "--marking", "SECRET"},
                    root.path());
        QCOMPARE(unknown.exitCode, 3);
        QCOMPARE(unknown.field("code"), QStringLiteral("policy.unknown_signer"));
        // The organisation's policy is checked against the system anchors without naming them.
        Run org = runTool({"check", "--policy", m_policy, "--backend", "dept-hub-1", "--marking",
                           "OFFICIAL-SENSITIVE"},
                          root.path());
        QCOMPARE(org.exitCode, 0);
        QCOMPARE(runTool({"check", "--policy", m_policy, "--backend", "dept-hub-1", "--marking",
                          "SECRET"},
                         root.path())
                     .exitCode,
                 3);
    }

    void anotherAuthoritysSerialDoesNotPoisonTheLedger()
    {
        QTemporaryDir dir;
        const QString state = dir.path() + QStringLiteral("/conclave.db");
        // A self-made authority's policy with an enormous serial is verified into the record ...
        PolicyFixture selfMade;
        const QString huge = selfMade.writeSigned(
            QStringLiteral("huge.json"),
            PolicyFixture::toBytes(
                withKey(PolicyFixture::validPolicy(), "serial", QJsonValue(qint64(1) << 50))));
        QCOMPARE(runTool({"verify", "--anchors", selfMade.anchorsDir(), "--state", state, huge})
                     .exitCode,
                 0);
        // ... and the organisation's serial 7 is still accepted: serials are per authority.
        Run org =
            runTool({"verify", "--anchors", m_authority.anchorsDir(), "--state", state, m_policy});
        QCOMPARE(org.exitCode, 0);
        QCOMPARE(org.field("event"), QStringLiteral("verified"));
    }

    void verifyKeepsTheSystemWideLedger()
    {
        QTemporaryDir dir;
        const QString ledger = dir.path() + QStringLiteral("/policy-ledger");
        const QString newer = m_authority.writeSigned(
            QStringLiteral("newer-for-ledger.json"),
            PolicyFixture::toBytes(withKey(PolicyFixture::validPolicy(), "serial", 8)));
        Run raised =
            runTool({"verify", "--anchors", m_authority.anchorsDir(), "--ledger", ledger, newer});
        QCOMPARE(raised.exitCode, 0);
        QVERIFY(testsupport::readFile(ledger).startsWith("conclave-policy-ledger/1\n"));
        // A fresh database does not bring the old policy back: the ledger still knows serial 8.
        Run rollback =
            runTool({"verify", "--anchors", m_authority.anchorsDir(), "--state",
                     dir.path() + QStringLiteral("/fresh.db"), "--ledger", ledger, m_policy});
        QCOMPARE(rollback.exitCode, 3);
        QCOMPARE(rollback.field("code"), QStringLiteral("policy.rollback"));
        QVERIFY(rollback.field("reason").contains("serial 8"));
    }

    void aRuleThatCannotBeEnforcedIsRefused()
    {
        QJsonObject policy = PolicyFixture::validPolicy();
        QJsonObject rules = policy[QStringLiteral("rules")].toObject();
        QJsonObject secret = rules[QStringLiteral("SECRET")].toObject();
        secret[QStringLiteral("clearance_check")] = true;
        rules[QStringLiteral("SECRET")] = secret;
        policy[QStringLiteral("rules")] = rules;
        const QString path = m_authority.writeSigned(QStringLiteral("clearance.json"),
                                                     PolicyFixture::toBytes(policy));
        Run r = runTool({"verify", "--anchors", m_authority.anchorsDir(), path});
        QCOMPARE(r.exitCode, 3);
        QCOMPARE(r.field("code"), QStringLiteral("policy.unenforceable"));
        QVERIFY(r.field("reason").contains("clearance checks for SECRET meetings"));
    }

    void malformedAndOversizedPoliciesAreInvalidInput()
    {
        const QString malformed =
            m_authority.writeSigned("malformed.json", "{\"format\": \"conclave-policy/1\",,}");
        Run m = runTool({"verify", "--anchors", m_authority.anchorsDir(), malformed});
        QCOMPARE(m.exitCode, 2);
        QCOMPARE(m.field("code"), QStringLiteral("policy.malformed"));
        QVERIFY(m.field("reason").contains("line 1"));

        const QString big = m_authority.writeSigned("big.json", QByteArray(1024 * 1024 + 10, ' '));
        Run b = runTool({"verify", "--anchors", m_authority.anchorsDir(), big});
        QCOMPARE(b.exitCode, 2);
        QCOMPARE(b.field("code"), QStringLiteral("policy.too_large"));
        QVERIFY(b.field("reason").contains("1 MiB"));
    }

    void checkDecidesStart()
    {
        Run allowed = check(m_policy, "secret-hub", "secret");
        QCOMPARE(allowed.exitCode, 0);
        QCOMPARE(allowed.field("event"), QStringLiteral("decision"));
        QCOMPARE(allowed.last().value("allowed").toBool(), true);
        QCOMPARE(allowed.field("marking"), QStringLiteral("SECRET"));
        QCOMPARE(allowed.last().value("rules").toObject().value("clearance_check").toBool(), false);

        Run above = check(m_policy, "dept-hub-1", "SECRET");
        QCOMPARE(above.exitCode, 3);
        QCOMPARE(above.field("code"), QStringLiteral("marking_not_approved"));
        QVERIFY(above.field("reason").contains(
            "SECRET meetings are not approved on backend 'dept-hub-1'"));
        QVERIFY(above.field("reason").contains("approved up to OFFICIAL-SENSITIVE"));
        QVERIFY(above.stderrText.contains("refused"));

        Run unknown = check(m_policy, "some-cloud-service", "OFFICIAL");
        QCOMPARE(unknown.exitCode, 3);
        QCOMPARE(unknown.field("code"), QStringLiteral("unknown_backend"));

        Run badMarking = check(m_policy, "dept-hub-1", "OFFICIAL UK EYES ONLY");
        QCOMPARE(badMarking.exitCode, 2);
        QVERIFY(badMarking.field("code").startsWith("marking."));
    }

    void withoutAPolicyOnlyOfficialIsAllowed()
    {
        Run official = runTool({"check", "--backend", "anything", "--marking", "OFFICIAL"});
        QCOMPARE(official.exitCode, 0);
        QVERIFY(official.field("policy").contains("built-in"));
        Run sensitive =
            runTool({"check", "--backend", "anything", "--marking", "OFFICIAL-SENSITIVE"});
        QCOMPARE(sensitive.exitCode, 3);
        QCOMPARE(sensitive.field("code"), QStringLiteral("no_signed_policy"));
        QVERIFY(
            sensitive.field("reason").contains("signed by your organisation's security authority"));
    }

    void markingCommand()
    {
        Run ok = runTool({"marking", "official sensitive  personal data"});
        QCOMPARE(ok.exitCode, 0);
        QCOMPARE(ok.field("canonical"), QStringLiteral("OFFICIAL-SENSITIVE PERSONAL DATA"));
        QCOMPARE(ok.field("grade"), QStringLiteral("OFFICIAL-SENSITIVE"));
        QVERIFY(!ok.last().value("corrections").toArray().isEmpty());

        Run bad = runTool({"marking", "OFFICIAL UK EYES ONLY"});
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(bad.field("event"), QStringLiteral("invalid"));
        QVERIFY(bad.field("reason").contains("UK EYES ONLY"));
    }

    void usageErrorsAndHelp()
    {
        QCOMPARE(runTool({}).exitCode, 2);
        QCOMPARE(runTool({"frobnicate"}).exitCode, 2);
        QCOMPARE(runTool({"check", "--marking", "OFFICIAL"}).exitCode, 2); // no --backend
        QCOMPARE(runTool({"verify", m_policy}).exitCode, 2);               // no --anchors
        QCOMPARE(runTool({"sign", "--key", "/nonexistent.key", m_policy}).exitCode, 2);
        for (const char* command : {"keygen", "sign", "verify", "check", "marking"}) {
            QProcess p;
            p.start(testsupport::binDir() + "/conclave-policy", {command, "--help"});
            QVERIFY(p.waitForFinished(30000));
            QCOMPARE(p.exitCode(), 0);
            QVERIFY(p.readAllStandardOutput().contains("Usage:"));
        }
    }
};

QTEST_GUILESS_MAIN(TestConclavePolicyCli)
#include "tst_conclave_policy_cli.moc"
