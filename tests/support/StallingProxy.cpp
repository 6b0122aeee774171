// SPDX-License-Identifier: GPL-3.0-or-later
#include "StallingProxy.h"

#include <QTcpSocket>

#include <algorithm>

namespace conclave::testsupport {

StallingProxy::StallingProxy(QHostAddress targetAddress, quint16 targetPort)
    : m_targetAddress(std::move(targetAddress)), m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &StallingProxy::accept);
}

StallingProxy::~StallingProxy()
{
    cutAll();
}

bool StallingProxy::listen()
{
    return m_server.listen(QHostAddress(QHostAddress::LocalHost), 0);
}

void StallingProxy::accept()
{
    while (QTcpSocket* client = m_server.nextPendingConnection()) {
        auto* target = new QTcpSocket(this);
        client->setParent(this);
        m_pairs.push_back({client, target});
        connect(client, &QTcpSocket::readyRead, this, [=, this] { relay(client, target); });
        connect(target, &QTcpSocket::readyRead, this, [=, this] { relay(target, client); });
        connect(client, &QTcpSocket::disconnected, this, [=, this] { forget(client, true); });
        connect(target, &QTcpSocket::disconnected, this, [=, this] { forget(target, true); });
        // Bytes the client sent before the target answered wait in the client socket.
        connect(target, &QTcpSocket::connected, this, [=, this] { relay(client, target); });
        target->connectToHost(m_targetAddress, m_targetPort);
    }
}

void StallingProxy::relay(QTcpSocket* from, QTcpSocket* to)
{
    if (to->state() != QAbstractSocket::ConnectedState)
        return; // kept in `from` until the target is connected
    const QByteArray bytes = from->readAll();
    if (!m_stalled)
        to->write(bytes); // stalled: swallowed, as a dead path loses them
}

void StallingProxy::forget(QTcpSocket* either, bool graceful)
{
    const auto it = std::find_if(m_pairs.begin(), m_pairs.end(), [&](const Pair& p) {
        return p.client == either || p.target == either;
    });
    if (it == m_pairs.end())
        return;
    const Pair pair = *it;
    m_pairs.erase(it);
    QTcpSocket* other = pair.client == either ? pair.target : pair.client;
    if (graceful && !m_stalled) // what the closing side said last still reaches the other
        other->write(either->readAll());
    for (QTcpSocket* s : {pair.client, pair.target}) {
        s->disconnect(this);
        if (graceful && s == other)
            s->disconnectFromHost(); // after its unwritten bytes
        else
            s->abort();
        s->deleteLater();
    }
}

void StallingProxy::cutAll()
{
    while (!m_pairs.empty())
        forget(m_pairs.front().client, false);
}

} // namespace conclave::testsupport
