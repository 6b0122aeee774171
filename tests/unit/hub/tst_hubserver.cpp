// SPDX-License-Identifier: GPL-3.0-or-later
// HubServer on loopback: connections that finish TLS but never upgrade to WebSocket are cut
// at the handshake deadline, and capped per source address while they wait.
#include "hub/HubServer.h"
#include "tls/TlsIdentity.h"

#include <QDeadlineTimer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <vector>

using namespace conclave;
using namespace conclave::hub;
using namespace std::chrono_literals;

namespace {

/// A client that does TLS with the hub and then says nothing.
std::unique_ptr<QSslSocket> silentTls(quint16 port, const QHostAddress& from = {})
{
    auto socket = std::make_unique<QSslSocket>();
    socket->setPeerVerifyMode(QSslSocket::VerifyNone);
    if (!from.isNull())
        socket->bind(from, 0);
    socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    return socket;
}

/// Waits (bounded) until TLS is done or the hub dropped the connection.
bool settles(QSslSocket& s)
{
    QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired()) {
        if (s.isEncrypted() || s.state() == QAbstractSocket::UnconnectedState)
            return true;
        QTest::qWait(10);
    }
    return false;
}

} // namespace

class TestHubServer : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    SystemClock m_clock;

    std::unique_ptr<HubServer> start(HubLimits limits)
    {
        auto identity = tls::TlsIdentity::loadOrCreate(m_dir.path(), QStringLiteral("test-hub"));
        if (!identity)
            qFatal("no TLS identity: %s", identity.error().message.c_str());
        auto server = std::make_unique<HubServer>(std::move(identity).value(), limits, m_clock);
        if (!server->listen(QHostAddress(QHostAddress::LocalHost), 0))
            qFatal("the test hub cannot listen");
        return server;
    }

private slots:
    void aConnectionThatNeverUpgradesIsCutAtTheDeadline()
    {
        HubLimits limits;
        limits.handshakeTimeout = 700ms;
        auto server = start(limits);
        auto client = silentTls(server->port());
        QTRY_VERIFY_WITH_TIMEOUT(client->isEncrypted(), 5000);
        QCOMPARE(server->pendingConnections(), size_t(1));
        QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::UnconnectedState, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(server->pendingConnections(), size_t(0), 2000);
        QCOMPARE(server->state().connectionCount(), size_t(0));
        server->close();
    }

    void anUpgradedConnectionIsNoLongerPending()
    {
        HubLimits limits;
        limits.handshakeTimeout = 700ms;
        auto server = start(limits);
        QWebSocket ws;
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        ws.setSslConfiguration(ssl);
        ws.open(server->url());
        QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QAbstractSocket::ConnectedState, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(server->state().connectionCount(), size_t(1), 2000);
        QCOMPARE(server->pendingConnections(), size_t(0));
        QTest::qWait(1200); // past the handshake deadline: an upgraded connection stays
        QCOMPARE(ws.state(), QAbstractSocket::ConnectedState);
        ws.abort();
        QTRY_COMPARE_WITH_TIMEOUT(server->state().connectionCount(), size_t(0), 5000);
        server->close();
    }

    void connectionsStillSettingUpAreCappedPerSource()
    {
        HubLimits limits;
        limits.handshakeTimeout = 30s; // only the cap can cut them within this test
        limits.maxPendingPerSource = 3;
        auto server = start(limits);
        std::vector<std::unique_ptr<QSslSocket>> clients;
        for (int i = 0; i < 6; ++i) {
            clients.push_back(silentTls(server->port()));
            QVERIFY(settles(*clients.back()));
        }
        // Give the refused ones a moment to be closed.
        QTRY_COMPARE_WITH_TIMEOUT(std::count_if(clients.begin(), clients.end(),
                                                [](const auto& c) {
                                                    return c->state() ==
                                                           QAbstractSocket::ConnectedState;
                                                }),
                                  std::ptrdiff_t(3), 5000);
        QCOMPARE(server->pendingConnections(), size_t(3));
        // Another address is not held up by this one's half-open connections.
        auto other = silentTls(server->port(), QHostAddress(QStringLiteral("127.0.0.2")));
        QTRY_VERIFY_WITH_TIMEOUT(other->isEncrypted(), 5000);
        QCOMPARE(server->pendingConnections(), size_t(4));
        // And what goes is forgotten.
        for (auto& c : clients)
            c->abort();
        other->abort();
        QTRY_COMPARE_WITH_TIMEOUT(server->pendingConnections(), size_t(0), 5000);
        server->close();
    }
};

QTEST_GUILESS_MAIN(TestHubServer)
#include "tst_hubserver.moc"
