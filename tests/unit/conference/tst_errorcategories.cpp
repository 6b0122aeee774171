// SPDX-License-Identifier: GPL-3.0-or-later
// Error categories (docs/architecture.md): what kind of failure an error is travels with it,
// from the producer - the policy, the marking parser, the hub's notice - to the exit code and
// the failure line of the programs (app/support/ExitCode.h), never read from the code's prefix.
#include "ExitCode.h"
#include "PolicyFixture.h"
#include "classification/MarkingParser.h"
#include "hub/HubNotice.h"
#include "meeting/ChairSession.h"
#include "policy/PolicyParser.h"

#include <QtTest>

using namespace conclave;
using conclave::testsupport::PolicyFixture;

namespace {

policy::PolicyDocument referencePolicy()
{
    const QByteArray bytes = PolicyFixture::toBytes(PolicyFixture::validPolicy());
    return policy::PolicyParser::parse({bytes.constData(), size_t(bytes.size())}).value();
}

classification::Marking mark(const policy::PolicyDocument& policy, const char* text)
{
    return classification::MarkingParser(policy.scheme).parse(text).value().marking;
}

/// The refused notice as a client receives it: encoded by a hub, decoded here.
Error received(const char* code)
{
    const auto notice =
        hub::HubNotice::decode(hub::HubNotice::refused(code, "the hub's reason").encode());
    if (!notice)
        return notice.error();
    return notice->toError();
}

} // namespace

Q_DECLARE_METATYPE(conclave::ErrorCategory)

class TestErrorCategories : public QObject {
    Q_OBJECT

    const policy::PolicyDocument m_policy = referencePolicy();
    const FixedClock m_clock{TimePoint(std::chrono::seconds(1795000000))};
    const crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();

    meeting::ChairSetup chairSetup(const char* marking, const char* title = "Evidence session")
    {
        meeting::ChairSetup s;
        s.title = QString::fromLatin1(title);
        s.marking = mark(m_policy, marking);
        s.backendId = QStringLiteral("dept-hub-1"); // approved up to OFFICIAL-SENSITIVE
        s.hubUrl = QStringLiteral("wss://192.0.2.10:9443");
        s.hubPin = QStringLiteral("pin");
        s.chairName = QStringLiteral("Chair");
        s.hostedHere = false;
        return s;
    }

private slots:
    void aMarkingThePolicyDoesNotApproveIsAPolicyRefusal()
    {
        auto refused =
            meeting::ChairSession::create(m_chairKey, m_policy, m_clock, chairSetup("SECRET"));
        QVERIFY(!refused.ok());
        const Error& e = refused.error();
        QCOMPARE(e.code, std::string("policy.marking_not_approved"));
        QCOMPARE(e.category, ErrorCategory::PolicyRefusal);
        QVERIFY(e.isPolicyRefusal());
        QCOMPARE(app::exitCodeFor(e, app::kExitInvalidInput), int(app::kExitRefusedByPolicy));
        QCOMPARE(std::string(app::failureEventFor(e)), std::string("refused"));
    }

    void aNonPolicyErrorOfTheSameCallIsNot()
    {
        auto untitled = meeting::ChairSession::create(m_chairKey, m_policy, m_clock,
                                                      chairSetup("OFFICIAL", "   "));
        QVERIFY(!untitled.ok());
        QCOMPARE(untitled.error().code, std::string("meeting.no_title"));
        QVERIFY(!untitled.error().isPolicyRefusal());
        QCOMPARE(app::exitCodeFor(untitled.error()), int(app::kExitInvalidInput));
        QCOMPARE(std::string(app::failureEventFor(untitled.error())), std::string("error"));
    }

    void anInvalidMarkingIsInvalidInputNotARefusal()
    {
        // "marking.*": the old prefix test of the host runner counted this as a refusal (3);
        // docs/cli.md says an invalid marking is invalid input (2).
        auto parsed = classification::MarkingParser(m_policy.scheme).parse("SECRET BANANA");
        QVERIFY(!parsed.ok());
        QVERIFY(parsed.error().code.rfind("marking.", 0) == 0);
        QCOMPARE(parsed.error().category, ErrorCategory::InvalidInput);
        QCOMPARE(app::exitCodeFor(parsed.error()), int(app::kExitInvalidInput));
        QCOMPARE(std::string(app::failureEventFor(parsed.error())), std::string("error"));
    }

    void anUnclassifiedErrorExitsAsItsCallerSays()
    {
        const Error plain{"storage.full", "the disk is full"};
        QCOMPARE(plain.category, ErrorCategory::Unspecified);
        QCOMPARE(app::exitCodeFor(plain), int(app::kExitFailed));
        QCOMPARE(app::exitCodeFor(plain, app::kExitConnectionOrIdentity),
                 int(app::kExitConnectionOrIdentity));
        QCOMPARE(std::string(app::failureEventFor(plain)), std::string("error"));
    }

