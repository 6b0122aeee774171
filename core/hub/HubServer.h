// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "hub/DescriptorGate.h"
#include "hub/HubEvent.h"
#include "hub/HubLimits.h"
#include "hub/HubState.h"
#include "tls/TlsIdentity.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <chrono>
#include <optional>
#include <unordered_map>
#include <vector>

namespace conclave::hub {
class JanusRooms;
class TurnGrants;
class HubStateStore;
} // namespace conclave::hub
class QSslServer;
class QSslSocket;
class QWebSocket;
class QWebSocketServer;

namespace conclave::hub {

/// The meeting hub on the network: a QWebSocketServer over TLS (the hub's own pinned key)
/// that hands every connection and binary message to HubState and carries out what it
/// decides. Used by conclave-hub and, in-process, by the desktop app ("host on this
/// computer"). Everything here is plumbing; the rules are in HubState.
class HubServer : public QObject {
    Q_OBJECT

public:
    /// Without `approval` the hub hosts any correctly signed meeting whose descriptor names
    /// this hub's key; with it, only markings the policy approves on that backend.
    HubServer(tls::TlsIdentity identity, HubLimits limits, const Clock& clock,
              std::optional<HubApproval> approval = std::nullopt, QObject* parent = nullptr);
    ~HubServer() override;

    /// A `hub+janus` hub: membership changes go to `rooms` (not owned; it must outlive this
    /// server), and its notices to the members' connections.
    void setMediaRooms(JanusRooms* rooms);
    /// A hub that shares a secret with its backend's TURN servers (not owned; it must outlive
    /// this server): every member gets `turn_credentials` notices while it is in. Call before
    /// listen() and restoreFrom(). Without it (the embedded hub) no member gets any.
    void setTurnGrants(TurnGrants* grants);
    /// A standalone hub's saved state (not owned; it must outlive this server): takes back
    /// the meetings it holds (HubState::restore) and from then on saves every change to it,
    /// before what the change leads to is sent. Call before listen(), after setMediaRooms().
    /// The log events of the restore are returned (logged by the caller after its first
    /// line); an error (a state file that is not what the hub wrote) leaves the hub empty.
    Result<std::vector<HubEvent>> restoreFrom(HubStateStore& store);
    /// Port 0 picks a free port; "hub.listen" when the address cannot be bound.
    Result<void> listen(const QHostAddress& address, quint16 port);
    /// Stops listening and closes every connection (clients see "going away"); the last
    /// sequence numbers are saved exactly.
    void close();

    /// wss://ADDRESS:PORT of the listening socket.
    QUrl url() const;
    quint16 port() const;
    /// Base64 SHA-256 of the TLS key's SubjectPublicKeyInfo: what invites carry.
    QString spkiPin() const { return m_identity.spkiPin; }
    const HubState& state() const { return m_state; }
    /// Connections that have not finished TLS and the WebSocket upgrade yet.
    size_t pendingConnections() const { return m_pending.size(); }

signals:
    /// Something for the operator's log (never message content).
    void event(const conclave::hub::HubEvent& event);

private:
    /// A connection between the first TLS byte and the finished WebSocket upgrade: counted per
    /// source and in total, and cut at its deadline, because neither HubState nor the
    /// SourceLimiter sees it yet.
    struct Pending {
        QString source;
        QHostAddress address;
        quint16 port = 0;
        std::chrono::steady_clock::time_point deadline; ///< steady: plumbing, not a rule
    };

    void startPending(QSslSocket* socket);
    /// The pending entry of a connection that just finished its upgrade, found by its peer
    /// address and port (unique per TCP connection).
    void finishPending(const QHostAddress& address, quint16 port);
    int pendingFrom(const QString& source) const;
    void expirePending();
    void upgradePending();
    void acceptPending();
    void dropSocket(ConnectionId id);
    /// Pings every connection and cuts the ones silent past HubLimits::peerSilence.
    void checkLiveness();
    void apply(const HubOutput& output);
    void sendTurnNotices(const std::vector<std::pair<ConnectionId, HubNotice>>& notices);
    /// Writes what HubState noted since the last time; on failure keeps it for the next try.
    /// The event to log when saving starts failing (once, until it works again) or works
    /// again.
    std::optional<HubEvent> persist();

    tls::TlsIdentity m_identity;
    HubState m_state;
    /// TLS is done by our own QSslServer so that every socket can be given TCP_NODELAY before
    /// the WebSocket server upgrades it: small messages (a notice, then a relayed envelope)
    /// must not wait 40 ms for the peer's delayed ACK.
    QSslServer* m_tls;
    QWebSocketServer* m_server;
    std::unordered_map<ConnectionId, QWebSocket*> m_sockets;
    /// When each connection was last heard from (a message or a pong): plumbing, not a rule.
    std::unordered_map<ConnectionId, std::chrono::steady_clock::time_point> m_lastHeard;
    JanusRooms* m_mediaRooms = nullptr;
    TurnGrants* m_turnGrants = nullptr;
    HubStateStore* m_store = nullptr;
    HubChanges m_unsaved;
    bool m_saveFailing = false;
    std::unordered_map<QObject*, Pending> m_pending;
    ConnectionId m_nextId = 1;
    QTimer m_tick;
    QTimer m_pendingCheck;
    QTimer m_liveness;
};

} // namespace conclave::hub
