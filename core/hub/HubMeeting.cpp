// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/HubMeeting.h"

#include "crypto/Fingerprint.h"

#include <algorithm>

namespace conclave::hub {
namespace {

using Kind = HubChange::Kind;

QByteArray keyBytes(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), 32);
}

} // namespace

HubMeeting::HubMeeting(meeting::MeetingDescriptor descriptor, QByteArray signedDescriptor,
                       TimePoint now)
    : m_descriptor(std::move(descriptor)), m_signedDescriptor(std::move(signedDescriptor)),
      m_chairKey(keyBytes(m_descriptor.chair)), m_chairHeard(now), m_room(m_descriptor.options.chat)
{
}

void HubMeeting::keepChanges(HubChanges* journal, bool opened)
{
    m_journal = journal;
    if (!opened)
        return;
    note({.kind = Kind::Opened,
          .identity = m_chairKey,
          .bytes = m_signedDescriptor,
          .room = m_room});
    for (const auto& [identity, connection] : m_members) {
        note({.kind = Kind::Member, .identity = identity});
        m_sequenceNoted.insert(identity); // its create, accepted before the meeting was kept
    }
    noteSequences();
}

void HubMeeting::note(HubChange change)
{
    if (!m_journal)
        return;
    change.meetingId = m_descriptor.meetingId;
    m_journal->push_back(std::move(change));
}

void HubMeeting::noteRoom()
{
    note({.kind = Kind::Room, .room = m_room});
}

void HubMeeting::replaceDescriptor(meeting::MeetingDescriptor descriptor,
                                   QByteArray signedDescriptor)
{
    m_descriptor = std::move(descriptor);
    m_signedDescriptor = std::move(signedDescriptor);
    m_room.takeRevision(m_descriptor.options); // chat stays on only where the new rules allow
    note({.kind = Kind::Descriptor, .bytes = m_signedDescriptor, .room = m_room});
}

void HubMeeting::setCoChair(const QByteArray& identity, bool granted, QByteArray signedDelegation)
{
    if (granted)
        m_coChairs[identity] = signedDelegation;
    else if (m_coChairs.erase(identity) == 0)
        return;
    note({.kind = Kind::CoChair,
          .identity = identity,
          .bytes = std::move(signedDelegation),
          .on = granted});
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
    note({.kind = Kind::Chair, .identity = m_chairKey, .bytes = m_succession});
    // The successor's own grant is spent; the others are the original chair's and stay in
    // force, as members keep them (the successor repeats them to newcomers and carries out
    // those co-chairs' requests). The successor cannot name or withdraw anyone itself.
    setCoChair(successor, false);
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
    const bool added = m_members.count(identity) == 0;
    m_members[identity] = connection;
    m_away.erase(identity);
    if (added)
        note({.kind = Kind::Member, .identity = identity});
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
    setCoChair(identity, false); // a delegation ends when its holder leaves the room
    if (m_room.mayShare(identity)) {
        m_room.leaves(identity);
        noteRoom();
    }
    m_away.erase(identity);
    if (m_members.erase(identity) == 0)
        return false;
    note({.kind = Kind::Member, .identity = identity, .on = false});
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
    if (!k->inviteId.isEmpty()) {
        m_spentInvites[k->inviteId] = SpentInvite{identity, k->inviteExpires};
        note({.kind = Kind::InviteSpent,
              .identity = identity,
              .bytes = k->inviteId,
              .time = k->inviteExpires});
    }
    addMember(identity, k->connection);
    if (m_returning.erase(identity) > 0)
        note({.kind = Kind::Returning, .identity = identity, .on = false});
    return k;
}

void HubMeeting::sendToLobby(const QByteArray& identity)
{
    setCoChair(identity, false);
    m_away.erase(identity);
    if (m_members.erase(identity) > 0) {
        m_returning.insert(identity);
        note({.kind = Kind::Member, .identity = identity, .on = false});
        note({.kind = Kind::Returning, .identity = identity});
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
    bool forgot = false;
    for (auto it = m_spentInvites.begin(); it != m_spentInvites.end();) {
        const bool expired = now >= it->second.expires;
        forgot = forgot || expired;
        it = expired ? m_spentInvites.erase(it) : std::next(it);
    }
    if (forgot)
        note({.kind = Kind::InvitesExpired, .time = now});
}

void HubMeeting::ban(const QByteArray& identity)
{
    m_banned[identity] = true;
    note({.kind = Kind::Banned, .identity = identity});
    if (m_returning.erase(identity) > 0)
        note({.kind = Kind::Returning, .identity = identity, .on = false});
}

bool HubMeeting::recordDenial(const QByteArray& identity)
{
    const int denials = ++m_denials[identity];
    if (denials < 2) {
        note({.kind = Kind::Denied, .identity = identity, .count = denials});
        return false;
    }
    m_denials.erase(identity); // the ban says it from now on
    note({.kind = Kind::Denied, .identity = identity, .count = 0});
    ban(identity);
    return true;
}

void HubMeeting::apply(const meeting::ControlBody& control)
{
    if (m_room.apply(control) && !m_room.ended()) // an ended meeting is closed, not saved
        noteRoom();
}

Result<void> HubMeeting::acceptSequence(const protocol::Envelope& envelope)
{
    const QByteArray sender = keyBytes(envelope.sender);
    if (const auto floor = m_floors.find(sender); floor != m_floors.end()) {
        const uint64_t saved = floor->second[size_t(protocol::sequenceStreamOf(envelope.type))];
        if (envelope.seq <= saved)
            return makeError("protocol.replay",
                             "message " + std::to_string(envelope.seq) + " from " +
                                 crypto::publicKeyId(envelope.sender.view()) +
                                 " is a replay or out of order (the hub had accepted up to " +
                                 std::to_string(saved) + " before it restarted); it was dropped");
    }
    if (auto accepted = m_sequence.accept(envelope); !accepted)
        return accepted;
    if (m_journal)
        m_sequenceNoted.insert(sender);
    return {};
}

void HubMeeting::noteSequences()
{
    for (const QByteArray& sender : m_sequenceNoted) {
        if (!isMember(sender))
            continue; // knockers are remembered in memory only, as they are capped there
        auto key = crypto::Ed25519PublicKey::fromBytes(crypto::ByteView(
            reinterpret_cast<const uint8_t*>(sender.constData()), size_t(sender.size())));
        HubChange change{.kind = Kind::Sequence, .identity = sender};
        for (const auto stream :
             {protocol::SequenceStream::Everyone, protocol::SequenceStream::Directed}) {
            const auto floor = m_floors.find(sender);
            const uint64_t saved = floor == m_floors.end() ? 0 : floor->second[size_t(stream)];
            change.seq[size_t(stream)] =
                std::max(saved, m_sequence.lastSeen(m_descriptor.meetingId, *key, stream));
        }
        note(std::move(change));
    }
    m_sequenceNoted.clear();
}

} // namespace conclave::hub
