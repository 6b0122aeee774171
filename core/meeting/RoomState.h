// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Roster.h"
#include "meeting/MeetingDescriptor.h"
#include "meeting/MessageBodies.h"

#include <QByteArray>

#include <cstddef>
#include <cstdint>
#include <set>

namespace conclave::meeting {

/// A member's own media as the chair's controls leave it. Controls only ever stop it; the
/// member alone starts it again (and not while the room is suspended).
struct OwnMedia {
    bool muted = false;
    bool videoOff = false;
    bool sharing = false;

    bool operator==(const OwnMedia&) const = default;
};

/// The room's rules as the chair's signed `control` messages set them: locked, suspended,
/// chat on or off, who may share a screen, ended. This is the one place that says what each
/// control means; the chair applies its own controls here, every participant the controls it
/// receives, and the hub the controls it relays (it enforces lock, suspend and chat from the
/// same value). Checks that depend on the policy or the descriptor (may chat be switched on
/// at this marking, may this member share) stay with the sessions; they decide whether a
/// control is sent, not what it means. Identities are the 32 raw key bytes.
class RoomState {
public:
    /// More share grants than this are not recorded (the chair grants only members, so an
    /// honest meeting never comes near it; it keeps the hub's copy bounded).
    static constexpr size_t kMaxSharers = 4096;

    /// A room as a descriptor opens it: unlocked, not suspended, chat as its options say.
    explicit RoomState(bool chat = false, bool locked = false, bool suspended = false)
        : m_locked(locked), m_suspended(suspended), m_chat(chat)
    {
    }

    /// What `control` means for the room. True when the room changed.
    /// - lock / unlock: admissions stop / resume;
    /// - suspend: also locks, turns chat off and withdraws every share grant; `resume` ends
    ///   the suspension only - the room stays locked, chat off, grants withdrawn, until the
    ///   chair says otherwise;
    /// - allow-chat / disable-chat: chat on / off;
    /// - allow-share / revoke-share with a target: that member may / may not share (without a
    ///   target nothing changes: whether everyone may share is the signed descriptor's
    ///   `share_by_all`, not a control);
    /// - to-lobby: the target leaves the room and with it its share grant;
    /// - end: the meeting is over;
    /// - mute-all, mute, stop-video: nothing in the room (see the overload below).
    bool apply(const ControlBody& control);
    /// The same, and what the control does to the media of the member `self`: `mute-all`
    /// mutes every member, `mute` and `stop-video` the target (everyone without one),
    /// `revoke-share` stops the target's share if it held a grant, and `suspend` stops all of
    /// it - the chair's own included. Other than `suspend`, controls never touch the chair's
    /// own media (`selfIsChair`): the chair is the one sending them. True when anything changed.
    bool apply(const ControlBody& control, const QByteArray& self, bool selfIsChair, OwnMedia& own);

    /// A new descriptor revision (a marking change): chat stays on only if its options allow it.
    void takeRevision(const MeetingOptions& options);
    /// `identity` left the room (removed, sent to the waiting room): its share grant goes.
    void leaves(const QByteArray& identity);

    bool locked() const { return m_locked; }
    bool suspended() const { return m_suspended; }
    bool chat() const { return m_chat; }
    bool ended() const { return m_ended; }
    /// Members the chair allowed to share (identity key bytes).
    const std::set<QByteArray>& shareGrants() const { return m_sharers; }
    bool mayShare(const QByteArray& identity) const { return m_sharers.count(identity) > 0; }

    /// Who gets a screen key: the roster indices whose screen share every member may decrypt.
    /// The chair always; a participant (never an observer) the chair allowed, or every
    /// participant when the descriptor says `share_by_all` - except while suspended. Nobody
    /// else gets a screen key. The chair's and the participants' media read this one answer.
    std::set<uint32_t> screenSharers(const crypto::Roster& roster, bool shareByAll) const;

    bool operator==(const RoomState&) const = default;

private:
    void grantShare(const QByteArray& identity, bool allowed);

    bool m_locked = false;
    bool m_suspended = false;
    bool m_chat = false;
    bool m_ended = false;
    std::set<QByteArray> m_sharers;
};

} // namespace conclave::meeting
