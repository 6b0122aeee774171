// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/JanusConnection.h"

#include "hub/JanusRandom.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QWebSocketHandshakeOptions>

#include <utility>

namespace conclave::hub {

namespace {

constexpr auto kVideoRoom = "janus.plugin.videoroom";

Error refused(const QString& what)
{
    return Error{
        "janus.refused",
        QStringLiteral("The media server (Janus) refused the hub's request: %1. Check that "
                       "the hub's Janus configuration (API secret, admin key) matches the "
                       "Janus instance, and that the room still exists.")
            .arg(what)
            .toStdString(),
        ErrorCategory::ConnectionOrIdentity};
}

} // namespace

JanusConnection::JanusConnection(QUrl url, Options options, QObject* parent)
    : QObject(parent), m_url(std::move(url)), m_options(std::move(options))
{
    m_keepalive.setInterval(m_options.keepaliveInterval);
    connect(&m_keepalive, &QTimer::timeout, this, &JanusConnection::sendKeepalive);
    m_handshake.setSingleShot(true);
    connect(&m_handshake, &QTimer::timeout, this, [this] {
        // An open that hangs (a filtered port, a stuck server) must not hold a meeting forever.
        m_socket.abort();
        onDisconnected();
    });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &JanusConnection::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, &JanusConnection::onDisconnected);
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
                if (m_socket.state() != QAbstractSocket::ConnectedState)
                    onDisconnected();
            });
}

JanusConnection::~JanusConnection()
{
    m_keepalive.stop();
    m_socket.disconnect(this);
    m_socket.abort();
    for (auto& pending : m_pending)
        delete pending.timer;
}

Error JanusConnection::unreachable(const QString& detail) const
{
    return Error{"janus.unreachable",
                 QStringLiteral("The media server (Janus) at %1 cannot be reached or has gone "
                                "away (%2). Check that Janus is running and reachable from the "
                                "hub; meetings placed on it must move to another instance.")
                     .arg(m_url.toString(), detail)
                     .toStdString(),
                 ErrorCategory::ConnectionOrIdentity};
}

void JanusConnection::open(std::function<void(Result<void>)> done)
{
    m_opened = std::move(done);
    connect(
        &m_socket, &QWebSocket::connected, this,
        [this] {
            m_handshake.stop();
            send(QJsonObject{{"janus", "create"}}, [this](Result<QJsonObject> created) {
                if (!created)
                    return fail(created.error());
                m_sessionId = created->value("data").toObject().value("id").toInteger();
                m_keepalive.start();
                send(QJsonObject{{"janus", "attach"}, {"plugin", kVideoRoom}},
                     [this](Result<QJsonObject> attached) {
                         if (!attached)
                             return fail(attached.error());
                         m_handleId = attached->value("data").toObject().value("id").toInteger();
                         if (m_opened)
                             std::exchange(m_opened, {})(Result<void>{});
                     });
            });
        },
        Qt::SingleShotConnection);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({QStringLiteral("janus-protocol")});
    m_handshake.start(m_options.requestTimeout);
    m_socket.open(QNetworkRequest(m_url), handshake);
}

void JanusConnection::pluginRequest(const QJsonObject& body, Reply done)
{
    if (!isReady()) {
        done(unreachable(QStringLiteral("no open session")));
        return;
    }
    send(QJsonObject{{"janus", "message"}, {"handle_id", m_handleId}, {"body", body}},
         std::move(done));
}

void JanusConnection::close()
{
    if (m_sessionId != 0 && m_socket.state() == QAbstractSocket::ConnectedState)
        send(QJsonObject{{"janus", "destroy"}}, [](Result<QJsonObject>) {});
    m_keepalive.stop();
    m_lost = true;
    m_socket.disconnect(this);
    m_socket.close();
    failAll(unreachable(QStringLiteral("the hub closed the session")));
}

