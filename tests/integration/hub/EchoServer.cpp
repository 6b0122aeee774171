// SPDX-License-Identifier: GPL-3.0-or-later
#include "EchoServer.h"

#include <QSslConfiguration>
#include <QSslServer>
#include <QWebSocket>
#include <QWebSocketServer>

namespace conclave::hubtest {

quint16 EchoServer::listen()
{
    // Built exactly like HubServer's front end, so the baseline differs only by the hub logic.
    auto* tlsServer = new QSslServer(this);
    m_server = new QWebSocketServer(QStringLiteral("echo"), QWebSocketServer::NonSecureMode, this);
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setLocalCertificate(m_identity.certificate);
    ssl.setPrivateKey(m_identity.key);
    ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
    ssl.setCaCertificates({});
    ssl.setProtocol(QSsl::TlsV1_3OrLater);
    tlsServer->setSslConfiguration(ssl);
    tlsServer->setMaxPendingConnections(256);
    m_server->setMaxPendingConnections(256);
    connect(tlsServer, &QSslServer::pendingConnectionAvailable, this, [this, tlsServer] {
        while (QTcpSocket* socket = tlsServer->nextPendingConnection()) {
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            m_server->handleConnection(socket);
        }
    });
    connect(m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket* socket = m_server->nextPendingConnection()) {
            connect(socket, &QWebSocket::binaryMessageReceived, socket,
                    [socket](const QByteArray& m) { socket->sendBinaryMessage(m); });
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    return tlsServer->listen(QHostAddress::LocalHost, 0) ? tlsServer->serverPort() : 0;
}

} // namespace conclave::hubtest
