// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "hub/HubNotice.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QWebSocket>

#include <optional>

namespace conclave::hubtest {

/// A WebSocket client of a hub, as a Conclave client connects: the hub's certificate is
/// trusted only if its SPKI pin is the expected one, checked during the TLS handshake - before
/// the WebSocket upgrade, let alone any message, is sent.
class HubTestClient : public QObject {
    Q_OBJECT

public:
    explicit HubTestClient(QString expectedPin, QObject* parent = nullptr);

    /// Starts connecting; see isOpen()/hasFailed().
    void openAsync(const QUrl& url);
    /// Connects and waits; false when the pin did not match or the hub did not answer.
    bool open(const QUrl& url, int timeoutMs = 10000);
    bool isOpen() const { return m_open; }
    bool hasFailed() const { return m_failed; }
    bool pinMismatch() const { return m_pinMismatch; }
    bool isClosed() const { return m_closed; }

    void send(const QByteArray& message);
    void close();

    /// Waits for the first unseen notice of `kind`; messages before it stay unread.
    std::optional<hub::HubNotice> waitForNotice(hub::HubNotice::Kind kind, int timeoutMs = 10000);
    /// Waits for the next message of any kind and removes it from the inbox.
    std::optional<QByteArray> next(int timeoutMs = 10000);
    bool waitForClose(int timeoutMs = 10000);
    /// Everything received and not yet taken.
    QList<QByteArray> takeAll();
    qsizetype pending() const { return m_inbox.size(); }

    QWebSocket& socket() { return m_socket; }

signals:
    void messageArrived();

private:
    QString m_pin;
    QWebSocket m_socket;
    QList<QByteArray> m_inbox;
    bool m_open = false;
    bool m_failed = false;
    bool m_pinMismatch = false;
    bool m_closed = false;
};

} // namespace conclave::hubtest
