// SPDX-License-Identifier: GPL-3.0-or-later
// Which TURN relays a member's media uses (call::turnAccessFor, call::transportFor): the
// servers the signed policy lists for the meeting's backend, with the hub's credentials - a
// hub can give credentials but never add a server - and relay-only as the policy says, refused
// rather than going direct when the hub gave nothing.
#include "TurnBackend.h"
#include "call/TransportChoice.h"
#include "call/TurnAccess.h"

#include <QtTest>

using namespace conclave;
using calltest::kTurnCredential;
using calltest::kTurnUser;

class TestTurnAccess : public QObject {
    Q_OBJECT

private slots:
    void thePolicysServersGetTheHubsCredentials()
    {
        const policy::Backend b = calltest::backendWithTurn(true);
        const auto access =
            call::turnAccessFor(&b, turn::TurnCredentials{kTurnUser, kTurnCredential});
        QVERIFY2(access.ok(), access.ok() ? "" : access.error().message.c_str());
        QVERIFY(access->relayOnly);
        QCOMPARE(access->servers.size(), size_t{2});
        QCOMPARE(access->servers[0].url, QStringLiteral("turn:turn.example:443?transport=tcp"));
        QCOMPARE(access->servers[1].url, QStringLiteral("turn:turn.example:3478?transport=udp"));
        for (const auto& s : access->servers) {
            QCOMPARE(s.username, kTurnUser);
            QCOMPARE(s.credential, kTurnCredential);
        }
    }

    void credentialsWithoutServersInThePolicyGiveNoRelay()
    {
        policy::Backend b = calltest::backendWithTurn(false);
        b.endpoints.resize(1); // the hub only
        const auto access =
            call::turnAccessFor(&b, turn::TurnCredentials{kTurnUser, kTurnCredential});
        QVERIFY(access.ok());
        QVERIFY(access->servers.empty());
        QVERIFY(call::turnAccessFor(nullptr, turn::TurnCredentials{kTurnUser, kTurnCredential})
                    ->servers.empty());
    }

    void relayOnlyWithoutCredentialsIsRefusedNotSentDirect()
    {
        const policy::Backend b = calltest::backendWithTurn(true);
        const auto access = call::turnAccessFor(&b, std::nullopt);
        QVERIFY(!access.ok());
        QCOMPARE(access.error().code, std::string("media.turn_required"));
        QVERIFY(QString::fromStdString(access.error().message).contains("--turn-secret-file"));
        const policy::Backend relaxed = calltest::backendWithTurn(false);
        QVERIFY(call::turnAccessFor(&relaxed, std::nullopt)->servers.empty());
    }

    void theTransportGetsOnlyThePolicysServers()
    {
        const policy::Backend b = calltest::backendWithTurn(true);
        media::TransportContext context;
        // Whatever the options held before (a stale or foreign server) is replaced.
        context.options.turnServers = {{QStringLiteral("turn:relay.hub-operator.example"),
                                        QStringLiteral("1:x"), QStringLiteral("y")}};
        std::vector<Error> problems;
        context.reportProblem = [&](const Error& e) { problems.push_back(e); };
        auto refused = call::transportFor(
            [&] { return &b; }, [] { return std::optional<turn::TurnCredentials>(); })(context);
        QVERIFY(!refused);
        QCOMPARE(problems.size(), size_t{1});
        QCOMPARE(problems[0].code, std::string("media.turn_required"));
        auto made = call::transportFor([&] { return &b; },
                                       [] {
                                           return std::optional<turn::TurnCredentials>(
                                               turn::TurnCredentials{kTurnUser, kTurnCredential});
                                       })(context);
        QVERIFY(made);
        QCOMPARE(problems.size(), size_t{1});
    }
};

QTEST_GUILESS_MAIN(TestTurnAccess)
#include "tst_turnaccess.moc"
