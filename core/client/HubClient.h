// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "client/Liveness.h"
#include "common/Error.h"
#include "hub/HubNotice.h"
#include "protocol/Envelope.h"

#include <QObject>
#include <QSslError>
#include <QString>
#include <QTimer>
#include <QWebSocket>

#include <chrono>

namespace conclave::client {

/// A client's connection to a hub: WebSocket over TLS whose key must match the expected SPKI
/// pin. The pin is checked during the TLS handshake (a self-signed hub certificate is accepted
/// only when its key matches) and again once connected; on mismatch nothing is sent and
/// failed() reports "tls.pin_mismatch". Frames are sorted into signed envelopes and unsigned hub
/// notices; undecodable frames are reported, never acted on.
///
/// An open connection is watched (Liveness): pings go out while it is quiet, and a path that
/// answers nothing is given up as `lost` within seconds. open() may be called again after
/// `failed` or `lost` to reconnect to the same hub, with the same pin.
class HubClient : public QObject {
    Q_OBJECT

public:
    HubClient(QString url, QString expectedPin, Liveness liveness = {}, QObject* parent = nullptr);
    ~HubClient() override;

    void open();
    void send(const QByteArray& frame);
    void close();
    bool isOpen() const { return m_open; }
    const QString& url() const { return m_url; }
    const QString& connectedPin() const { return m_connectedPin; }

signals:
    void connected(const QString& pin);
    void envelopeReceived(const conclave::protocol::Envelope& envelope);
    void noticeReceived(const conclave::hub::HubNotice& notice);
    void frameRejected(const conclave::Error& error);
    /// The connection could not be made (unreachable, TLS failed, or the pin did not match:
    /// "tls.pin_mismatch", which a caller must never retry past).
    void failed(const conclave::Error& error);
    /// An open connection went: closed by the hub, reset, or silent past Liveness::deadAfter
    /// ("connection.lost" with the reason).
    void lost(const conclave::Error& error);

private:
    void onSslErrors(const QList<QSslError>& errors);
    void onConnected();
    void onDisconnected();
    void onBinaryMessage(const QByteArray& frame);
    void checkLiveness();
    void heard() { m_lastHeard = std::chrono::steady_clock::now(); }
    bool pinMatches(const QSslCertificate& certificate);

    QString m_url;
    QString m_expectedPin;
    QString m_connectedPin;
    Liveness m_liveness;
    QWebSocket m_socket;
    QTimer m_pinger;
    QTimer m_connectDeadline;
    std::chrono::steady_clock::time_point m_lastHeard{};
    bool m_failed = false;
    bool m_open = false;
    bool m_closing = false; ///< close() was asked for: nothing is lost
};

} // namespace conclave::client
