// SPDX-License-Identifier: GPL-3.0-or-later
// Liveness on both ends of a hub connection (docs/protocol.md §1): through a relay that can
// swallow every byte while keeping TCP up (a dead path, as a cut cable looks to each end), the
// client gives the hub up within its limit (and one that never answers at its deadline) and the hub
// closes the silent connection; a quiet but live connection stays open, and a client can connect
// again after losing one.
#include "client/HubClient.h"
#include "hub/HubServer.h"
#include "tls/TlsIdentity.h"

#include "StallingProxy.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

#include <memory>
#include <vector>

using namespace conclave;
using namespace std::chrono_literals;

class TestHubLiveness : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SystemClock m_clock;

    std::unique_ptr<hub::HubServer> startHub(hub::HubLimits limits = {})
    {
        auto identity = tls::TlsIdentity::loadOrCreate(m_dir.path(), QStringLiteral("test-hub"));
        if (!identity)
            qFatal("no TLS identity: %s", identity.error().message.c_str());
        auto server =
            std::make_unique<hub::HubServer>(std::move(identity).value(), limits, m_clock);
        if (!server->listen(QHostAddress(QHostAddress::LocalHost), 0))
            qFatal("the test hub cannot listen");
        return server;
    }

    static QString urlVia(const testsupport::StallingProxy& proxy)
    {
        return QStringLiteral("wss://127.0.0.1:%1").arg(proxy.port());
    }

    static constexpr client::Liveness kQuick{200ms, 1000ms};

private slots:
    void aDeadPathIsGivenUpWithinTheLimitAndALiveQuietOneIsNot()
    {
        auto hub = startHub();
        testsupport::StallingProxy proxy(QHostAddress(QHostAddress::LocalHost), hub->port());
        QVERIFY(proxy.listen());
        client::HubClient client(urlVia(proxy), hub->spkiPin(), kQuick);
        QSignalSpy connected(&client, &client::HubClient::connected);
        std::vector<Error> lost;
        connect(&client, &client::HubClient::lost, this,
                [&](const Error& e) { lost.push_back(e); });
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 5000);

        // Nothing is said for three times the limit, but pings are answered: still open.
        QTest::qWait(3000);
        QCOMPARE(lost.size(), size_t(0));
        QVERIFY(client.isOpen());

        proxy.stall();
        QTRY_COMPARE_WITH_TIMEOUT(lost.size(), size_t(1), 5000);
        QCOMPARE(lost[0].code, std::string("connection.lost"));
        QVERIFY2(QString::fromStdString(lost[0].message)
                     .contains(QStringLiteral("nothing from the hub")),
                 lost[0].message.c_str());
        QVERIFY(!client.isOpen());
        hub->close();
    }

    void aClientConnectsAgainAfterLosingItsConnection()
    {
        auto hub = startHub();
        testsupport::StallingProxy proxy(QHostAddress(QHostAddress::LocalHost), hub->port());
        QVERIFY(proxy.listen());
        client::HubClient client(urlVia(proxy), hub->spkiPin(), kQuick);
        QSignalSpy connected(&client, &client::HubClient::connected);
        int lost = 0;
        connect(&client, &client::HubClient::lost, this, [&] { ++lost; });
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 1, 5000);
        proxy.cutAll();
        QTRY_COMPARE_WITH_TIMEOUT(lost, 1, 5000);

        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(connected.count(), 2, 5000);
        QVERIFY(client.isOpen());
        QCOMPARE(lost, 1);
        // A close asked for is not a loss.
        client.close();
        QTest::qWait(300);
        QCOMPARE(lost, 1);
        hub->close();
    }

    void aHubThatNeverAnswersIsGivenUpAtTheDeadline()
    {
        auto hub = startHub();
        testsupport::StallingProxy proxy(QHostAddress(QHostAddress::LocalHost), hub->port());
        QVERIFY(proxy.listen());
        proxy.stall(); // TCP connects; TLS never gets an answer
        client::HubClient client(urlVia(proxy), hub->spkiPin(), {200ms, 1000ms, 1000ms});
        std::vector<Error> failed;
        connect(&client, &client::HubClient::failed, this,
                [&](const Error& e) { failed.push_back(e); });
        client.open();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), size_t(1), 5000);
        QCOMPARE(failed[0].code, std::string("connection.failed"));
        QVERIFY2(
            QString::fromStdString(failed[0].message).contains(QStringLiteral("did not answer")),
            failed[0].message.c_str());
        QVERIFY(!client.isOpen());
        hub->close();
    }

    void theHubClosesAConnectionItHearsNothingFrom()
    {
        hub::HubLimits limits;
        limits.pingInterval = 200ms;
        limits.peerSilence = 1000ms;
        limits.unboundTimeout = 60s; // the quiet connections here never knock
        auto hub = startHub(limits);
        QStringList codes;
        connect(hub.get(), &hub::HubServer::event, this,
                [&](const hub::HubEvent& e) { codes << e.code; });
        testsupport::StallingProxy dead(QHostAddress(QHostAddress::LocalHost), hub->port());
        testsupport::StallingProxy live(QHostAddress(QHostAddress::LocalHost), hub->port());
        QVERIFY(dead.listen());
        QVERIFY(live.listen());
        client::HubClient quiet(urlVia(live), hub->spkiPin()); // default liveness: pings every 2 s
        client::HubClient doomed(urlVia(dead), hub->spkiPin(), {10s, 60s});
        QSignalSpy quietConnected(&quiet, &client::HubClient::connected);
        QSignalSpy doomedConnected(&doomed, &client::HubClient::connected);
        quiet.open();
        doomed.open();
        QTRY_COMPARE_WITH_TIMEOUT(quietConnected.count(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(doomedConnected.count(), 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(hub->state().connectionCount(), size_t(2), 5000);

        dead.stall();
        QTRY_COMPARE_WITH_TIMEOUT(hub->state().connectionCount(), size_t(1), 5000);
        QVERIFY2(codes.contains(QStringLiteral("hub.peer_silent")), qPrintable(codes.join(',')));
        // The live one answers the hub's pings, however quiet its owner is.
        QTest::qWait(1500);
        QCOMPARE(hub->state().connectionCount(), size_t(1));
        QVERIFY(quiet.isOpen());
        hub->close();
    }
};

QTEST_GUILESS_MAIN(TestHubLiveness)
#include "tst_hubliveness.moc"
