// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/HubMeeting.h"

namespace conclave::hub {

HubMeeting::HubMeeting(meeting::MeetingDescriptor descriptor, QByteArray signedDescriptor,
                       TimePoint now)
    : m_descriptor(std::move(descriptor)), m_signedDescriptor(std::move(signedDescriptor)),
      m_chairKey(reinterpret_cast<const char*>(m_descriptor.chair.bytes.data()), 32),
      m_chairHeard(now), m_room(m_descriptor.options.chat)
{
}

void HubMeeting::replaceDescriptor(meeting::MeetingDescriptor descriptor,
                                   QByteArray signedDescriptor)
{
    m_descriptor = std::move(descriptor);
    m_signedDescriptor = std::move(signedDescriptor);
    m_room.takeRevision(m_descriptor.options); // chat stays on only where the new rules allow
}

void HubMeeting::setCoChair(const QByteArray& identity, bool granted, QByteArray signedDelegation)
{
    if (granted)
        m_coChairs[identity] = std::move(signedDelegation);
    else
        m_coChairs.erase(identity);
}

bool HubMeeting::isGrantInForce(const QByteArray& signedDelegation) const
{
    for (const auto& [identity, grant] : m_coChairs)
        if (grant == signedDelegation)
            return true;
    return false;
}

std::vector<ConnectionId> HubMeeting::coChairConnections() const
{
    std::vector<ConnectionId> out;
    for (const auto& [identity, grant] : m_coChairs)
        if (auto connection = memberConnection(identity))
            out.push_back(*connection);
    return out;
}

void HubMeeting::changeChair(const QByteArray& successor, QByteArray delegation)
{
    m_chairKey = successor;
    m_succession = std::move(delegation);
    // The successor's own grant is spent; the others are the original chair's and stay in
    // force, as members keep them (the successor repeats them to newcomers and carries out
    // those co-chairs' requests). The successor cannot name or withdraw anyone itself.
    m_coChairs.erase(successor);
}

std::optional<ConnectionId> HubMeeting::memberConnection(const QByteArray& identity) const
{
    const auto it = m_members.find(identity);
    if (it == m_members.end() || it->second == kAway)
        return std::nullopt;
    return it->second;
}

void HubMeeting::addMember(const QByteArray& identity, ConnectionId connection)
{
    m_members[identity] = connection;
    m_away.erase(identity);
}

void HubMeeting::setAway(const QByteArray& identity, TimePoint since)
{
    const auto it = m_members.find(identity);
    if (it == m_members.end())
        return;
    it->second = kAway;
    m_away[identity] = since;
}

std::vector<QByteArray> HubMeeting::awayLongerThan(TimePoint cutoff) const
{
    std::vector<QByteArray> out;
    for (const auto& [identity, since] : m_away)
        if (since <= cutoff)
            out.push_back(identity);
    return out;
}

bool HubMeeting::removeMember(const QByteArray& identity)
{
    m_coChairs.erase(identity); // a delegation ends when its holder leaves the room
    m_room.leaves(identity);
    m_away.erase(identity);
    if (m_members.erase(identity) == 0)
        return false;
    m_sequence.release(m_descriptor.meetingId, identity);
    return true;
}

std::vector<ConnectionId> HubMeeting::memberConnections(const QByteArray& except) const
{
    std::vector<ConnectionId> out;
    out.reserve(m_members.size());
    for (const auto& [identity, connection] : m_members)
        if (identity != except && connection != kAway)
            out.push_back(connection);
    return out;
}

const HubMeeting::Knocker* HubMeeting::knocker(const QByteArray& identity) const
{
    const auto it = m_lobby.find(identity);
    return it == m_lobby.end() ? nullptr : &it->second;
}

void HubMeeting::queue(const QByteArray& identity, Knocker knocker)
{
    m_lobby[identity] = std::move(knocker);
}

std::optional<HubMeeting::Knocker> HubMeeting::takeKnocker(const QByteArray& identity)
{
    const auto it = m_lobby.find(identity);
    if (it == m_lobby.end())
        return std::nullopt;
    Knocker k = std::move(it->second);
    m_lobby.erase(it);
    return k;
}

std::optional<HubMeeting::Knocker> HubMeeting::admit(const QByteArray& identity)
{
    auto k = takeKnocker(identity);
    if (!k)
        return std::nullopt;
    if (!k->inviteId.isEmpty())
        m_spentInvites[k->inviteId] = SpentInvite{identity, k->inviteExpires};
    m_members[identity] = k->connection;
    m_returning.erase(identity);
    return k;
}

void HubMeeting::sendToLobby(const QByteArray& identity)
{
    m_coChairs.erase(identity);
    m_away.erase(identity);
    if (m_members.erase(identity) > 0) {
        m_returning.insert(identity);
        m_sequence.release(m_descriptor.meetingId, identity);
    }
}

bool HubMeeting::inviteWaiting(const QByteArray& inviteId) const
{
    for (const auto& [identity, k] : m_lobby)
        if (k.inviteId == inviteId)
            return true;
    return false;
}

void HubMeeting::forgetExpiredInvites(TimePoint now)
{
    for (auto it = m_spentInvites.begin(); it != m_spentInvites.end();)
        it = now >= it->second.expires ? m_spentInvites.erase(it) : std::next(it);
}

bool HubMeeting::recordDenial(const QByteArray& identity)
{
    if (++m_denials[identity] < 2)
        return false;
    m_denials.erase(identity); // the ban says it from now on
    ban(identity);
    return true;
}

} // namespace conclave::hub
