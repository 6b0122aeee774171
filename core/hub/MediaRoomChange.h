// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <cstdint>

namespace conclave::hub {

using ConnectionId = uint64_t;

/// A change in who may send and receive a meeting's media on an SFU, decided by HubState and
/// carried out by the hub's MediaRooms (Janus VideoRoom: docs/scaling.md). HubState says
/// *when* (admission, removal, return to the lobby, leaving, the end); MediaRooms says *how*.
struct MediaRoomChange {
    enum class Kind {
        Open,  ///< a new meeting: make its room
        Join,  ///< a member is in (the chair at create, a knocker at admission): give it a token
        Leave, ///< a member is out (removed, sent to the lobby, left, disconnected): its token
               ///< goes from `allowed` and its media is kicked
        Close, ///< the meeting ended: the room goes
    };
    Kind kind = Kind::Open;
    QByteArray meetingId;
    QByteArray identity;         ///< join, leave: the member's 32-byte identity key
    ConnectionId connection = 0; ///< join: where the member's media_room notice goes
};

} // namespace conclave::hub
