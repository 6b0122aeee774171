// SPDX-License-Identifier: GPL-3.0-or-later
#include "EvilHubRelay.h"

#include "meeting/MessageBodies.h"
#include "protocol/Envelope.h"

#include <QSslConfiguration>
#include <QWebSocket>

namespace conclave::testsupport {

using protocol::Envelope;
using protocol::MessageType;

EvilHubRelay::EvilHubRelay(tls::TlsIdentity identity, QUrl innerHub, QSet<QString> modes,
                           QObject* parent)
    : QObject(parent), m_identity(std::move(identity)), m_innerHub(std::move(innerHub)),
      m_modes(std::move(modes)), m_server(QStringLiteral("evil-hub"), QWebSocketServer::SecureMode),
      m_ownKey(crypto::Ed25519SigningKey::generate())
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(m_identity.certificate);
    config.setPrivateKey(m_identity.key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_server.setSslConfiguration(config);
    connect(&m_server, &QWebSocketServer::newConnection, this, &EvilHubRelay::accept);
}

bool EvilHubRelay::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QUrl EvilHubRelay::url() const
{
    return QUrl(QStringLiteral("wss://127.0.0.1:%1").arg(m_server.serverPort()));
}

void EvilHubRelay::accept()
{
    while (QWebSocket* front = m_server.nextPendingConnection()) {
        auto* link = m_links.emplace_back(std::make_unique<Link>()).get();
        link->front = front;
        link->back = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setPeerVerifyMode(QSslSocket::VerifyNone); // the real hub behind us is ours
        link->back->setSslConfiguration(config);
        connect(link->back, &QWebSocket::connected, this, [link] {
            for (const QByteArray& frame : std::exchange(link->pending, {}))
                link->back->sendBinaryMessage(frame);
        });
        connect(front, &QWebSocket::binaryMessageReceived, this, [link](const QByteArray& frame) {
            if (auto e = Envelope::decode(frame); e && e->type == MessageType::Create)
                link->chair = true;
            if (link->back->state() == QAbstractSocket::ConnectedState)
                link->back->sendBinaryMessage(frame);
            else
                link->pending << frame;
        });
        connect(link->back, &QWebSocket::binaryMessageReceived, this,
                [this, link](const QByteArray& frame) {
                    for (const QByteArray& out : tamper(*link, frame))
                        link->front->sendBinaryMessage(out);
                });
        connect(front, &QWebSocket::disconnected, link->back, [link] { link->back->close(); });
        connect(link->back, &QWebSocket::disconnected, front, [link] { link->front->close(); });
        link->back->open(m_innerHub);
    }
}

QList<QByteArray> EvilHubRelay::tamper(Link& link, const QByteArray& frame)
{
    auto envelope = Envelope::decode(frame);
    if (!envelope || link.chair)
        return {frame}; // hub notices, and everything going to the chair, pass untouched
    if (envelope->type == MessageType::Commit) {
        QList<QByteArray> out{frame};
        if (m_modes.contains(QStringLiteral("forge-commit")))
            out << Envelope::sign(MessageType::Commit, envelope->meetingId, envelope->seq + 1,
                                  meeting::BlobBody{"a roster with a hidden member"}.encode(),
                                  m_ownKey)
                       .encode();
        if (m_modes.contains(QStringLiteral("replay-commit")))
            out << frame;
        return out;
    }
    if (envelope->type == MessageType::Descriptor &&
        m_modes.contains(QStringLiteral("alter-marking"))) {
        Envelope altered = *envelope;
        altered.body.replace("OFFICIAL", "OFFICIAX"); // any change breaks the chair's signature
        return {altered.encode()};
    }
    if (envelope->type == MessageType::Control && m_modes.contains(QStringLiteral("drop-chair")) &&
        link.controls++ % 2 == 0)
        return {};
    return {frame};
}

} // namespace conclave::testsupport