    void hubRefusalsArriveWithTheirCategory_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<ErrorCategory>("category");
        QTest::addColumn<int>("exitCode");
        const auto row = [](const char* code, ErrorCategory c, int exit) {
            QTest::newRow(code) << QString::fromLatin1(code) << c << exit;
        };
        // The hub's policy refusals carry no "policy." prefix: the old join runner read every
        // one of them as "turned away" (5), the old host runner options_not_allowed,
        // backend_mismatch and jurisdiction_not_allowed as a connection failure (4).
        row("marking_not_approved", ErrorCategory::PolicyRefusal, app::kExitRefusedByPolicy);
        row("options_not_allowed", ErrorCategory::PolicyRefusal, app::kExitRefusedByPolicy);
        row("backend_mismatch", ErrorCategory::PolicyRefusal, app::kExitRefusedByPolicy);
        row("jurisdiction_not_allowed", ErrorCategory::PolicyRefusal, app::kExitRefusedByPolicy);
        row("no_signed_policy", ErrorCategory::PolicyRefusal, app::kExitRefusedByPolicy);
        row("policy.expired", ErrorCategory::PolicyRefusal, app::kExitRefusedByPolicy);
        row("marking.not_canonical", ErrorCategory::PolicyRefusal, app::kExitRefusedByPolicy);
        row("marking.scheme_mismatch", ErrorCategory::PolicyRefusal, app::kExitRefusedByPolicy);
        // The hub does not take this chair's meeting, or the connection itself.
        row("hub.chair_not_allowed", ErrorCategory::ConnectionOrIdentity,
            app::kExitConnectionOrIdentity);
        row("meeting.wrong_hub", ErrorCategory::ConnectionOrIdentity,
            app::kExitConnectionOrIdentity);
        row("connections.per_source", ErrorCategory::ConnectionOrIdentity,
            app::kExitConnectionOrIdentity);
        // A knock turned away.
        row("meeting.locked", ErrorCategory::DeniedOrRemoved, app::kExitDeniedOrRemoved);
        row("meeting.banned", ErrorCategory::DeniedOrRemoved, app::kExitDeniedOrRemoved);
        row("invite.used", ErrorCategory::DeniedOrRemoved, app::kExitDeniedOrRemoved);
        row("lobby.full", ErrorCategory::DeniedOrRemoved, app::kExitDeniedOrRemoved);
        // A code a newer hub may send: still a turn-away, never mistaken for a policy refusal.
        row("lobby.someday_new", ErrorCategory::DeniedOrRemoved, app::kExitDeniedOrRemoved);
        row("something.new", ErrorCategory::DeniedOrRemoved, app::kExitDeniedOrRemoved);
    }

    void hubRefusalsArriveWithTheirCategory()
    {
        QFETCH(QString, code);
        QFETCH(ErrorCategory, category);
        QFETCH(int, exitCode);
        const Error e = received(code.toUtf8().constData());
        QCOMPARE(QString::fromStdString(e.code), code);
        QCOMPARE(e.message, std::string("the hub's reason"));
        QCOMPARE(e.category, category);
        QCOMPARE(app::exitCodeFor(e), exitCode);
        QCOMPARE(std::string(app::failureEventFor(e)),
                 std::string(category == ErrorCategory::PolicyRefusal ? "refused" : "error"));
    }

    void aDroppedMessageIsNoTurnAway()
    {
        // `error` notices: one message dropped, the connection stays. Only a policy code (a
        // marking change the hub's policy does not approve) keeps its category.
        const auto chat = hub::HubNotice::decode(
            hub::HubNotice::error("meeting.chat_disabled", "chat is off").encode());
        QVERIFY(chat.ok());
        QCOMPARE(chat->toError().category, ErrorCategory::Unspecified);
        const auto raise = hub::HubNotice::decode(
            hub::HubNotice::error("marking_not_approved", "not here").encode());
        QVERIFY(raise.ok());
        QCOMPARE(raise->toError().category, ErrorCategory::PolicyRefusal);
        const auto limited =
            hub::HubNotice::decode(hub::HubNotice::error("hub.rate_limited", "slow down").encode());
        QVERIFY(limited.ok());
        QCOMPARE(limited->toError().category, ErrorCategory::Unspecified);
    }

    void categoryIsPartOfEquality()
    {
        const Error a{"x", "y"};
        QVERIFY(a == (Error{"x", "y"}));
        QVERIFY(!(a == a.withCategory(ErrorCategory::PolicyRefusal)));
        QCOMPARE(a.withCategory(ErrorCategory::InvalidInput).code, a.code);
    }
};

QTEST_GUILESS_MAIN(TestErrorCategories)
#include "tst_errorcategories.moc"
