// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/HubOutput.h"

namespace conclave::hub {

void HubOutput::send(ConnectionId connection, const QByteArray& bytes)
{
    m_actions.push_back({HubAction::Kind::Send, connection, bytes});
}

void HubOutput::notify(ConnectionId connection, const HubNotice& notice)
{
    send(connection, notice.encode());
}

void HubOutput::close(ConnectionId connection)
{
    m_actions.push_back({HubAction::Kind::Close, connection, {}});
}

void HubOutput::event(HubEvent event)
{
    m_events.push_back(std::move(event));
}

void HubOutput::mediaRoom(MediaRoomChange change)
{
    m_mediaRooms.push_back(std::move(change));
}

} // namespace conclave::hub
