// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/HubServer.h"

#include "hub/HubLog.h"
#include "hub/HubStateStore.h"
#include "hub/JanusRooms.h"
#include "hub/SourceLimiter.h"
#include "hub/TurnGrants.h"

#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QWebSocket>
#include <QWebSocketServer>

#include <set>
#include <utility>
#include <vector>

namespace conclave::hub {
namespace {

constexpr int kTickMs = 1000;
/// Pending connections past their deadline are looked for this often.
constexpr int kPendingCheckMs = 250;
/// A peer that does not answer our close frame is cut off after this long.
constexpr int kCloseGraceMs = 5000;

/// Keeps only the latest of the sequence marks for each sender: while the state cannot be
/// saved (a full disk) they come every tick, and only the last one says anything. Each is a
/// whole value written over the last, so dropping the earlier ones changes nothing saved.
void keepLatestSequences(HubChanges& changes)
{
    std::set<std::pair<QByteArray, QByteArray>> seen;
    std::vector<bool> keep(changes.size(), true);
    for (size_t i = changes.size(); i-- > 0;) {
        const HubChange& c = changes[i];
        if (c.kind == HubChange::Kind::Sequence && !seen.emplace(c.meetingId, c.identity).second)
            keep[i] = false;
    }
    size_t next = 0;
    for (size_t i = 0; i < changes.size(); ++i)
        if (keep[i])
            changes[next++] = std::move(changes[i]);
    changes.resize(next);
}

} // namespace

HubServer::HubServer(tls::TlsIdentity identity, HubLimits limits, const Clock& clock,
                     std::optional<HubApproval> approval, QObject* parent)
    : QObject(parent), m_identity(std::move(identity)),
      m_state(std::move(limits), clock, DescriptorGate(m_identity.spkiPin, std::move(approval))),
      m_tls(new QSslServer(this)),
      m_server(new QWebSocketServer(QStringLiteral("conclave-hub"), QWebSocketServer::NonSecureMode,
                                    this))
{
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setLocalCertificate(m_identity.certificate);
    ssl.setPrivateKey(m_identity.key);
    ssl.setPeerVerifyMode(QSslSocket::VerifyNone); // clients are known by signatures, not certs
    ssl.setCaCertificates({}); // nothing to verify, so no CA store to build per connection
    ssl.setProtocol(QSsl::TlsV1_3OrLater);
    m_tls->setSslConfiguration(ssl);
    const int handshakeMs = int(m_state.limits().handshakeTimeout.count());
    m_tls->setHandshakeTimeout(handshakeMs);
    // Connections are taken as soon as they arrive; until their upgrade is done they are
    // capped here (m_pending), after it by HubState.
    m_tls->setMaxPendingConnections(256);
    m_server->setHandshakeTimeout(handshakeMs);
    m_server->setMaxPendingConnections(256);

    connect(m_tls, &QSslServer::startedEncryptionHandshake, this, &HubServer::startPending);

    connect(m_tls, &QSslServer::pendingConnectionAvailable, this, &HubServer::upgradePending);
    connect(m_tls, &QSslServer::acceptError, this, [](QAbstractSocket::SocketError error) {
        qCWarning(lcHub) << "accept failed:" << error;
    });
    connect(m_server, &QWebSocketServer::newConnection, this, &HubServer::acceptPending);
    connect(m_server, &QWebSocketServer::serverError, this, [](QWebSocketProtocol::CloseCode code) {
        qCInfo(lcHub) << "WebSocket handshake refused:" << code;
    });
    connect(&m_tick, &QTimer::timeout, this, [this] {
        apply(m_state.tick());
        if (m_turnGrants)
            sendTurnNotices(m_turnGrants->renew());
    });
    m_tick.setInterval(kTickMs);
    connect(&m_pendingCheck, &QTimer::timeout, this, &HubServer::expirePending);
    m_pendingCheck.setInterval(kPendingCheckMs);
    connect(&m_liveness, &QTimer::timeout, this, &HubServer::checkLiveness);
    m_liveness.setInterval(m_state.limits().pingInterval);
}

HubServer::~HubServer()
{
    for (auto& [object, pending] : m_pending)
        object->disconnect(this);
    m_pending.clear();
    // QWebSocketServer hands out sockets without a parent: they are ours to delete. None of
    // their signals may reach a half-destroyed hub.
    for (auto& [id, socket] : m_sockets) {
        socket->disconnect(this);
        socket->abort();
        delete socket;
    }
}

Result<void> HubServer::listen(const QHostAddress& address, quint16 port)
{
    if (!m_tls->listen(address, port))
        return makeError("hub.listen", "cannot listen on " + address.toString().toStdString() +
                                           ":" + std::to_string(port) + ": " +
                                           m_tls->errorString().toStdString());
    m_tick.start();
    m_pendingCheck.start();
    m_liveness.start();
    return {};
}

Result<std::vector<HubEvent>> HubServer::restoreFrom(HubStateStore& store)
{
    auto snapshot = store.load();
    if (!snapshot)
        return snapshot.error();
    m_state.keepChanges();
    auto restored = m_state.restore(*snapshot);
    if (!restored)
        return store.damaged(restored.error().message);
    m_store = &store;
    std::vector<HubEvent> events = restored->events();
    if (auto saved = persist()) // meetings not restored are forgotten in the file too
        events.push_back(*saved);
    if (m_mediaRooms)
        for (const MediaRoomChange& change : restored->mediaRoomChanges())
            m_mediaRooms->apply(change);
    if (m_turnGrants)
        for (const MediaRoomChange& change : restored->mediaRoomChanges())
            sendTurnNotices(m_turnGrants->apply(change));
    return events;
}

std::optional<HubEvent> HubServer::persist()
{
    if (!m_store)
        return std::nullopt;
    HubChanges changes = m_state.takeChanges();
    m_unsaved.insert(m_unsaved.end(), std::make_move_iterator(changes.begin()),
                     std::make_move_iterator(changes.end()));
    if (m_unsaved.empty())
        return std::nullopt;
    HubEvent ev;
    if (auto saved = m_store->save(m_unsaved); saved) {
        m_unsaved.clear();
        if (!std::exchange(m_saveFailing, false))
            return std::nullopt;
        ev.kind = HubEvent::Kind::StateSaved;
    } else {
        // The rules hold in memory all the same; only a restart meanwhile would lose them.
        // Kept and tried again with the next change or tick (a full disk being cleared).
        keepLatestSequences(m_unsaved);
        if (std::exchange(m_saveFailing, true))
            return std::nullopt;
        ev.kind = HubEvent::Kind::StateNotSaved;
        ev.code = QString::fromStdString(saved.error().code);
        ev.reason = QString::fromStdString(saved.error().message);
    }
    return ev;
}

void HubServer::close()
{
    m_state.noteSequences();
    if (auto saved = persist())
        emit event(*saved);
    m_tick.stop();
    m_pendingCheck.stop();
    m_liveness.stop();
    m_tls->close();
    m_server->close();
    std::vector<QWebSocket*> sockets;
    for (const auto& [id, socket] : m_sockets)
        sockets.push_back(socket);
    for (QWebSocket* socket : sockets)
        socket->close(QWebSocketProtocol::CloseCodeGoingAway,
                      QStringLiteral("the hub is shutting down"));
}

QUrl HubServer::url() const
{
    QUrl url;
    url.setScheme(QStringLiteral("wss"));
    url.setHost(m_tls->serverAddress().toString());
    url.setPort(m_tls->serverPort());
    return url;
}

quint16 HubServer::port() const
{
    return m_tls->serverPort();
}

void HubServer::startPending(QSslSocket* socket)
{
    const QString source = SourceLimiter::sourceKey(socket->peerAddress());
    const HubLimits& limits = m_state.limits();
    std::optional<Error> refusal;
    if (pendingFrom(source) >= limits.maxPendingPerSource)
        refusal = makeError("connections.pending_per_source",
                            "too many connections from " + source.toStdString() +
                                " are still setting up (at most " +
                                std::to_string(limits.maxPendingPerSource) +
                                "); finish or close them first");
    else if (qsizetype(m_pending.size()) >= limits.maxPending)
        refusal = makeError("connections.pending",
                            "too many connections are setting up at once (at most " +
                                std::to_string(limits.maxPending) + "); try again in a moment");
    if (refusal) {
        // Before any TLS work: the socket is dropped as soon as QSslServer hands it back.
        HubEvent ev;
        ev.kind = HubEvent::Kind::ConnectionRefused;
        ev.source = source;
        ev.code = QString::fromStdString(refusal->code);
        ev.reason = QString::fromStdString(refusal->message);
        emit event(ev);
        QMetaObject::invokeMethod(socket, &QAbstractSocket::abort, Qt::QueuedConnection);
        return;
    }
    m_pending.emplace(socket, Pending{source, socket->peerAddress(), socket->peerPort(),
                                      std::chrono::steady_clock::now() + limits.handshakeTimeout});
    connect(socket, &QObject::destroyed, this, [this](QObject* gone) { m_pending.erase(gone); });
}

void HubServer::finishPending(const QHostAddress& address, quint16 port)
{
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it)
        if (it->second.port == port && it->second.address == address) {
            it->first->disconnect(this); // still alive: it is the WebSocket's connection now
            m_pending.erase(it);
            return;
        }
}

