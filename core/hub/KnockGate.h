// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "hub/HubLimits.h"
#include "hub/HubMeeting.h"
#include "meeting/MessageBodies.h"
#include "protocol/Envelope.h"

#include <QByteArray>

namespace conclave::hub {

/// The hub's side of the waiting room door (docs/protocol.md §6): decides whether a knock may
/// wait in a meeting's lobby. Rate limits and unknown meetings are checked before this, by
/// HubState, because they need no meeting. Every refusal has a specific code and a reason the
/// knocker can act on.
class KnockGate {
public:
    /// What an accepted knock reserves: its invite (empty when uninvited or returning) and
    /// that invite's expiry.
    struct Pass {
        QByteArray inviteId;
        TimePoint inviteExpires{};
    };

    KnockGate(const HubLimits& limits, const Clock& clock) : m_limits(limits), m_clock(clock) {}

    /// The invite the knock reserves (empty when uninvited or returning - an identity the
    /// chair sent back to the waiting room needs no invite), or why it is refused:
    /// meeting.chair_absent, meeting.chair_silent, meeting.locked, meeting.banned,
    /// meeting.already_member, lobby.duplicate, lobby.full, invite.required, invite.malformed,
    /// invite.bad_signature, invite.wrong_chair, invite.wrong_meeting, invite.expired, invite.used,
    /// invite.wrong_identity.
    Result<Pass> check(const HubMeeting& meeting, const protocol::Envelope& knock,
                       const meeting::KnockBody& body) const;

private:
    Result<Pass> checkInvite(const HubMeeting& meeting, const protocol::Envelope& knock,
                             const meeting::KnockBody& body) const;

    const HubLimits& m_limits;
    const Clock& m_clock;
};

} // namespace conclave::hub
