// SPDX-License-Identifier: GPL-3.0-or-later
#include "PolicyFixture.h"
#include "TestPaths.h"
#include "classification/MarkingParser.h"
#include "policy/PolicyParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <functional>

using namespace conclave;
using namespace conclave::policy;
using testsupport::PolicyFixture;

using Mutation = std::function<void(QJsonObject&)>;
Q_DECLARE_METATYPE(Mutation)

namespace {

Result<PolicyDocument> parseBytes(const QByteArray& bytes)
{
    return PolicyParser::parse(
        std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
}

/// Applies `f` to backends[index] of the policy.
Mutation onBackend(int index, std::function<void(QJsonObject&)> f)
{
    return [index, f](QJsonObject& p) {
        QJsonArray backends = p[QStringLiteral("backends")].toArray();
        QJsonObject b = backends[index].toObject();
        f(b);
        backends[index] = b;
        p[QStringLiteral("backends")] = backends;
    };
}

Mutation setBackendKey(int index, const char* key, QJsonValue value)
{
    return onBackend(index, [key, value](QJsonObject& b) { b[QLatin1String(key)] = value; });
}

Mutation setFirstPin(int backend, QString pin)
{
    return onBackend(backend, [pin](QJsonObject& b) {
        QJsonArray endpoints = b[QStringLiteral("endpoints")].toArray();
        QJsonObject e = endpoints[0].toObject();
        e[QStringLiteral("tls_spki_sha256")] = QJsonArray{pin};
        endpoints[0] = e;
        b[QStringLiteral("endpoints")] = endpoints;
    });
}

/// Sets `key` of the secret hub's TURN endpoint (backends[2].endpoints[2]).
Mutation setTurnKey(const char* key, QJsonValue value)
{
    return onBackend(2, [key, value](QJsonObject& b) {
        QJsonArray endpoints = b[QStringLiteral("endpoints")].toArray();
        QJsonObject e = endpoints[2].toObject();
        e[QLatin1String(key)] = value;
        endpoints[2] = e;
        b[QStringLiteral("endpoints")] = endpoints;
    });
}

classification::Marking mark(const PolicyDocument& doc, const char* text)
{
    auto parsed = classification::MarkingParser(doc.scheme).parse(text);
    if (!parsed)
        qFatal("test marking '%s' does not parse: %s", text, parsed.error().message.c_str());
    return parsed->marking;
}

} // namespace

class TestPolicyParser : public QObject {
    Q_OBJECT

private slots:
    void parsesTheReferencePolicy()
    {
        auto doc = parseBytes(PolicyFixture::toBytes(PolicyFixture::validPolicy()));
        QVERIFY2(doc.ok(), doc.ok() ? "" : doc.error().message.c_str());
        QCOMPARE(doc->serial, uint64_t{7});
        QCOMPARE(doc->issuer, std::string("Department for Testing Security Authority"));
        QCOMPARE(doc->scheme.id, std::string("uk-gsc-2023"));
        QCOMPARE(doc->backends.size(), size_t{4});
        const Backend* secret = doc->findBackend("secret-hub");
        QVERIFY(secret);
        QVERIFY(secret->kind == BackendKind::HubJanus);
        QCOMPARE(secret->maxMarking.canonical, std::string("SECRET"));
        QCOMPARE(secret->endpoints.size(), size_t{3});
        QCOMPARE(secret->endpoints[0].spkiSha256.size(), size_t{2});
        QCOMPARE(doc->findBackendByPin(secret->endpoints[1].spkiSha256[0]), secret);
        QVERIFY(secret->endpoints[2].role == Endpoint::Role::Turn);
        QVERIFY(secret->endpoints[2].spkiSha256.empty());
        QCOMPARE(secret->turnUrls(),
                 std::vector<std::string>{"turn:turn.dept.example:443?transport=tcp"});
        QVERIFY(!secret->relayOnly);
        QVERIFY(doc->findBackend("dept-hub-1")->turnUrls().empty());
        QVERIFY(doc->findBackend("this-computer")->kind == BackendKind::Embedded);
        QVERIFY(!doc->findBackend("nope"));
    }

