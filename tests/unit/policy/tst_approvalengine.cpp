// SPDX-License-Identifier: GPL-3.0-or-later
#include "PolicyFixture.h"
#include "classification/MarkingParser.h"
#include "policy/ApprovalEngine.h"
#include "policy/BuiltinPolicy.h"
#include "policy/PolicyParser.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace conclave;
using namespace conclave::policy;
using testsupport::PolicyFixture;

namespace {

const std::string kDeptHubPin = "HYoBOaCjCOoSXvFSxIW1iPchsBvgrjof1Xcfzxjve3Y=";
const std::string kSecretHubPin = "5WzKEY/Cg14GaYZUx9xu5va+gaDI4preMixEmkIvVXk=";
const std::string kAllyHubPin = "T71lA61T2XpZAEVewU2IBLLuDHz+93O2i0uAoXhwmJ4=";

PolicyDocument referencePolicy()
{
    const QByteArray bytes = PolicyFixture::toBytes(PolicyFixture::validPolicy());
    return PolicyParser::parse({bytes.constData(), static_cast<size_t>(bytes.size())}).value();
}

classification::Marking mark(const char* text)
{
    static const auto scheme = classification::Scheme::ukGovernment();
    auto parsed = classification::MarkingParser(scheme).parse(text);
    if (!parsed)
        qFatal("test marking '%s' does not parse: %s", text, parsed.error().message.c_str());
    return parsed->marking;
}

} // namespace

class TestApprovalEngine : public QObject {
    Q_OBJECT