int HubServer::pendingFrom(const QString& source) const
{
    int n = 0;
    for (const auto& [object, pending] : m_pending)
        n += pending.source == source ? 1 : 0;
    return n;
}

void HubServer::expirePending()
{
    const auto now = std::chrono::steady_clock::now();
    std::vector<QObject*> late;
    for (const auto& [object, pending] : m_pending)
        if (now >= pending.deadline)
            late.push_back(object);
    for (QObject* object : late) {
        const auto it = m_pending.find(object);
        if (it == m_pending.end())
            continue;
        HubEvent ev;
        ev.kind = HubEvent::Kind::ConnectionRefused;
        ev.source = it->second.source;
        ev.code = QStringLiteral("hub.handshake_timeout");
        ev.reason = QStringLiteral("TLS and the WebSocket upgrade were not done within %1 ms")
                        .arg(m_state.limits().handshakeTimeout.count());
        emit event(ev);
        m_pending.erase(it);
        object->disconnect(this);
        if (auto* socket = qobject_cast<QAbstractSocket*>(object))
            socket->abort(); // its owner (QSslServer or QWebSocketServer) deletes it
    }
}

void HubServer::upgradePending()
{
    while (m_tls->hasPendingConnections()) {
        QTcpSocket* socket = m_tls->nextPendingConnection(); // TLS handshake done
        if (!socket)
            break;
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_server->handleConnection(socket); // takes ownership; newConnection follows
    }
}

