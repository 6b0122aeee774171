// SPDX-License-Identifier: GPL-3.0-or-later
#include "janus/JanusConnection.h"

#include "tls/PinCheck.h"

#include <QJsonDocument>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QWebSocketHandshakeOptions>

#include <array>
#include <utility>

namespace conclave::janus {

namespace {

/// A transaction id: 16 random bytes, base64url. Random, so one session cannot guess (and
/// answer for) another's transactions on a shared transport.
QString transactionId()
{
    std::array<quint32, 4> words{};
    QRandomGenerator::system()->fillRange(words.data(), words.size());
    const QByteArray bytes(reinterpret_cast<const char*>(words.data()),
                           static_cast<qsizetype>(words.size() * sizeof(quint32)));
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<JanusEvent::Kind> coreEventKind(const QString& janus)
{
    if (janus == "event")
        return JanusEvent::Kind::Plugin;
    if (janus == "webrtcup")
        return JanusEvent::Kind::WebrtcUp;
    if (janus == "hangup")
        return JanusEvent::Kind::Hangup;
    if (janus == "media")
        return JanusEvent::Kind::Media;
    if (janus == "slowlink")
        return JanusEvent::Kind::Slowlink;
    if (janus == "detached")
        return JanusEvent::Kind::Detached;
    if (janus == "trickle")
        return JanusEvent::Kind::Trickle;
    return std::nullopt;
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
    connect(&m_socket, &QWebSocket::sslErrors, this, &JanusConnection::onSslErrors);
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
                                "away (%2). Check that Janus is running and reachable from %3; "
                                "meetings placed on it must move to another instance.")
                     .arg(m_url.toString(), detail, m_options.requester)
                     .toStdString(),
                 ErrorCategory::ConnectionOrIdentity};
}

Error JanusConnection::refused(const QString& what) const
{
    return Error{"janus.refused",
                 QStringLiteral("The media server (Janus) refused %1's request: %2. %3")
                     .arg(m_options.requester, what, m_options.refusalAdvice)
                     .toStdString(),
                 ErrorCategory::ConnectionOrIdentity};
}

void JanusConnection::open(std::function<void(Result<void>)> done)
{
    const QString scheme = m_url.scheme();
    if (scheme == "ws" && !m_options.allowPlainForTests) {
        done(Error{"janus.plain_refused",
                   QStringLiteral("The media server (Janus) address %1 is not encrypted (ws://); "
                                  "Conclave talks to Janus only over TLS with a pinned key. "
                                  "The administrator must list the Janus endpoint as wss:// "
                                  "with its tls_spki_sha256 pin in the policy.")
                       .arg(m_url.toString())
                       .toStdString(),
                   ErrorCategory::ConnectionOrIdentity});
        return;
    }
    if (scheme == "wss" && m_options.expectedPins.isEmpty()) {
        done(Error{"janus.no_pin",
                   QStringLiteral("No TLS key pin is known for the media server (Janus) at %1, "
                                  "so its key cannot be checked and nothing is sent to it. The "
                                  "administrator must publish its tls_spki_sha256 pin in the "
                                  "policy.")
                       .arg(m_url.toString())
                       .toStdString(),
                   ErrorCategory::ConnectionOrIdentity});
        return;
    }
    if (scheme != "ws" && scheme != "wss") {
        done(Error{"janus.bad_url",
                   QStringLiteral("The media server (Janus) address %1 is not a wss:// URL; the "
                                  "administrator must correct the Janus endpoint in the policy.")
                       .arg(m_url.toString())
                       .toStdString(),
                   ErrorCategory::ConnectionOrIdentity});
        return;
    }
    m_opened = std::move(done);
    connect(&m_socket, &QWebSocket::connected, this, &JanusConnection::onConnected,
            Qt::SingleShotConnection);
    QWebSocketHandshakeOptions handshake;
    handshake.setSubprotocols({QStringLiteral("janus-protocol")});
    m_handshake.start(m_options.requestTimeout);
    QNetworkRequest request(m_url);
    if (scheme == "wss")
        request.setSslConfiguration(tls::pinnedClientConfiguration());
    m_socket.open(request, handshake);
}

bool JanusConnection::pinMatches(const QSslCertificate& certificate)
{
    const tls::PinCheck pin = tls::checkPin(certificate, m_options.expectedPins);
    if (pin.matches) {
        m_connectedPin = pin.presented;
        return true;
    }
    if (!m_pinRefused) {
        m_pinRefused = true;
        const Error why{
            "janus.pin_mismatch",
            QStringLiteral("The media server (Janus) at %1 presented TLS key %2, not the pinned "
                           "key %3 the policy lists for it; nothing was sent to it. Someone may "
                           "be intercepting the connection, or Janus's key was changed: the "
                           "administrator must publish the right pin (tls_spki_sha256) for "
                           "this Janus endpoint in the policy.")
                .arg(m_url.toString(), pin.presented, m_options.expectedPins.join(" or "))
                .toStdString(),
            ErrorCategory::ConnectionOrIdentity};
        m_handshake.stop();
        m_lost = true;
        m_socket.disconnect(this);
        m_socket.abort();
        failAll(why);
        fail(why);
        emit lost(why);
    }
    return false;
}

void JanusConnection::onSslErrors(const QList<QSslError>& errors)
{
    if (pinMatches(tls::presentedCertificate(m_socket.sslConfiguration(), errors)))
        m_socket.ignoreSslErrors(errors); // self-signed, but exactly the pinned key
}

void JanusConnection::onConnected()
{
    m_handshake.stop();
    // Also covers a certificate a CA vouches for (no SSL errors were raised for it).
    if (m_url.scheme() == "wss" &&
        !pinMatches(tls::presentedCertificate(m_socket.sslConfiguration())))
        return;
    send(QJsonObject{{"janus", "create"}}, [this](Result<QJsonObject> created) {
        if (!created)
            return fail(created.error());
        m_sessionId = created->value("data").toObject().value("id").toInteger();
        m_keepalive.start();
        if (m_opened)
            std::exchange(m_opened, {})(Result<void>{});
    });
}

void JanusConnection::attach(const QString& plugin, std::function<void(Result<qint64>)> done)
{
    if (!isReady()) {
        done(unreachable(QStringLiteral("no open session")));
        return;
    }
    send(QJsonObject{{"janus", "attach"}, {"plugin", plugin}},
         [done = std::move(done)](Result<QJsonObject> attached) {
             if (!attached)
                 return done(attached.error());
             const qint64 id = attached->value("data").toObject().value("id").toInteger();
             if (id == 0)
                 return done(Error{"janus.protocol",
                                   "The media server (Janus) answered an attach without a "
                                   "handle id; that instance is not used.",
                                   ErrorCategory::ConnectionOrIdentity});
             done(id);
         });
}

void JanusConnection::detach(qint64 handle, std::function<void(Result<void>)> done)
{
    if (!isReady()) {
        done(unreachable(QStringLiteral("no open session")));
        return;
    }
    send(QJsonObject{{"janus", "detach"}, {"handle_id", handle}},
         [done = std::move(done)](Result<QJsonObject> r) {
             done(r ? Result<void>{} : Result<void>{r.error()});
         });
}

void JanusConnection::pluginRequest(qint64 handle, const QJsonObject& body,
                                    const std::optional<Jsep>& jsep, Reply done, Refusal refusal)
{
    if (!isReady()) {
        done(unreachable(QStringLiteral("no open session")));
        return;
    }
    QJsonObject request{{"janus", "message"}, {"handle_id", handle}, {"body", body}};
    if (jsep)
        request.insert("jsep", jsep->toJson());
    send(request, [this, done = std::move(done),
                   refusal = std::move(refusal)](Result<QJsonObject> reply) {
        if (!reply)
            return done(reply.error());
        if (!reply->contains("plugindata"))
            return done(PluginReply{*reply, Jsep::from(*reply)});
        const QJsonObject data = reply->value("plugindata").toObject().value("data").toObject();
        if (data.contains("error_code")) {
            const int number = data.value("error_code").toInt();
            const QString reason = data.value("error").toString();
            return done(
                refusal
                    ? refusal(number, reason)
                    : refused(
                          QStringLiteral("VideoRoom error %1, \"%2\"").arg(number).arg(reason)));
        }
        done(PluginReply{data, Jsep::from(*reply)});
    });
}

void JanusConnection::trickle(qint64 handle, int mlineIndex, const QString& candidate)
{
    if (!isReady())
        return;
    send(
        QJsonObject{
            {"janus", "trickle"},
            {"handle_id", handle},
            {"candidate", QJsonObject{{"sdpMLineIndex", mlineIndex}, {"candidate", candidate}}}},
        [](Result<QJsonObject>) {}, true);
}

void JanusConnection::trickleCompleted(qint64 handle)
{
    if (!isReady())
        return;
    send(
        QJsonObject{{"janus", "trickle"},
                    {"handle_id", handle},
                    {"candidate", QJsonObject{{"completed", true}}}},
        [](Result<QJsonObject>) {}, true);
}

void JanusConnection::close()
{
    if (m_sessionId != 0 && m_socket.state() == QAbstractSocket::ConnectedState)
        send(QJsonObject{{"janus", "destroy"}}, [](Result<QJsonObject>) {});
    m_keepalive.stop();
    m_lost = true;
    m_socket.disconnect(this);
    m_socket.close();
    failAll(unreachable(QStringLiteral("%1 closed the session").arg(m_options.requester)));
}

void JanusConnection::send(QJsonObject request, RawReply done, bool ackCompletes)
{
    const QString transaction = transactionId();
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
        // Janus dropped the session: nothing on it (its handles) can be used any more.
        m_lost = true;
        m_keepalive.stop();
        const Error why = unreachable(QStringLiteral("Janus expired the session"));
        failAll(why);
        emit lost(why);
        return;
    }
    const QString transaction = reply.value("transaction").toString();
    auto it = m_pending.find(transaction);
    if (transaction.isEmpty() || it == m_pending.end())
        return emitUnsolicited(reply);
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
    pending.done(reply);
}

void JanusConnection::emitUnsolicited(const QJsonObject& message)
{
    const auto kind = coreEventKind(message.value("janus").toString());
    const qint64 handle = message.value("sender").toInteger();
    if (!kind || handle == 0)
        return; // an ack or success nobody waits for any more (its request timed out)
    JanusEvent e;
    e.kind = *kind;
    e.handle = handle;
    e.jsep = Jsep::from(message);
    e.reason = message.value("reason").toString();
    if (*kind == JanusEvent::Kind::Plugin)
        e.data = message.value("plugindata").toObject().value("data").toObject();
    else if (*kind == JanusEvent::Kind::Trickle)
        e.data = message.value("candidate").toObject();
    else
        e.data = message;
    emit event(e);
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

} // namespace conclave::janus