void JanusConnection::send(QJsonObject request, Reply done, bool ackCompletes)
{
    const QString transaction = JanusRandom::secret();
    request.insert("transaction", transaction);
    if (m_sessionId != 0)
        request.insert("session_id", m_sessionId);
    if (!m_options.apiSecret.isEmpty())
        request.insert("apisecret", m_options.apiSecret);
    auto* timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, transaction] {
        auto pending = m_pending.take(transaction);
        if (!pending.done)
            return;
        pending.timer->deleteLater();
        pending.done(Error{"janus.timeout",
                           QStringLiteral("The media server (Janus) did not answer within %1 s. "
                                          "It may be overloaded or stuck; check its log and "
                                          "load, or move meetings to another instance.")
                               .arg(m_options.requestTimeout.count() / 1000.0)
                               .toStdString(),
                           ErrorCategory::ConnectionOrIdentity});
    });
    m_pending.insert(transaction, Pending{std::move(done), timer, ackCompletes});
    timer->start(m_options.requestTimeout);
    m_socket.sendTextMessage(
        QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Compact)));
}

void JanusConnection::onText(const QString& text)
{
    const QJsonObject reply = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString kind = reply.value("janus").toString();
    if (kind == "timeout" && reply.value("session_id").toInteger() == m_sessionId) {
        // Janus dropped the session: nothing on it (rooms' handle) can be used any more.
        m_lost = true;
        m_keepalive.stop();
        const Error why = unreachable(QStringLiteral("Janus expired the hub's session"));
        failAll(why);
        emit lost(why);
        return;
    }
    const QString transaction = reply.value("transaction").toString();
    auto it = m_pending.find(transaction);
    if (transaction.isEmpty() || it == m_pending.end())
        return; // an unsolicited event (participants joining, leaving): not needed here yet
    if (kind == "ack" && !it->ackCompletes)
        return; // an asynchronous plugin request: its event follows with this transaction
    Pending pending = m_pending.take(transaction);
    pending.timer->stop();
    pending.timer->deleteLater();
    if (kind == "error") {
        const QJsonObject error = reply.value("error").toObject();
        return pending.done(refused(QStringLiteral("Janus error %1, \"%2\"")
                                        .arg(error.value("code").toInt())
                                        .arg(error.value("reason").toString())));
    }
    if (reply.contains("plugindata")) {
        const QJsonObject data = reply.value("plugindata").toObject().value("data").toObject();
        if (data.contains("error_code"))
            return pending.done(refused(QStringLiteral("VideoRoom error %1, \"%2\"")
                                            .arg(data.value("error_code").toInt())
                                            .arg(data.value("error").toString())));
        return pending.done(data);
    }
    pending.done(reply);
}

void JanusConnection::sendKeepalive()
{
    send(
        QJsonObject{{"janus", "keepalive"}},
        [this](Result<QJsonObject> acked) {
            if (acked) {
                ++m_keepalivesAcked;
            } else if (acked.error().code == "janus.timeout" && !m_lost) {
                // A Janus that no longer answers keepalives is as good as gone, even while
                // its socket stays open: the meetings on it must move.
                m_socket.abort();
                onDisconnected();
            }
        },
        true);
}

void JanusConnection::onDisconnected()
{
    if (m_lost)
        return;
    m_lost = true;
    m_keepalive.stop();
    m_handshake.stop();
    const Error why = unreachable(m_socket.errorString().isEmpty() ? QStringLiteral("no answer")
                                                                   : m_socket.errorString());
    failAll(why);
    if (m_opened)
        std::exchange(m_opened, {})(why);
    emit lost(why);
}

void JanusConnection::fail(const Error& why)
{
    if (m_opened)
        std::exchange(m_opened, {})(why);
}

void JanusConnection::failAll(const Error& why)
{
    auto pending = std::exchange(m_pending, {});
    for (auto& p : pending) {
        p.timer->stop();
        p.timer->deleteLater();
        p.done(why);
    }
}

} // namespace conclave::hub
