// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/RoomState.h"

#include "meeting/SessionSupport.h"

namespace conclave::meeting {

bool RoomState::apply(const ControlBody& control)
{
    OwnMedia nobody;
    return apply(control, QByteArray(), true, nobody);
}

bool RoomState::apply(const ControlBody& control, const QByteArray& self, bool selfIsChair,
                      OwnMedia& own)
{
    const RoomState roomBefore = *this;
    const OwnMedia ownBefore = own;
    const QByteArray target = control.target ? support::keyBytes(*control.target) : QByteArray();
    // Addressed to this member: it is the target, or the control is for everyone. The chair's
    // own media is left alone: it is the one muting, stopping and revoking.
    const bool forMember = !selfIsChair && (!control.target || target == self);
    switch (control.action) {
    case ControlAction::Lock:
        m_locked = true;
        break;
    case ControlAction::Unlock:
        m_locked = false;
        break;
    case ControlAction::MuteAll:
        own.muted = own.muted || !selfIsChair;
        break;
    case ControlAction::Mute:
        own.muted = own.muted || forMember;
        break;
    case ControlAction::StopVideo:
        own.videoOff = own.videoOff || forMember;
        break;
    case ControlAction::AllowShare:
    case ControlAction::RevokeShare: {
        if (!control.target)
            break;
        const bool allowed = control.action == ControlAction::AllowShare;
        const bool held = mayShare(target);
        grantShare(target, allowed);
        if (forMember && held && !allowed)
            own.sharing = false; // revoked: it stops at once
        break;
    }
    case ControlAction::AllowChat:
        m_chat = true;
        break;
    case ControlAction::DisableChat:
        m_chat = false;
        break;
    case ControlAction::Suspend:
        // One action stops everything: media, chat and share end, and the meeting locks.
        m_suspended = true;
        m_locked = true;
        m_chat = false;
        m_sharers.clear();
        own = OwnMedia{true, true, false};
        break;
    case ControlAction::Resume:
        // Fail closed: still locked, chat and share stay off until the chair allows them.
        m_suspended = false;
        break;
    case ControlAction::End:
        m_ended = true;
        break;
    case ControlAction::ToLobby:
        leaves(target);
        break;
    }
    return !(roomBefore == *this) || !(ownBefore == own);
}

void RoomState::takeRevision(const MeetingOptions& options)
{
    m_chat = m_chat && options.chat; // the new grade's rules apply; never switched on by it
}

void RoomState::leaves(const QByteArray& identity)
{
    m_sharers.erase(identity);
}

void RoomState::grantShare(const QByteArray& identity, bool allowed)
{
    if (!allowed)
        m_sharers.erase(identity);
    else if (m_sharers.size() < kMaxSharers)
        m_sharers.insert(identity);
}

std::set<uint32_t> RoomState::screenSharers(const crypto::Roster& roster, bool shareByAll) const
{
    const bool everyone = shareByAll && !m_suspended;
    std::set<uint32_t> sharers;
    for (const crypto::RosterEntry& e : roster.entries())
        if (e.role == crypto::MemberRole::Chair ||
            (e.role != crypto::MemberRole::Observer &&
             (everyone || mayShare(support::keyBytes(e.identity)))))
            sharers.insert(e.index);
    return sharers;
}

} // namespace conclave::meeting
