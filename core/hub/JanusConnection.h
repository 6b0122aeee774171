// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "common/Result.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <chrono>
#include <functional>

namespace conclave::hub {

/// One Janus API session over Janus's WebSocket transport (subprotocol `janus-protocol`),
/// attached to the VideoRoom plugin: the session/transaction/keepalive layer under
/// JanusRoomControl (docs/scaling.md "Janus rooms (hub side)").
///
/// Every request carries a fresh random transaction id; the reply with that id (an `ack` is
/// skipped: asynchronous plugin requests answer later with an `event`) completes it, or the
/// request fails with `janus.timeout` after `requestTimeout`. A keepalive every
/// `keepaliveInterval` (25 s by default, under Janus's 60 s session timeout) keeps the session.
/// When the socket drops, or a keepalive is not answered in time (a frozen Janus), every
/// pending request fails with `janus.unreachable` and `lost` is emitted once: the owner decides
/// what happens to the rooms on that instance.
class JanusConnection : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds keepaliveInterval{25000};
        std::chrono::milliseconds requestTimeout{10000};
        /// Janus's `api_secret`, sent as `apisecret` on every request; empty when the instance
        /// has none.
        QString apiSecret;
    };
    using Reply = std::function<void(Result<QJsonObject>)>;

    JanusConnection(QUrl url, Options options, QObject* parent = nullptr);
    ~JanusConnection() override;
    JanusConnection(const JanusConnection&) = delete;
    JanusConnection& operator=(const JanusConnection&) = delete;

    /// Connects, creates a session and attaches janus.plugin.videoroom; `done` gets the
    /// outcome once. A server that accepts the connection but never completes the WebSocket
    /// handshake fails it with `janus.unreachable` after `requestTimeout`.
    void open(std::function<void(Result<void>)> done);
    bool isReady() const { return m_handleId != 0 && !m_lost; }
    /// Sends `body` to the VideoRoom handle. The result is the plugin's data (`plugindata.data`)
    /// for both synchronous replies and asynchronous events; a plugin `error_code` becomes
    /// `janus.refused` with Janus's number in the message.
    void pluginRequest(const QJsonObject& body, Reply done);
    /// Closes the session (`destroy`) and the socket; pending requests fail.
    void close();
    qint64 sessionId() const { return m_sessionId; }
    qint64 handleId() const { return m_handleId; }
    /// Number of keepalives Janus has acknowledged (for tests and status).
    int keepalivesAcknowledged() const { return m_keepalivesAcked; }

signals:
    /// The connection to this Janus instance is gone (socket closed, or the session expired).
    void lost(const conclave::Error& why);

private:
    struct Pending {
        Reply done;
        QTimer* timer = nullptr;
        /// True for a keepalive, whose `ack` is its answer; other requests wait past the ack.
        bool ackCompletes = false;
    };
    void send(QJsonObject request, Reply done, bool ackCompletes = false);
    void onText(const QString& text);
    void onDisconnected();
    void failAll(const Error& why);
    void fail(const Error& why);
    void sendKeepalive();
    Error unreachable(const QString& detail) const;

    QUrl m_url;
    Options m_options;
    QWebSocket m_socket;
    QTimer m_keepalive;
    QTimer m_handshake;
    QHash<QString, Pending> m_pending;
    std::function<void(Result<void>)> m_opened;
    qint64 m_sessionId = 0;
    qint64 m_handleId = 0;
    int m_keepalivesAcked = 0;
    bool m_lost = false;
};

} // namespace conclave::hub