    void readsTurnServersAndRelayOnly_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("udp") << QStringLiteral("turn:10.0.0.2?transport=udp");
        QTest::newRow("tcp on 443") << QStringLiteral("turn:turn.dept.example:443?transport=tcp");
        QTest::newRow("both, default port") << QStringLiteral("turn:turn.dept.example");
        QTest::newRow("ipv6") << QStringLiteral("turn:[2001:db8::2]:3478");
    }

    void readsTurnServersAndRelayOnly()
    {
        QFETCH(QString, url);
        QJsonObject policy = PolicyFixture::validPolicy();
        setTurnKey("url", url)(policy);
        setBackendKey(2, "relay_only", true)(policy);
        auto doc = parseBytes(PolicyFixture::toBytes(policy));
        QVERIFY2(doc.ok(), doc.ok() ? "" : doc.error().message.c_str());
        const Backend* secret = doc->findBackend("secret-hub");
        QCOMPARE(secret->turnUrls(), std::vector<std::string>{url.toStdString()});
        QVERIFY(secret->relayOnly);
    }

    void rulesFollowTheMarkingsGrade()
    {
        auto doc = parseBytes(PolicyFixture::toBytes(PolicyFixture::validPolicy()));
        QVERIFY(doc.ok());
        const MeetingRules official = doc->rulesFor(mark(*doc, "OFFICIAL"));
        QVERIFY(official.openKnocking);
        QVERIFY(!official.perPersonInvites);
        const MeetingRules sensitive =
            doc->rulesFor(mark(*doc, "OFFICIAL-SENSITIVE PERSONAL DATA"));
        QVERIFY(sensitive.perPersonInvites);
        QVERIFY(!sensitive.openKnocking);
        const MeetingRules secret = doc->rulesFor(mark(*doc, "SECRET UK EYES ONLY"));
        QVERIFY(!secret.clearanceCheck);
        QVERIFY(!secret.chat);
        // TOP SECRET has no rules entry: the strictest defaults apply.
        QVERIFY(doc->rulesFor(mark(*doc, "TOP SECRET")) == MeetingRules{});
    }

