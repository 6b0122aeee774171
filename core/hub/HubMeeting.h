// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/BoundedMap.h"
#include "common/Clock.h"
#include "common/Result.h"
#include "hub/HubChange.h"
#include "hub/HubOutput.h"
#include "hub/HubSnapshot.h"
#include "meeting/MeetingDescriptor.h"
#include "meeting/MessageBodies.h"
#include "meeting/RoomState.h"
#include "protocol/SequenceTracker.h"

#include <QByteArray>

#include <array>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace conclave::hub {

/// What the hub knows about one meeting: the chair-signed descriptor, who is in (members, by
/// identity key, with their connection), who waits (the lobby), who is banned, which invites
/// are spent, and the lock/suspend/chat switches. Identity keys are the 32 raw bytes.
/// The hub keeps nothing a meeting says: chat and commits pass through, never stored.
///
/// With a journal (HubState::keepChanges), every change to what the hub must still know after
/// a restart is noted there as a HubChange when it happens, for HubStateStore to write.
class HubMeeting {
public:
    /// Records about identities anyone can mint by the thousand (denials, bans) are capped:
    /// past the cap the oldest is forgotten. The chair keeps its own, stricter record.
    static constexpr size_t kMaxDenials = 10000;
    static constexpr size_t kMaxBans = 10000;

    struct SpentInvite {
        QByteArray identity; ///< who redeemed it
        TimePoint expires;
    };
    struct Knocker {
        ConnectionId connection = 0;
        QByteArray inviteId; ///< empty for an uninvited knock
        TimePoint since;
        TimePoint inviteExpires{}; ///< the invite's own expiry: it stays spent until then
    };

    HubMeeting(meeting::MeetingDescriptor descriptor, QByteArray signedDescriptor, TimePoint now);

    /// A meeting as the hub saved it, before a restart (HubMeetingRecord.cpp): `descriptor` is
    /// the record's, already checked by the DescriptorGate. Every member is away from `now`
    /// (the restart), so it has HubLimits::resumeGrace from then to resume; spent invites past
    /// their expiry are left out. "hub.state_corrupt" when the record is not one the hub could
    /// have saved (a succession or grant that does not verify, a key of the wrong length).
    static Result<HubMeeting> fromRecord(meeting::MeetingDescriptor descriptor,
                                         const MeetingRecord& record, TimePoint now);

    /// From now on, changes are noted in `journal` (not owned; null: not noted). With
    /// `opened`, the meeting as it is now is noted first, as a meeting just opened.
    void keepChanges(HubChanges* journal, bool opened);

    const meeting::MeetingDescriptor& descriptor() const { return m_descriptor; }
    const QByteArray& signedDescriptor() const { return m_signedDescriptor; }
    void replaceDescriptor(meeting::MeetingDescriptor descriptor, QByteArray signedDescriptor);

    /// The chair now: the descriptor's signer until a delegated co-chair takes over.
    const QByteArray& chairKey() const { return m_chairKey; }
    bool isChair(const QByteArray& identity) const { return identity == m_chairKey; }
    bool chairChanged() const { return !m_succession.isEmpty(); }
    std::optional<ConnectionId> chairConnection() const { return memberConnection(m_chairKey); }
    /// Every message from the chair counts (heartbeats come at least every 5 s).
    void chairHeard(TimePoint now) { m_chairHeard = now; }
    TimePoint chairLastHeard() const { return m_chairHeard; }

    /// Co-chairs named by the original chair's signed delegation (`signedDelegation`, the
    /// grant as relayed), while they are members.
    void setCoChair(const QByteArray& identity, bool granted, QByteArray signedDelegation = {});
    bool isCoChair(const QByteArray& identity) const { return m_coChairs.count(identity) > 0; }
    /// `signedDelegation` is, byte for byte, a grant in force: what a successor may repeat.
    bool isGrantInForce(const QByteArray& signedDelegation) const;
    std::vector<ConnectionId> coChairConnections() const;
    /// A co-chair took over: it is the chair from now on; `delegation` is shown to knockers.
    /// The other co-chairs keep the original chair's grants, as members do.
    void changeChair(const QByteArray& successor, QByteArray delegation);
    const QByteArray& succession() const { return m_succession; }

