// SPDX-License-Identifier: GPL-3.0-or-later
#include "client/HubClient.h"

#include "tls/PinCheck.h"

#include <QUrl>

namespace conclave::client {

HubClient::HubClient(QString url, QString expectedPin, Liveness liveness, QObject* parent)
    : QObject(parent), m_url(std::move(url)), m_expectedPin(std::move(expectedPin)),
      m_liveness(liveness)
{
    m_socket.setMaxAllowedIncomingMessageSize(protocol::Envelope::kMaxEnvelopeBytes);
    connect(&m_socket, &QWebSocket::sslErrors, this, &HubClient::onSslErrors);
    connect(&m_socket, &QWebSocket::connected, this, &HubClient::onConnected);
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, &HubClient::onBinaryMessage);
    connect(&m_socket, &QWebSocket::pong, this, [this] { heard(); });
    connect(&m_socket, &QWebSocket::disconnected, this, &HubClient::onDisconnected);
    // Qt 6.4 names this signal error(); errorOccurred() arrived in 6.5.
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (m_failed || m_open || m_closing)
                    return; // a connection that was open ends in onDisconnected
                m_failed = true;
                emit failed(Error{"connection.failed", "cannot reach the hub at " +
                                                           m_url.toStdString() + ": " +
                                                           m_socket.errorString().toStdString()});
            });
    m_pinger.setInterval(m_liveness.pingEvery);
    connect(&m_pinger, &QTimer::timeout, this, &HubClient::checkLiveness);
    m_connectDeadline.setSingleShot(true);
    m_connectDeadline.setInterval(m_liveness.connectWithin);
    connect(&m_connectDeadline, &QTimer::timeout, this, [this] {
        if (m_open || m_failed || m_closing)
            return;
        m_failed = true;
        m_socket.abort();
        emit failed(Error{"connection.failed",
                          "the hub at " + m_url.toStdString() + " did not answer within " +
                              std::to_string(m_liveness.connectWithin.count()) + " ms"});
    });
}

HubClient::~HubClient()
{
    // The socket closes as it is destroyed, after the timers it would call into are gone.
    m_socket.disconnect(this);
}

void HubClient::open()
{
    m_failed = false;
    m_open = false;
    m_closing = false;
    m_connectedPin.clear();
    // Trust comes from the pin, not from certificate authorities: a hub's certificate is
    // self-signed and its key is pinned in the invite and the policy.
    m_socket.setSslConfiguration(tls::pinnedClientConfiguration());
    m_connectDeadline.start();
    m_socket.open(QUrl(m_url));
}

void HubClient::checkLiveness()
{
    if (!m_open)
        return;
    const auto quiet = std::chrono::steady_clock::now() - m_lastHeard;
    if (quiet < m_liveness.deadAfter) {
        m_socket.ping();
        return;
    }
    // Given up here, not by TCP: its retransmissions would take a minute or more to fail.
    m_open = false;
    m_pinger.stop();
    m_socket.abort();
    emit lost(
        Error{"connection.lost",
              "nothing from the hub for " +
                  std::to_string(std::chrono::duration_cast<std::chrono::seconds>(quiet).count()) +
                  " s: the network path or the hub is gone"});
}

void HubClient::onDisconnected()
{
    m_pinger.stop();
    if (!m_open || m_failed)
        return; // never opened, refused by the pin check, or given up by checkLiveness
    m_open = false;
    if (m_closing)
        return;
    const QString why = m_socket.closeReason();
    emit lost(Error{"connection.lost",
                    why.isEmpty() ? std::string("the connection to the hub was lost")
                                  : "the hub closed the connection: " + why.toStdString()});
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
    m_open = true;
    m_connectDeadline.stop();
    heard();
    m_pinger.start();
    emit connected(m_connectedPin);
}

void HubClient::send(const QByteArray& frame)
{
    if (m_open && m_socket.state() == QAbstractSocket::ConnectedState)
        m_socket.sendBinaryMessage(frame);
}

void HubClient::close()
{
    m_closing = true;
    m_pinger.stop();
    m_socket.close();
}

void HubClient::onBinaryMessage(const QByteArray& frame)
{
    heard();
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