    PolicyDocument m_policy = referencePolicy();

private slots:
    void decidesStart_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("marking");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("official on dept hub") << "dept-hub-1"
                                              << "OFFICIAL" << true << "allowed" << QStringList{};
        QTest::newRow("sensitive on dept hub")
            << "dept-hub-1"
            << "OFFICIAL-SENSITIVE PERSONAL DATA" << true << "allowed" << QStringList{};
        QTest::newRow("secret on dept hub names both levels and an alternative")
            << "dept-hub-1"
            << "SECRET" << false << "marking_not_approved"
            << QStringList{"SECRET meetings are not approved on backend 'dept-hub-1'",
                           "approved up to OFFICIAL-SENSITIVE", "'secret-hub'"};
        QTest::newRow("secret on secret hub") << "secret-hub"
                                              << "SECRET" << true << "allowed" << QStringList{};
        QTest::newRow("top secret anywhere") << "secret-hub"
                                             << "TOP SECRET" << false << "marking_not_approved"
                                             << QStringList{"approved up to SECRET", "No backend"};
        QTest::newRow("unknown backend")
            << "zoom"
            << "OFFICIAL" << false << "unknown_backend" << QStringList{"'zoom'", "not listed"};
        QTest::newRow("uk eyes only abroad")
            << "ally-hub"
            << "SECRET UK EYES ONLY" << false << "jurisdiction_not_allowed"
            << QStringList{"UK EYES ONLY", "GB", "US"};
        QTest::newRow("uk/us eyes only on us backend")
            << "ally-hub"
            << "SECRET UK/US EYES ONLY" << true << "allowed" << QStringList{};
        QTest::newRow("embedded for sensitive")
            << "this-computer"
            << "OFFICIAL-SENSITIVE" << true << "allowed" << QStringList{};
        QTest::newRow("embedded not for secret")
            << "this-computer"
            << "SECRET" << false << "marking_not_approved" << QStringList{"'this-computer'"};
    }

    void decidesStart()
    {
        QFETCH(QString, backend);
        QFETCH(QString, marking);
        QFETCH(bool, allowed);
        QFETCH(QString, code);
        QFETCH(QStringList, mentions);
        const Decision d =
            ApprovalEngine(m_policy).decideStart(backend.toStdString(), mark(qPrintable(marking)));
        QCOMPARE(d.allowed, allowed);
        QCOMPARE(QString::fromStdString(d.code), code);
        QVERIFY(!d.reason.empty());
        for (const QString& m : mentions)
            QVERIFY2(QString::fromStdString(d.reason).contains(m), d.reason.c_str());
    }

    void builtinPolicyAllowsOnlyOfficial()
    {
        const PolicyDocument builtin = publicBusinessOnlyPolicy("no signed policy is installed");
        const ApprovalEngine engine(builtin);
        QVERIFY(engine.decideStart("any-service", mark("OFFICIAL")).allowed);
        const Decision d = engine.decideStart("any-service", mark("OFFICIAL-SENSITIVE"));
        QVERIFY(!d.allowed);
        QCOMPARE(d.code, std::string("no_signed_policy"));
        QVERIFY2(d.reason.find("no signed policy is installed") != std::string::npos,
                 d.reason.c_str());
        QVERIFY2(d.reason.find("Ask your IT security team") != std::string::npos, d.reason.c_str());
        QVERIFY(!engine.decideJoin({"x", mark("SECRET"), "pin", "pin", "", false}).allowed);
        QVERIFY(engine.decideJoin({"x", mark("OFFICIAL"), "pin", "pin", "", false}).allowed);
        QVERIFY(builtin.rulesFor(mark("OFFICIAL")).openKnocking);
    }

    void joinChecksTheBackendActuallyConnected()
    {
        const ApprovalEngine engine(m_policy);
        QVERIFY(engine.decideJoin({"dept-hub-1", mark("OFFICIAL"), kDeptHubPin, "", "", false})
                    .allowed);

        const Decision swapped =
            engine.decideJoin({"secret-hub", mark("SECRET"), kDeptHubPin, "", "", false});
        QVERIFY(!swapped.allowed);
        QCOMPARE(swapped.code, std::string("backend_mismatch"));
        QVERIFY(swapped.reason.find("'dept-hub-1'") != std::string::npos);

        const Decision stranger =
            engine.decideJoin({"dept-hub-1", mark("OFFICIAL"), "c3RyYW5nZXI=", "", "", false});
        QCOMPARE(stranger.code, std::string("unknown_server"));

        // A descriptor whose marking is above what the connected backend may carry.
        const Decision above =
            engine.decideJoin({"dept-hub-1", mark("SECRET"), kDeptHubPin, "", "", false});
        QCOMPARE(above.code, std::string("marking_not_approved"));

        const Decision abroad = engine.decideJoin(
            {"ally-hub", mark("SECRET UK EYES ONLY"), kAllyHubPin, "", "", false});
        QCOMPARE(abroad.code, std::string("jurisdiction_not_allowed"));

        QVERIFY(
            !engine.decideJoin({"vanished", mark("OFFICIAL"), kDeptHubPin, "", "", false}).allowed);
    }

    void joinOnAnEmbeddedBackendNeedsTheInvitePin()
    {
        const ApprovalEngine engine(m_policy);
        QVERIFY(
            engine
                .decideJoin({"this-computer", mark("OFFICIAL-SENSITIVE"), "pinA", "pinA", "", true})
                .allowed);
        const Decision mitm =
            engine.decideJoin({"this-computer", mark("OFFICIAL"), "pinB", "pinA", "", false});
        QCOMPARE(mitm.code, std::string("server_key_mismatch"));
        QCOMPARE(engine.decideJoin({"this-computer", mark("OFFICIAL"), "pinA", "", "", false}).code,
                 std::string("server_key_mismatch"));
        QCOMPARE(
            engine.decideJoin({"this-computer", mark("SECRET"), "pinA", "pinA", "", false}).code,
            std::string("marking_not_approved"));
    }

    void anEmbeddedBackendIsThisComputerOrAListedManagedDevice()
    {
        const std::string chair = std::string(44 - 1, 'A') + "=";
        QJsonObject json = PolicyFixture::validPolicy();
        QJsonArray backends = json.value("backends").toArray();
        QJsonObject embedded = backends[0].toObject();
        QCOMPARE(embedded.value("id").toString(), QStringLiteral("this-computer"));
        embedded.insert("hosts", QJsonArray{QString::fromStdString(chair)});
        backends[0] = embedded;
        json.insert("backends", backends);
        const QByteArray bytes = PolicyFixture::toBytes(json);
        const PolicyDocument listed =
            PolicyParser::parse({bytes.constData(), size_t(bytes.size())}).value();
        const Backend& here = *m_policy.findBackend("this-computer");

        // OFFICIAL anywhere; above it only on loopback, unless the host is a listed device.
        const ApprovalEngine engine(m_policy);
        QVERIFY(engine.decideEmbeddedHosting(here, mark("OFFICIAL"), {chair, false}).allowed);
        QVERIFY(
            engine.decideEmbeddedHosting(here, mark("OFFICIAL-SENSITIVE"), {chair, true}).allowed);
        const Decision unlisted =
            engine.decideEmbeddedHosting(here, mark("OFFICIAL-SENSITIVE"), {chair, false});
        QCOMPARE(unlisted.code, std::string("embedded_host_not_listed"));
        QVERIFY(unlisted.reason.find(chair) != std::string::npos);
        QVERIFY(ApprovalEngine(listed)
                    .decideEmbeddedHosting(*listed.findBackend("this-computer"),
                                           mark("OFFICIAL-SENSITIVE"), {chair, false})
                    .allowed);

        // A joiner applies the same rule to the hub it reached and the descriptor's chair.
        QCOMPARE(engine
                     .decideJoin({"this-computer", mark("OFFICIAL-SENSITIVE"), "pinA", "pinA",
                                  chair, false})
                     .code,
                 std::string("embedded_host_not_listed"));
        QVERIFY(ApprovalEngine(listed)
                    .decideJoin(
                        {"this-computer", mark("OFFICIAL-SENSITIVE"), "pinA", "pinA", chair, false})
                    .allowed);
        QVERIFY(engine.decideJoin({"this-computer", mark("OFFICIAL"), "pinA", "pinA", chair, false})
                    .allowed);
    }

    void markingChanges()
    {
        const ApprovalEngine engine(m_policy);
        const Decision raiseHere =
            engine.decideMarkingChange("dept-hub-1", mark("OFFICIAL"), mark("SECRET"), false);
        QCOMPARE(raiseHere.code, std::string("marking_not_approved"));
        QVERIFY(engine
                    .decideMarkingChange("secret-hub", mark("OFFICIAL-SENSITIVE"), mark("SECRET"),
                                         false)
                    .allowed);

        const Decision lower =
            engine.decideMarkingChange("secret-hub", mark("SECRET"), mark("OFFICIAL"), false);
        QCOMPARE(lower.code, std::string("lowering_needs_confirmation"));
        QVERIFY(lower.reason.find("from SECRET to OFFICIAL") != std::string::npos);
        QVERIFY(engine.decideMarkingChange("secret-hub", mark("SECRET"), mark("OFFICIAL"), true)
                    .allowed);

        // Same grade, but the new caveat excludes this backend's jurisdiction.
        QCOMPARE(
            engine
                .decideMarkingChange("ally-hub", mark("SECRET"), mark("SECRET UK EYES ONLY"), false)
                .code,
            std::string("jurisdiction_not_allowed"));
    }

    void offersEveryBackendWithItsDecision()
    {
        const auto options = ApprovalEngine(m_policy).backendOptions(mark("SECRET UK EYES ONLY"));
        QCOMPARE(options.size(), size_t{4});
        QStringList allowed;
        for (const auto& o : options)
            if (o.decision.allowed)
                allowed << QString::fromStdString(o.backendId);
        QCOMPARE(allowed, QStringList{"secret-hub"});
    }
};

QTEST_GUILESS_MAIN(TestApprovalEngine)
#include "tst_approvalengine.moc"
