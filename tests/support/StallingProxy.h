// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <memory>
#include <vector>

class QTcpSocket;

namespace conclave::testsupport {

/// A TCP relay on loopback between clients and one target (a hub), for tests of dead network
/// paths: stall() makes it swallow every byte in both directions while keeping both TCP
/// connections open - what a cut cable or a dropped NAT mapping looks like to each end - and
/// resume() passes bytes again. cutAll() resets every relayed connection.
class StallingProxy : public QObject {
public:
    StallingProxy(QHostAddress targetAddress, quint16 targetPort);
    ~StallingProxy() override;

    /// Listens on 127.0.0.1; false when no port could be bound.
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    void stall() { m_stalled = true; }
    void resume() { m_stalled = false; }
    void cutAll();
    /// Relayed connections now open.
    size_t connections() const { return m_pairs.size(); }

private:
    struct Pair {
        QTcpSocket* client;
        QTcpSocket* target;
    };
    void accept();
    void relay(QTcpSocket* from, QTcpSocket* to);
    /// Ends a relayed pair; `graceful` (one side closed): the other gets what is left first.
    void forget(QTcpSocket* either, bool graceful);

    QHostAddress m_targetAddress;
    quint16 m_targetPort;
    QTcpServer m_server;
    std::vector<Pair> m_pairs;
    bool m_stalled = false;
};

} // namespace conclave::testsupport
