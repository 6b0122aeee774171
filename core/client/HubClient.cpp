// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/HubClient.h"

#include "tls/PinCheck.h"

#include <QUrl>

namespace conclave::client {

HubClient::HubClient(QString url, QString expectedPin, QObject* parent)
    : QObject(parent), m_url(std::move(url)), m_expectedPin(std::move(expectedPin))
{
    m_socket.setMaxAllowedIncomingMessageSize(protocol::Envelope::kMaxEnvelopeBytes);
    connect(&m_socket, &QWebSocket::sslErrors, this, &HubClient::onSslErrors);
    connect(&m_socket, &QWebSocket::connected, this, &HubClient::onConnected);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &HubClient::onBinaryMessage);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        if (!m_failed)
            emit disconnected();
    });
    // Qt 6.4 names this signal error(); errorOccurred() arrived in 6.5.
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (m_failed || m_socket.state() == QAbstractSocket::ConnectedState)
                    return;
                m_failed = true;
                emit failed(Error{"connection.failed", "cannot reach the hub at " +
                                                           m_url.toStdString() + ": " +
                                                           m_socket.errorString().toStdString()});
            });
}

void HubClient::open()
{
    // Trust comes from the pin, not from certificate authorities: a hub's certificate is
    // self-signed and its key is pinned in the invite and the policy.
    m_socket.setSslConfiguration(tls::pinnedClientConfiguration());
    m_socket.open(QUrl(m_url));
}

bool HubClient::pinMatches(const QSslCertificate& certificate)
{
    const tls::PinCheck pin = tls::checkPin(certificate, {m_expectedPin});
    if (pin.matches) {
        m_connectedPin = pin.presented;
        return true;
    }
    if (!m_failed) {
        m_failed = true;
        emit failed(Error{"tls.pin_mismatch",
                          "the hub at " + m_url.toStdString() + " presented TLS key " +
                              pin.presented.toStdString() + ", not the pinned key " +
                              m_expectedPin.toStdString() +
                              "; nothing was sent. Someone may be intercepting the connection, or "
                              "the invite is for another hub"});
    }
    m_socket.abort();
    return false;
}

void HubClient::onSslErrors(const QList<QSslError>& errors)
{
    if (pinMatches(tls::presentedCertificate(m_socket.sslConfiguration(), errors)))
        m_socket.ignoreSslErrors(errors); // self-signed, but exactly the key we were told to expect
}

void HubClient::onConnected()
{
    // Also covers a certificate that a CA vouches for (no SSL errors were raised for it).
    if (!pinMatches(m_socket.sslConfiguration().peerCertificate()))
        return;
    emit connected(m_connectedPin);
}

void HubClient::send(const QByteArray& frame)
{
    if (!m_failed && m_socket.state() == QAbstractSocket::ConnectedState)
        m_socket.sendBinaryMessage(frame);
}

void HubClient::close()
{
    m_socket.close();
}

void HubClient::onBinaryMessage(const QByteArray& frame)
{
    if (hub::HubNotice::isNotice(frame)) {
        auto notice = hub::HubNotice::decode(frame);
        if (notice)
            emit noticeReceived(*notice);
        else
            emit frameRejected(notice.error());
        return;
    }
    auto envelope = protocol::Envelope::decode(frame);
    if (envelope)
        emit envelopeReceived(*envelope);
    else
        emit frameRejected(envelope.error());
}

} // namespace conclave::client
