// SPDX-License-Identifier: GPL-3.0-or-later
#include "HubTestClient.h"

#include "tls/SpkiPin.h"

#include <QSslConfiguration>
#include <QTest>

namespace conclave::hubtest {

HubTestClient::HubTestClient(QString expectedPin, QObject* parent)
    : QObject(parent), m_pin(std::move(expectedPin))
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setPeerVerifyMode(QSslSocket::VerifyPeer); // so a self-signed hub raises sslErrors
    ssl.setCaCertificates({}); // no CA vouches for a hub: the pin below is the only trust
    m_socket.setSslConfiguration(ssl);
    m_socket.setMaxAllowedIncomingMessageSize(512 * 1024);
    connect(&m_socket, &QWebSocket::sslErrors, this, [this](const QList<QSslError>&) {
        // The certificate is self-signed by design; the pin is the whole of the trust.
        const auto pin = tls::spkiSha256(m_socket.sslConfiguration().peerCertificate());
        if (pin && *pin == m_pin) {
            m_socket.ignoreSslErrors();
            return;
        }
        m_pinMismatch = true;
    });
    connect(&m_socket, &QWebSocket::connected, this, [this] {
        const auto pin = tls::spkiSha256(m_socket.sslConfiguration().peerCertificate());
        if (!pin || *pin != m_pin) { // never trust a connection whose pin was not checked
            m_pinMismatch = true;
            m_failed = true;
            m_socket.abort();
            return;
        }
        m_open = true;
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& m) {
        m_inbox << m;
        emit messageArrived();
    });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_closed = true;
        if (!m_open)
            m_failed = true;
    });
}

void HubTestClient::openAsync(const QUrl& url)
{
    m_socket.open(url);
}

bool HubTestClient::open(const QUrl& url, int timeoutMs)
{
    openAsync(url);
    return QTest::qWaitFor([this] { return m_open || m_failed; }, timeoutMs) && m_open;
}

void HubTestClient::send(const QByteArray& message)
{
    m_socket.sendBinaryMessage(message);
}

void HubTestClient::close()
{
    m_socket.close();
}

std::optional<hub::HubNotice> HubTestClient::waitForNotice(hub::HubNotice::Kind kind, int timeoutMs)
{
    std::optional<hub::HubNotice> found;
    (void)QTest::qWaitFor(
        [&] {
            for (qsizetype i = 0; i < m_inbox.size(); ++i) {
                if (!hub::HubNotice::isNotice(m_inbox[i]))
                    continue;
                auto n = hub::HubNotice::decode(m_inbox[i]);
                if (n && n->kind == kind) {
                    found = *n;
                    m_inbox.removeAt(i);
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

std::optional<QByteArray> HubTestClient::next(int timeoutMs)
{
    if (!QTest::qWaitFor([this] { return !m_inbox.isEmpty(); }, timeoutMs))
        return std::nullopt;
    return m_inbox.takeFirst();
}

bool HubTestClient::waitForClose(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closed; }, timeoutMs);
}

QList<QByteArray> HubTestClient::takeAll()
{
    QList<QByteArray> all;
    all.swap(m_inbox);
    return all;
}

} // namespace conclave::hubtest
