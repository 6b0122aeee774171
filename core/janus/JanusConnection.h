// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "common/Result.h"
#include "janus/JanusMessage.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSslError>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

#include <chrono>
#include <functional>
#include <optional>

namespace conclave::janus {

/// One Janus API session over Janus's WebSocket transport (subprotocol `janus-protocol`), with
/// any number of plugin handles: the layer under the hub's JanusRoomControl and the clients'
/// VideoRoomPublisher / VideoRoomSubscriber (docs/scaling.md "The shared Janus module").
///
/// TLS: a `wss://` URL whose key must match one of `Options::expectedPins` (the policy's
/// `tls_spki_sha256` for the Janus endpoint), checked during the handshake and again once
/// connected, before anything is sent; a mismatch fails `open` with `janus.pin_mismatch`.
/// Plain `ws://` is refused (`janus.plain_refused`) unless `Options::allowPlainForTests`.
///
/// Every request carries a fresh random transaction id; the reply with that id (an `ack` is
/// skipped: asynchronous plugin requests answer later with an `event`) completes it, or the
/// request fails with `janus.timeout` after `requestTimeout`. Messages without a pending
/// transaction (a subscriber's `updated` offer, `webrtcup`, `hangup`, ...) are emitted as
/// `event`. A keepalive every `keepaliveInterval` (25 s by default, under Janus's 60 s session
/// timeout) keeps the session. When the socket drops, Janus expires the session, or a
/// keepalive is not answered in time (a frozen Janus), every pending request fails with
/// `janus.unreachable` and `lost` is emitted once.
class JanusConnection : public QObject {
    Q_OBJECT
public:
    struct Options {
        std::chrono::milliseconds keepaliveInterval{25000};
        std::chrono::milliseconds requestTimeout{10000};
        /// Janus's `api_secret`, sent as `apisecret` on every request; empty when the instance
        /// has none.
        QString apiSecret;
        /// The SPKI pins (base64 SHA-256) Janus's TLS key must match: the policy's
        /// `tls_spki_sha256` for this endpoint, several during a key rotation.
        QStringList expectedPins;
        /// Lets a `ws://` URL through without TLS. Only the tests' private network namespace
        /// uses it; no product code sets it, and there is no configuration that reaches it.
        bool allowPlainForTests = false;
        /// Who uses the connection and what to check when Janus refuses, for error messages:
        /// "the hub" + hub configuration advice by default; clients set their own.
        QString requester = QStringLiteral("the hub");
        QString refusalAdvice = QStringLiteral(
            "Check that the hub's Janus configuration (API secret, admin key) matches the Janus "
            "instance, and that the room still exists.");
    };
    /// Turns a plugin's refusal (Janus's error number and reason) into the message a person
    /// reads; a request that has none gets the Options' wording.
    using Refusal = std::function<Error(int number, const QString& reason)>;
    using Reply = std::function<void(Result<PluginReply>)>;

    JanusConnection(QUrl url, Options options, QObject* parent = nullptr);
    ~JanusConnection() override;
    JanusConnection(const JanusConnection&) = delete;
    JanusConnection& operator=(const JanusConnection&) = delete;

    /// Connects (checking the pin) and creates a session; `done` gets the outcome once. A
    /// server that accepts the connection but never completes the WebSocket (or TLS) handshake
    /// fails it with `janus.unreachable` after `requestTimeout`.
    void open(std::function<void(Result<void>)> done);
    bool isReady() const { return m_sessionId != 0 && !m_lost; }
    /// Attaches a plugin handle (e.g. "janus.plugin.videoroom"); the result is its id.
    void attach(const QString& plugin, std::function<void(Result<qint64>)> done);
    /// Detaches a handle (its PeerConnection goes with it).
    void detach(qint64 handle, std::function<void(Result<void>)> done);
    /// Sends `body` (with `jsep` when given) to a handle. The result is the plugin's data
    /// (`plugindata.data`) for both synchronous replies and asynchronous events, with Janus's
    /// jsep when it sent one; a plugin `error_code` becomes `janus.refused` (worded by
    /// `refusal` when given), with Janus's number in the message.
    void pluginRequest(qint64 handle, const QJsonObject& body, const std::optional<Jsep>& jsep,
                       Reply done, Refusal refusal = {});
    /// Trickles one ICE candidate of ours for `handle` (`sdpMLineIndex` and candidate line).
    void trickle(qint64 handle, int mlineIndex, const QString& candidate);
    /// Tells Janus this side has no more candidates.
    void trickleCompleted(qint64 handle);
    /// Closes the session (`destroy`) and the socket; pending requests fail.
    void close();
    qint64 sessionId() const { return m_sessionId; }
    /// Number of keepalives Janus has acknowledged (for tests and status).
    int keepalivesAcknowledged() const { return m_keepalivesAcked; }
    /// The pin of the key Janus presented (empty before the TLS handshake or over plain ws).
    const QString& connectedPin() const { return m_connectedPin; }

signals:
    /// The connection to this Janus instance is gone (socket closed, or the session expired).
    void lost(const conclave::Error& why);
    /// Janus said something about a handle without being asked (see JanusEvent).
    void event(const conclave::janus::JanusEvent& event);

private:
    using RawReply = std::function<void(Result<QJsonObject>)>;
    struct Pending {
        RawReply done;
        QTimer* timer = nullptr;
        /// True for keepalives and trickles, whose `ack` is their answer; other requests wait
        /// past the ack.
        bool ackCompletes = false;
    };
    void send(QJsonObject request, RawReply done, bool ackCompletes = false);
    void onConnected();
    void onSslErrors(const QList<QSslError>& errors);
    bool pinMatches(const QSslCertificate& certificate);
    void onText(const QString& text);
    void emitUnsolicited(const QJsonObject& message);
    void onDisconnected();
    void failAll(const Error& why);
    void fail(const Error& why);
    void sendKeepalive();
    Error unreachable(const QString& detail) const;
    Error refused(const QString& what) const;

    QUrl m_url;
    Options m_options;
    QWebSocket m_socket;
    QTimer m_keepalive;
    QTimer m_handshake;
    QHash<QString, Pending> m_pending;
    std::function<void(Result<void>)> m_opened;
    QString m_connectedPin;
    qint64 m_sessionId = 0;
    int m_keepalivesAcked = 0;
    bool m_lost = false;
    bool m_pinRefused = false;
};

} // namespace conclave::janus