    void rejectsBadPolicies_data()
    {
        QTest::addColumn<Mutation>("mutation");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mentions");
        const QString invalid = QStringLiteral("policy.invalid");
        QTest::newRow("unknown top-level key")
            << Mutation([](QJsonObject& p) { p[QStringLiteral("serail")] = 3; }) << invalid
            << "serail";
        QTest::newRow("missing serial")
            << Mutation([](QJsonObject& p) { p.remove(QStringLiteral("serial")); }) << invalid
            << "serial";
        QTest::newRow("serial zero")
            << Mutation([](QJsonObject& p) { p[QStringLiteral("serial")] = 0; }) << invalid
            << "serial";
        QTest::newRow("fractional serial")
            << Mutation([](QJsonObject& p) { p[QStringLiteral("serial")] = 1.5; }) << invalid
            << "whole number";
        QTest::newRow("serial as string")
            << Mutation([](QJsonObject& p) { p[QStringLiteral("serial")] = QStringLiteral("7"); })
            << invalid << "serial";
        QTest::newRow("wrong format") << Mutation([](QJsonObject& p) {
            p[QStringLiteral("format")] = QStringLiteral("conclave-policy/9");
        }) << invalid << "conclave-policy/9";
        QTest::newRow("window reversed") << Mutation([](QJsonObject& p) {
            p[QStringLiteral("not_after")] = QStringLiteral("2024-01-01T00:00:00Z");
        }) << invalid << "not_after";
        QTest::newRow("local time") << Mutation([](QJsonObject& p) {
            p[QStringLiteral("not_before")] = QStringLiteral("2025-01-01T00:00:00+01:00");
        }) << invalid << "not_before";
        QTest::newRow("impossible date") << Mutation([](QJsonObject& p) {
            p[QStringLiteral("not_after")] = QStringLiteral("2099-02-30T00:00:00Z");
        }) << invalid << "2099-02-30";
        QTest::newRow("unknown scheme") << Mutation([](QJsonObject& p) {
            p[QStringLiteral("scheme")] = QStringLiteral("uk-gpms-2009");
        }) << invalid << "uk-gpms-2009";
        QTest::newRow("backend kind")
            << setBackendKey(1, "kind", QStringLiteral("cloud")) << invalid << "cloud";
        QTest::newRow("backend id with capitals")
            << setBackendKey(1, "id", QStringLiteral("Dept Hub")) << invalid << "backends[1].id";
        QTest::newRow("duplicate backend id")
            << setBackendKey(2, "id", QStringLiteral("dept-hub-1")) << invalid << "dept-hub-1";
        QTest::newRow("embedded with endpoints")
            << setBackendKey(0, "endpoints",
                             QJsonArray{QJsonObject{{"role", "hub"},
                                                    {"url", "wss://x"},
                                                    {"tls_spki_sha256", QJsonArray{}}}})
            << invalid << "tls_spki_sha256";
        QTest::newRow("embedded hosts not keys")
            << setBackendKey(0, "hosts", QJsonArray{QStringLiteral("alice-laptop")}) << invalid
            << "backends[0].hosts";
        QTest::newRow("embedded hosts not a list")
            << setBackendKey(0, "hosts", QStringLiteral("x")) << invalid << "backends[0].hosts";
        QTest::newRow("hosts on a hub")
            << setBackendKey(1, "hosts", QJsonArray{QString(43, 'A') + QStringLiteral("=")})
            << invalid << "only for embedded";
        QTest::newRow("hub without endpoint")
            << setBackendKey(1, "endpoints", QJsonArray{}) << invalid << "exactly one hub endpoint";
        QTest::newRow("plain websocket url") << onBackend(1, [](QJsonObject& b) {
            QJsonArray e = b[QStringLiteral("endpoints")].toArray();
            QJsonObject hub = e[0].toObject();
            hub[QStringLiteral("url")] = QStringLiteral("ws://hub1.dept.example");
            e[0] = hub;
            b[QStringLiteral("endpoints")] = e;
        }) << invalid << "wss://";
        QTest::newRow("turn over tls")
            << setTurnKey("url", QStringLiteral("turns:turn.dept.example:5349")) << invalid
            << "turn:<host>:443?transport=tcp";
        QTest::newRow("turn url with a path")
            << setTurnKey("url", QStringLiteral("turn://turn.dept.example")) << invalid
            << "backends[2].endpoints[2].url";
        QTest::newRow("turn transport tls")
            << setTurnKey("url", QStringLiteral("turn:turn.dept.example?transport=tls")) << invalid
            << "transport=udp or transport=tcp";
        QTest::newRow("turn port out of range")
            << setTurnKey("url", QStringLiteral("turn:turn.dept.example:70000")) << invalid
            << "1 to 65535";
        QTest::newRow("turn with a pin")
            << setTurnKey("tls_spki_sha256", QJsonArray{QStringLiteral(
                                                 "oU9e3PTF9Wucxr/mtAWQz4DVl1XLkhj3/1UdqVmb/Fw=")})
            << invalid << "no key to pin";
        QTest::newRow("hub endpoint as turn url") << onBackend(1, [](QJsonObject& b) {
            QJsonArray e = b[QStringLiteral("endpoints")].toArray();
            QJsonObject hub = e[0].toObject();
            hub[QStringLiteral("url")] = QStringLiteral("turn:hub1.dept.example");
            e[0] = hub;
            b[QStringLiteral("endpoints")] = e;
        }) << invalid << "wss://";
        QTest::newRow("relay only without turn")
            << setBackendKey(1, "relay_only", true) << invalid << "lists no turn endpoint";
        QTest::newRow("relay only not a boolean")
            << setBackendKey(2, "relay_only", QStringLiteral("yes")) << invalid
            << "backends[2].relay_only";
        QTest::newRow("pin not base64")
            << setFirstPin(1, QStringLiteral("not a pin!")) << invalid << "not a pin!";
        QTest::newRow("pin too short")
            << setFirstPin(1, QStringLiteral("AAAA")) << invalid << "32-byte";
        QTest::newRow("pin shared by two backends")
            << setFirstPin(3, QStringLiteral("HYoBOaCjCOoSXvFSxIW1iPchsBvgrjof1Xcfzxjve3Y="))
            << invalid << "reuses the pin";
        QTest::newRow("max_marking with descriptor")
            << setBackendKey(1, "max_marking", QStringLiteral("OFFICIAL-SENSITIVE PERSONAL DATA"))
            << invalid << "exactly one of";
        QTest::newRow("max_marking misspelt")
            << setBackendKey(1, "max_marking", QStringLiteral("SECRETS")) << invalid
            << "max_marking";
        QTest::newRow("jurisdiction lower case")
            << setBackendKey(1, "jurisdiction", QStringLiteral("gb")) << invalid << "two-letter";
        QTest::newRow("unknown backend key")
            << setBackendKey(1, "max_markng", QStringLiteral("SECRET")) << invalid << "max_markng";
        QTest::newRow("rules for unknown grade") << Mutation([](QJsonObject& p) {
            QJsonObject r = p[QStringLiteral("rules")].toObject();
            r[QStringLiteral("CONFIDENTIAL")] = r[QStringLiteral("SECRET")];
            p[QStringLiteral("rules")] = r;
        }) << invalid << "CONFIDENTIAL";
        QTest::newRow("rule field missing") << Mutation([](QJsonObject& p) {
            QJsonObject r = p[QStringLiteral("rules")].toObject();
            QJsonObject s = r[QStringLiteral("SECRET")].toObject();
            s.remove(QStringLiteral("chat"));
            r[QStringLiteral("SECRET")] = s;
            p[QStringLiteral("rules")] = r;
        }) << invalid << "rules.SECRET.chat";
        QTest::newRow("e2ee switched off") << Mutation([](QJsonObject& p) {
            QJsonObject r = p[QStringLiteral("rules")].toObject();
            QJsonObject s = r[QStringLiteral("OFFICIAL")].toObject();
            s[QStringLiteral("e2ee")] = false;
            r[QStringLiteral("OFFICIAL")] = s;
            p[QStringLiteral("rules")] = r;
        }) << invalid << "end-to-end";
    }

