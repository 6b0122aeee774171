// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "meeting/RoomState.h"

#include <QByteArray>

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace conclave::hub {

/// What the hub had saved about one meeting (HubStateStore::load), as plain values: HubState
/// checks them again before it hosts the meeting (HubMeeting::fromRecord). Lists that the hub
/// caps (bans, denials) are oldest first, so the cap forgets the same entries it would have.
struct MeetingRecord {
    struct SpentInvite {
        QByteArray inviteId;
        QByteArray identity; ///< who redeemed it: it stays theirs
        TimePoint expires;
    };
    struct SequenceMark {
        QByteArray sender;
        std::array<uint64_t, 2> seq{}; ///< the last accepted, by protocol::SequenceStream
    };

    QByteArray meetingId;
    QByteArray signedDescriptor;
    QByteArray chairKey;   ///< the chair now (a successor after a takeover)
    QByteArray succession; ///< empty, or the delegation the chair took over with
    std::vector<QByteArray> members;
    std::vector<std::pair<QByteArray, QByteArray>> coChairs; ///< identity, signed grant
    std::vector<QByteArray> bans;
    std::vector<std::pair<QByteArray, int>> denials;
    std::vector<QByteArray> returning;
    std::vector<SpentInvite> spentInvites;
    meeting::RoomState room;
    std::vector<SequenceMark> sequence;
};

/// Everything the hub had saved: the meetings it hosted and the ids of meetings their chairs
/// ended (oldest first), so members coming back are told `meeting.ended`.
struct HubSnapshot {
    std::vector<MeetingRecord> meetings;
    std::vector<QByteArray> ended;
};

} // namespace conclave::hub
