// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "meeting/RoomState.h"

#include <QByteArray>

#include <array>
#include <cstdint>
#include <vector>

namespace conclave::hub {

/// One change to what the hub must still know after a restart (docs/operations.md, "The hub's
/// saved state"): HubMeeting and HubState note them as they happen, HubStateStore writes them
/// in order. Only what the hub enforces is here - never chat, commits, keys or anything else
/// a meeting says. Identities are the 32 raw key bytes; which fields a kind uses is given
/// next to it (the others stay empty).
struct HubChange {
    enum class Kind : uint8_t {
        Opened,         ///< bytes: the signed descriptor; identity: the chair; room
        Descriptor,     ///< bytes: a newer signed descriptor; room: as that revision leaves it
        Chair,          ///< identity: the chair now; bytes: the delegation it took over with
        Member,         ///< identity came into (on) or left (!on) the room
        CoChair,        ///< identity's signed grant in bytes (on), or no grant any more (!on)
        Banned,         ///< identity
        Denied,         ///< identity: count denials so far (0: forgotten)
        Returning,      ///< identity was sent to the waiting room (on), or no longer is (!on)
        InviteSpent,    ///< bytes: the invite id; identity: who redeemed it; time: its expiry
        InvitesExpired, ///< spent invites expiring at or before `time` are forgotten
        Room,           ///< room: the switches and share grants now
        Sequence,       ///< identity: a member; seq: the last number accepted per stream
        Closed,         ///< the meeting is forgotten; on: the chair ended it
    };

    Kind kind = Kind::Opened;
    QByteArray meetingId = {};
    QByteArray identity = {};
    QByteArray bytes = {};
    bool on = true;
    int count = 0;
    TimePoint time = {};
    std::array<uint64_t, 2> seq = {}; ///< by protocol::SequenceStream
    meeting::RoomState room = meeting::RoomState();
};

using HubChanges = std::vector<HubChange>;

} // namespace conclave::hub
