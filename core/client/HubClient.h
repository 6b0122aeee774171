// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "hub/HubNotice.h"
#include "protocol/Envelope.h"

#include <QObject>
#include <QSslError>
#include <QString>
#include <QWebSocket>

namespace conclave::client {

/// A client's connection to a hub: WebSocket over TLS whose key must match the expected SPKI
/// pin. The pin is checked during the TLS handshake (a self-signed hub certificate is accepted
/// only when its key matches) and again once connected; on mismatch nothing is sent and
/// failed() reports "tls.pin_mismatch". Frames are sorted into signed envelopes and unsigned hub
/// notices; undecodable frames are reported, never acted on.
class HubClient : public QObject {
    Q_OBJECT

public:
    HubClient(QString url, QString expectedPin, QObject* parent = nullptr);

    void open();
    void send(const QByteArray& frame);
    void close();
    const QString& connectedPin() const { return m_connectedPin; }

signals:
    void connected(const QString& pin);
    void envelopeReceived(const conclave::protocol::Envelope& envelope);
    void noticeReceived(const conclave::hub::HubNotice& notice);
    void frameRejected(const conclave::Error& error);
    void failed(const conclave::Error& error);
    void disconnected();

private:
    void onSslErrors(const QList<QSslError>& errors);
    void onConnected();
    void onBinaryMessage(const QByteArray& frame);
    bool pinMatches(const QSslCertificate& certificate);

    QString m_url;
    QString m_expectedPin;
    QString m_connectedPin;
    QWebSocket m_socket;
    bool m_failed = false;
};

} // namespace conclave::client
