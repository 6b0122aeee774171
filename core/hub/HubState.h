// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/BoundedSet.h"
#include "common/Clock.h"
#include "hub/DescriptorGate.h"
#include "hub/HubChange.h"
#include "hub/HubConnection.h"
#include "hub/HubLimits.h"
#include "hub/HubMeeting.h"
#include "hub/HubOutput.h"
#include "hub/HubSnapshot.h"
#include "hub/KnockGate.h"
#include "hub/SourceLimiter.h"
#include "protocol/Envelope.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace conclave::hub {

/// Running totals, for logs and benchmarks.
struct HubStats {
    uint64_t messages = 0;
    uint64_t dropped = 0;
    uint64_t knocksQueued = 0;
    uint64_t knocksRefused = 0;
    uint64_t connectionsRefused = 0;
    uint64_t disconnectedForErrors = 0;
};

/// The hub's rules without any socket (docs/protocol.md §5-6): it takes connection events
/// and the raw bytes of each message and returns what to send, whom to disconnect and what
/// to log. HubServer feeds it from WebSockets; tests feed it directly.
///
/// Order of checks for every message: size, strict decoding, (for a first knock) the
/// source's knock rate, the signature, the connection's binding, the sender's right to send
/// that type, the body's schema, then the sequence number - and only then any effect.
class HubState {
public:
    /// Meetings the chair ended, so a member coming back is told so rather than "unknown".
    static constexpr size_t kEndedRemembered = 10000;

    HubState(HubLimits limits, const Clock& clock, DescriptorGate gate = DescriptorGate());
    HubState(const HubState&) = delete; // the gates hold references to m_limits
    HubState& operator=(const HubState&) = delete;

    /// A connection arrived from `source` (SourceLimiter::sourceKey); refused over a limit.
    HubOutput open(ConnectionId id, const QString& source);
    /// One binary message from a connection.
    HubOutput receive(ConnectionId id, const QByteArray& message);
    /// The connection is gone (the peer left, or the hub closed it).
    HubOutput closed(ConnectionId id);
    /// Time-outs (idle knockers, connections that never joined); call about once a second.
    HubOutput tick();

    /// Takes the meetings the hub had saved before a restart (HubStateStore::load), into a
    /// hub that has no meetings or connections yet. Each is checked as a `create` would be
    /// now (the hub's key or policy may have changed: a meeting it would not host now is not
    /// restored, and logged as ended "not restored"); every member is away from now on, so
    /// it resumes with a signed `resume` within HubLimits::resumeGrace, and the chair
    /// creates again. Bans, denials, spent invites, the room's switches, co-chairs and the
    /// last sequence numbers hold as they did. "hub.state_corrupt" (nothing taken) when a
    /// record is not one the hub could have written.
    Result<HubOutput> restore(const HubSnapshot& snapshot);
    /// From now on, note every change to what must outlive a restart (HubChange); the
    /// caller takes them with takeChanges() and saves them (HubServer, HubStateStore).
    void keepChanges();
    HubChanges takeChanges() { return std::exchange(m_changes, {}); }
    /// Notes the last sequence number of every member heard from since the last call. Not
    /// done per message, which would mean a write per relayed message: tick() does it once a
    /// second, and admissions, resumes and creates at once. So after a crash the saved
    /// number may lag the last accepted by up to a second of a member's messages (a clean
    /// stop saves them exactly, HubServer::close). Why not save "last + N" ahead, as nonces
    /// are reserved: members number on from where they were when they resume, so every
    /// honest message below last + N would be refused as a replay after a restart and the
    /// member would lose its place - what saving the state is for.
    void noteSequences();

    const HubLimits& limits() const { return m_limits; }
    const HubStats& stats() const { return m_stats; }
    size_t connectionCount() const { return m_connections.size(); }
    size_t meetingCount() const { return m_meetings.size(); }
    /// Source addresses the hub remembers (connections, knock rates).
    size_t sourceCount() const { return m_sources.trackedSources(); }
    const HubMeeting* meeting(const QByteArray& meetingId) const;

private:
    using Envelope = protocol::Envelope;