    void rejectsBadPolicies()
    {
        QFETCH(Mutation, mutation);
        QFETCH(QString, code);
        QFETCH(QString, mentions);
        QJsonObject policy = PolicyFixture::validPolicy();
        mutation(policy);
        auto doc = parseBytes(PolicyFixture::toBytes(policy));
        QVERIFY(!doc.ok());
        QCOMPARE(QString::fromStdString(doc.error().code), code);
        QVERIFY2(QString::fromStdString(doc.error().message).contains(mentions),
                 doc.error().message.c_str());
    }

    void refusesAClearanceCheckItCannotEnforce()
    {
        // Nothing in Conclave learns a person's clearance; a policy asking for the check must
        // be refused, not loaded with the check silently missing.
        QJsonObject policy = PolicyFixture::validPolicy();
        QJsonObject rules = policy[QStringLiteral("rules")].toObject();
        QJsonObject secret = rules[QStringLiteral("SECRET")].toObject();
        secret[QStringLiteral("clearance_check")] = true;
        rules[QStringLiteral("SECRET")] = secret;
        policy[QStringLiteral("rules")] = rules;
        auto doc = parseBytes(PolicyFixture::toBytes(policy));
        QVERIFY2(!doc.ok(), "a policy requiring an unenforceable clearance check was accepted");
        QCOMPARE(doc.error().code, std::string("policy.unenforceable"));
        QCOMPARE(doc.error().category, ErrorCategory::PolicyRefusal); // not the file's form
        const std::string& why = doc.error().message;
        QVERIFY2(why.find("requires clearance checks for SECRET meetings") != std::string::npos,
                 why.c_str());
        QVERIFY2(why.find("cannot enforce") != std::string::npos, why.c_str());
        QVERIFY2(why.find("set it to false") != std::string::npos, why.c_str());
        // A grade the policy does not mention is not given a check that nothing performs.
        QVERIFY(!MeetingRules{}.clearanceCheck);
    }