void HubServer::acceptPending()
{
    while (m_server->hasPendingConnections()) {
        QWebSocket* socket = m_server->nextPendingConnection();
        if (!socket)
            break;
        finishPending(socket->peerAddress(), socket->peerPort());
        const ConnectionId id = m_nextId++;
        socket->setMaxAllowedIncomingMessageSize(quint64(m_state.limits().maxMessageBytes));
        socket->setMaxAllowedIncomingFrameSize(quint64(m_state.limits().maxMessageBytes));
        m_sockets.emplace(id, socket);
        m_lastHeard[id] = std::chrono::steady_clock::now();
        connect(socket, &QWebSocket::binaryMessageReceived, this,
                [this, id](const QByteArray& message) {
                    m_lastHeard[id] = std::chrono::steady_clock::now();
                    apply(m_state.receive(id, message));
                });
        // Text frames are not part of the protocol; they count as invalid messages.
        connect(socket, &QWebSocket::textMessageReceived, this, [this, id](const QString& message) {
            m_lastHeard[id] = std::chrono::steady_clock::now();
            apply(m_state.receive(id, message.toUtf8()));
        });
        connect(socket, &QWebSocket::pong, this,
                [this, id] { m_lastHeard[id] = std::chrono::steady_clock::now(); });
        connect(socket, &QWebSocket::disconnected, this, [this, id] { dropSocket(id); });
        apply(m_state.open(id, SourceLimiter::sourceKey(socket->peerAddress())));
        if (socket->state() == QAbstractSocket::UnconnectedState)
            dropSocket(id);
    }
}

