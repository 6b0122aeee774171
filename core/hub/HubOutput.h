// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "hub/HubEvent.h"
#include "hub/HubNotice.h"
#include "hub/MediaRoomChange.h"

#include <QByteArray>

#include <cstdint>
#include <vector>

namespace conclave::hub {

/// One thing the socket layer must do, in order.
struct HubAction {
    enum class Kind {
        Send,  ///< send `bytes` as one binary message
        Close, ///< close after everything sent before it
    };
    Kind kind = Kind::Send;
    ConnectionId connection = 0;
    QByteArray bytes;
};

/// What the hub logic decided for one input: messages to send, connections to close, events
/// to log. Keeping decisions as values lets the rules be tested without any socket.
class HubOutput {
public:
    void send(ConnectionId connection, const QByteArray& bytes);
    void notify(ConnectionId connection, const HubNotice& notice);
    void close(ConnectionId connection);
    void event(HubEvent event);
    void mediaRoom(MediaRoomChange change);

    const std::vector<HubAction>& actions() const { return m_actions; }
    const std::vector<HubEvent>& events() const { return m_events; }
    const std::vector<MediaRoomChange>& mediaRoomChanges() const { return m_mediaRooms; }

private:
    std::vector<HubAction> m_actions;
    std::vector<HubEvent> m_events;
    std::vector<MediaRoomChange> m_mediaRooms;
};

} // namespace conclave::hub