    void handleUnbound(HubOutput& out, HubConnection& c, const Envelope& e, const QByteArray& raw);
    void handleCreate(HubOutput& out, HubConnection& c, const Envelope& e);
    void handleKnock(HubOutput& out, HubConnection& c, const Envelope& e, const QByteArray& raw);
    /// A member back on a new connection takes its place again (or is refused with the reason).
    void handleResume(HubOutput& out, HubConnection& c, const Envelope& e, const QByteArray& raw);
    /// The chair's catch-up for one member: relayed to that member alone.
    void handleResync(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                      const QByteArray& raw);
    /// An identity's earlier connection, still open as far as the hub knows, is replaced by a
    /// new one it signed for: closed without telling anyone it went.
    void retire(HubOutput& out, ConnectionId old);
    void dispatch(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                  const QByteArray& raw);
    void handleChair(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                     const QByteArray& raw);
    void handleAdmit(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                     const QByteArray& raw);
    void handleDeny(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                    const QByteArray& raw);
    void handleRemove(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                      const QByteArray& raw);
    void handleControl(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                       const QByteArray& raw);
    void handleDescriptor(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                          const QByteArray& raw);
    void handleMember(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                      const QByteArray& raw);
    void handleSignal(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                      const QByteArray& raw);
    void handleLeave(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                     const QByteArray& raw);
    void handleDelegate(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                        const QByteArray& raw);
    void handleRequest(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                       const QByteArray& raw);
    void handleTakeover(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                        const QByteArray& raw);
    /// Drops (and records as unauthorised) a co-chair message from someone who is not one.
    bool refuseUnlessCoChair(HubOutput& out, HubConnection& c, const HubMeeting& m,
                             const Envelope& e);
    /// Tells the chair and the co-chairs (who see the waiting room) something about it.
    void notifyLobbyKeepers(HubOutput& out, const HubMeeting& m, const HubNotice& notice) const;

    /// Sends an `error` notice and logs; with `strike`, counts against the connection and
    /// disconnects it when its allowance is spent.
    void drop(HubOutput& out, HubConnection& c, const Error& error, bool strike = true);
    /// Sends `refused`, logs `kind` and closes: the end of a create or knock that failed.
    void refuse(HubOutput& out, HubConnection& c, HubEvent::Kind kind, const Error& error,
                const Envelope* e = nullptr);
    bool acceptSequence(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e);
    void forward(HubOutput& out, const HubMeeting& m, const QByteArray& raw,
                 const QByteArray& except) const;

    /// Takes a connection out of its meeting (telling whoever needs to know) and closes it.
    void hangUp(HubOutput& out, ConnectionId id, std::string_view why);
    /// `dropped`: the connection went without a signed leave, so a member keeps its place
    /// (away) for HubLimits::resumeGrace.
    void detach(HubOutput& out, HubConnection& c, std::string_view why, bool dropped = false);
    /// Tells every other member that `who` is away (or back).
    void announcePresence(HubOutput& out, const HubMeeting& m, const QByteArray& who, bool back);
    void expireAway(HubOutput& out);
    /// A member is gone: by a signed `leave` (forwarded) or otherwise (a `left` notice).
    void memberGone(HubOutput& out, const QByteArray& meetingId, const QByteArray& who,
                    std::string_view why, const QByteArray& leaveEnvelope);
    /// Nobody can admit the knockers any more (the chair left, or changed): they are refused
    /// with `why` and may knock again.
    void turnAwayKnockers(HubOutput& out, HubMeeting& m, const Error& why);
    void endMeeting(HubOutput& out, const QByteArray& meetingId, std::string_view why,
                    bool notifyEnded);

    HubEvent eventFor(HubEvent::Kind kind, const HubConnection& c) const;
    HubConnection* connection(ConnectionId id);
    HubMeeting* findMeeting(const QByteArray& meetingId);

    HubLimits m_limits;
    const Clock& m_clock;
    DescriptorGate m_gate;
    KnockGate m_knockGate;
    SourceLimiter m_sources;
    std::unordered_map<ConnectionId, HubConnection> m_connections;
    std::map<QByteArray, HubMeeting> m_meetings;
    BoundedSet<QByteArray> m_ended{kEndedRemembered};
    HubStats m_stats;
    bool m_keepChanges = false;
    HubChanges m_changes;
};

} // namespace conclave::hub