    void reportsWhereJsonIsBroken()
    {
        auto doc = parseBytes("{\n  \"format\": \"conclave-policy/1\",\n  \"serial\": 7,,\n}");
        QVERIFY(!doc.ok());
        QCOMPARE(doc.error().code, std::string("policy.malformed"));
        QCOMPARE(doc.error().category, ErrorCategory::InvalidInput);
        QVERIFY2(doc.error().message.find("line 3") != std::string::npos,
                 doc.error().message.c_str());
        auto array = parseBytes("[1, 2]");
        QVERIFY(!array.ok());
        QCOMPARE(array.error().code, std::string("policy.malformed"));
    }

    void refusesMoreThanOneMebibyte()
    {
        QByteArray big = PolicyFixture::toBytes(PolicyFixture::validPolicy());
        big.append(QByteArray(int(PolicyParser::kMaxBytes), ' '));
        auto doc = parseBytes(big);
        QVERIFY(!doc.ok());
        QCOMPARE(doc.error().code, std::string("policy.too_large"));
    }

    void readsASchemeDefinedInThePolicy()
    {
        auto doc = parseBytes(testsupport::readFile(testsupport::testDataDir() +
                                                    QStringLiteral("/policy/nato-policy.json")));
        QVERIFY2(doc.ok(), doc.ok() ? "" : doc.error().message.c_str());
        QCOMPARE(doc->scheme.id, std::string("nato"));
        QCOMPARE(doc->scheme.approvalGrades().size(), size_t{5});
        QCOMPARE(doc->findBackend("alliance-hub")->maxMarking.canonical,
                 std::string("NATO CONFIDENTIAL"));
        const classification::MarkingParser parser(doc->scheme);
        QVERIFY(parser.parse("NATO SECRET ATOMAL").ok());
        QVERIFY(!parser.parse("OFFICIAL-SENSITIVE").ok());
        QVERIFY(doc->rulesFor(mark(*doc, "NATO CONFIDENTIAL")).perPersonInvites);
    }

    void registersCodewordsOnTheUkScheme()
    {
        QJsonObject policy = PolicyFixture::validPolicy();
        policy[QStringLiteral("scheme")] =
            QJsonObject{{"base", "uk-gsc-2023"}, {"codewords", QJsonArray{"NIGHTJAR"}}};
        auto doc = parseBytes(PolicyFixture::toBytes(policy));
        QVERIFY2(doc.ok(), doc.ok() ? "" : doc.error().message.c_str());
        QVERIFY(classification::MarkingParser(doc->scheme).parse("SECRET NIGHTJAR").ok());

        policy[QStringLiteral("scheme")] =
            QJsonObject{{"base", "uk-gsc-2023"}, {"codewords", QJsonArray{"two words"}}};
        auto bad = parseBytes(PolicyFixture::toBytes(policy));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.find("two words") != std::string::npos,
                 bad.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPolicyParser)
#include "tst_policyparser.moc"