void HubServer::dropSocket(ConnectionId id)
{
    const auto it = m_sockets.find(id);
    if (it == m_sockets.end())
        return;
    QWebSocket* socket = it->second;
    m_sockets.erase(it);
    m_lastHeard.erase(id);
    socket->disconnect(this);
    socket->deleteLater();
    apply(m_state.closed(id));
}

void HubServer::checkLiveness()
{
    const auto now = std::chrono::steady_clock::now();
    const auto limit = m_state.limits().peerSilence;
    std::vector<ConnectionId> silent;
    for (const auto& [id, socket] : m_sockets) {
        const auto heard = m_lastHeard.find(id);
        if (heard != m_lastHeard.end() && now - heard->second >= limit)
            silent.push_back(id);
        else
            socket->ping();
    }
    for (ConnectionId id : silent) {
        HubEvent ev;
        ev.kind = HubEvent::Kind::Disconnected;
        ev.code = QStringLiteral("hub.peer_silent");
        ev.reason = QStringLiteral("nothing heard (no message, no pong) for %1 ms")
                        .arg(qint64(limit.count()));
        emit event(ev);
        m_sockets.at(id)->abort();
        dropSocket(id);
    }
}

void HubServer::setMediaRooms(JanusRooms* rooms)
{
    m_mediaRooms = rooms;
    rooms->setDelivery([this](ConnectionId id, const HubNotice& notice) {
        HubOutput out;
        out.notify(id, notice);
        apply(out);
    });
    connect(rooms, &JanusRooms::event, this, &HubServer::event);
}

void HubServer::setTurnGrants(TurnGrants* grants)
{
    m_turnGrants = grants;
}

void HubServer::sendTurnNotices(const std::vector<std::pair<ConnectionId, HubNotice>>& notices)
{
    if (notices.empty())
        return;
    HubOutput out;
    for (const auto& [id, notice] : notices)
        out.notify(id, notice);
    apply(out);
}

void HubServer::apply(const HubOutput& output)
{
    // Saved before anything is sent: nobody hears of a ban, an admission or a spent invite
    // that a crash right after could make the hub forget.
    if (auto saved = persist())
        emit event(*saved);
    std::vector<ConnectionId> overflowing;
    for (const HubAction& action : output.actions()) {
        const auto it = m_sockets.find(action.connection);
        if (it == m_sockets.end())
            continue;
        QWebSocket* socket = it->second;
        if (action.kind == HubAction::Kind::Close) {
            socket->close(QWebSocketProtocol::CloseCodeNormal);
            QTimer::singleShot(kCloseGraceMs, socket, [socket] { socket->abort(); });
            continue;
        }
        socket->sendBinaryMessage(action.bytes);
        if (socket->bytesToWrite() > m_state.limits().maxQueuedBytes)
            overflowing.push_back(action.connection);
    }
    for (const HubEvent& ev : output.events())
        emit event(ev);
    if (m_mediaRooms)
        for (const MediaRoomChange& change : output.mediaRoomChanges())
            m_mediaRooms->apply(change);
    if (m_turnGrants)
        for (const MediaRoomChange& change : output.mediaRoomChanges())
            sendTurnNotices(m_turnGrants->apply(change));
    // A reader that does not keep up is cut off rather than buffered for without end.
    for (ConnectionId id : overflowing) {
        const auto it = m_sockets.find(id);
        if (it == m_sockets.end())
            continue;
        HubEvent ev;
        ev.kind = HubEvent::Kind::Disconnected;
        ev.code = QStringLiteral("hub.slow_reader");
        ev.reason = QStringLiteral("the connection did not read its messages fast enough");
        emit event(ev);
        it->second->abort();
        dropSocket(id);
    }
}

} // namespace conclave::hub