    /// Members by identity, with their connection (kAway while away).
    const std::map<QByteArray, ConnectionId>& members() const { return m_members; }
    bool isMember(const QByteArray& identity) const { return m_members.count(identity) > 0; }
    /// The member's live connection; nullopt when it is not a member or is away.
    std::optional<ConnectionId> memberConnection(const QByteArray& identity) const;
    /// Adds a member, or puts one that was away (or reconnected) on its new connection.
    void addMember(const QByteArray& identity, ConnectionId connection);
    /// The member's connection went without a signed leave: it keeps its place (and its
    /// co-chair role) until it resumes on a new connection or HubLimits::resumeGrace passes.
    void setAway(const QByteArray& identity, TimePoint since);
    bool isAway(const QByteArray& identity) const { return m_away.count(identity) > 0; }
    /// Members away since `cutoff` or earlier.
    std::vector<QByteArray> awayLongerThan(TimePoint cutoff) const;
    std::vector<QByteArray> awayMembers() const { return awayLongerThan(TimePoint::max()); }
    bool removeMember(const QByteArray& identity);
    /// Live connections of every member except `except` (the sender of what is being
    /// forwarded); members away have none.
    std::vector<ConnectionId> memberConnections(const QByteArray& except = {}) const;

    const std::map<QByteArray, Knocker>& lobby() const { return m_lobby; }
    const Knocker* knocker(const QByteArray& identity) const;
    void queue(const QByteArray& identity, Knocker knocker);
    std::optional<Knocker> takeKnocker(const QByteArray& identity);
    /// Moves a knocker into the meeting and spends its invite; nullopt when not waiting.
    std::optional<Knocker> admit(const QByteArray& identity);
    /// The chair sent a member back to the waiting room (`control to-lobby`): it leaves the
    /// room, is not banned, and is "returning" until admitted again or banned - its next knock
    /// needs no invite, since the one it had was spent when it was first admitted.
    void sendToLobby(const QByteArray& identity);
    bool isReturning(const QByteArray& identity) const { return m_returning.count(identity) > 0; }

    /// An invite is spent once its holder is admitted, and reserved while it waits.
    /// Spent by another identity: after first use an invite belongs to whoever redeemed it.
    bool inviteSpentByOther(const QByteArray& inviteId, const QByteArray& identity) const
    {
        const auto it = m_spentInvites.find(inviteId);
        return it != m_spentInvites.end() && it->second.identity != identity;
    }
    bool inviteWaiting(const QByteArray& inviteId) const;
    /// A spent invite past its expiry is refused as expired anyway: no need to remember it.
    void forgetExpiredInvites(TimePoint now);
    size_t spentInviteCount() const { return m_spentInvites.size(); }

    bool isBanned(const QByteArray& identity) const { return m_banned.contains(identity); }
    void ban(const QByteArray& identity);
    size_t banCount() const { return m_banned.size(); }
    size_t denialCount() const { return m_denials.size(); }
    size_t returningCount() const { return m_returning.size(); }
    /// Counts a denial; true when it is the second one and the identity is now banned.
    bool recordDenial(const QByteArray& identity);

    /// A relayed control, read as every client reads it (meeting::RoomState::apply); the hub
    /// enforces lock, suspend and chat from it. Mute and video are for the clients alone.
    void apply(const meeting::ControlBody& control);
    const meeting::RoomState& room() const { return m_room; }
    bool isLocked() const { return m_room.locked(); }
    bool isSuspended() const { return m_room.suspended(); }
    bool chatEnabled() const { return m_room.chat(); }

    /// Refuses a replayed or reordered message (protocol::SequenceTracker), and after a
    /// restart also anything at or below the last number the hub had saved for its sender.
    Result<void> acceptSequence(const protocol::Envelope& envelope);
    const protocol::SequenceTracker& sequence() const { return m_sequence; }
    /// Notes, for the members that sent anything since the last call, the last number
    /// accepted from them. HubState calls it once a tick rather than per message: see there.
    void noteSequences();

private:
    void note(HubChange change);
    void noteRoom();

    meeting::MeetingDescriptor m_descriptor;
    QByteArray m_signedDescriptor;
    QByteArray m_chairKey;
    QByteArray m_succession;
    TimePoint m_chairHeard;
    std::map<QByteArray, QByteArray> m_coChairs; ///< identity -> the signed grant
    static constexpr ConnectionId kAway = 0;     ///< connection ids start at 1
    std::map<QByteArray, ConnectionId> m_members;
    std::map<QByteArray, TimePoint> m_away;
    std::map<QByteArray, Knocker> m_lobby;
    /// invite id -> who redeemed it (it stays theirs) and its expiry (forgotten after it)
    std::map<QByteArray, SpentInvite> m_spentInvites;
    BoundedMap<QByteArray, bool> m_banned{kMaxBans};
    std::set<QByteArray> m_returning;
    BoundedMap<QByteArray, int> m_denials{kMaxDenials};
    meeting::RoomState m_room;
    protocol::SequenceTracker m_sequence;
    /// The last numbers the hub had saved per sender before a restart (by SequenceStream).
    std::map<QByteArray, std::array<uint64_t, 2>> m_floors;
    HubChanges* m_journal = nullptr;
    std::set<QByteArray> m_sequenceNoted; ///< senders heard from since noteSequences()
};

} // namespace conclave::hub
