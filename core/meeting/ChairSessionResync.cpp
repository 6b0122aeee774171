// SPDX-License-Identifier: GPL-3.0-or-later
// The chair catching up a member that missed messages (docs/protocol.md §6, "Resume"): on its
// `resume`, or when it has not acknowledged an epoch a few seconds after it began.
#include "meeting/ChairSession.h"

#include "meeting/MessageBodies.h"
#include "meeting/SessionSupport.h"

namespace conclave::meeting {

using namespace support;

namespace {

/// A member holding the epoch acknowledges it within a round trip; one that has not after this
/// long lost the COMMIT (or its connection) and is sent the epoch again.
constexpr std::chrono::seconds kAckPatience{5};

} // namespace

MeetingEvents ChairSession::onResume(const protocol::Envelope& envelope)
{
    auto body = EpochBody::decode(envelope.body);
    if (!body)
        return {ev::Warning{QString::fromStdString(body.error().code),
                            QString::fromStdString(body.error().message)}};
    const crypto::RosterEntry* member = m_keys.roster().findIdentity(envelope.sender);
    if (!member || member->index == m_keys.chairIndex())
        return {}; // rekeyed out already (it left, or was removed): nothing is owed to it
    return resync(*member, body->epoch);
}

MeetingEvents ChairSession::resync(const crypto::RosterEntry& member, uint64_t theirEpoch)
{
    auto signedResync = m_keys.resync(member.index);
    if (!signedResync)
        return {ev::Warning{QString::fromStdString(signedResync.error().code),
                            QString::fromStdString(signedResync.error().message)}};
    ResyncBody body;
    body.to = member.identity;
    body.resync = toQByteArray(signedResync->encode());
    body.descriptor = signedDescriptor();
    body.locked = m_room.locked();
    body.suspended = m_room.suspended();
    body.chat = m_room.chat();
    for (const QByteArray& granted : m_room.shareGrants())
        body.sharers.push_back(keyFrom(granted));
    m_outbox.post(protocol::MessageType::Resync, body.encode());
    m_resyncedTo[keyBytes(member.identity)] = m_keys.currentEpoch();
    tellNewcomersTheStanding(); // the co-chair grants in force; repeats change nothing
    return {ev::Resynced{qs(member.name), fingerprint(member.identity), false, theirEpoch,
                         m_keys.currentEpoch()}};
}

MeetingEvents ChairSession::resyncEveryone()
{
    MeetingEvents events;
    for (const crypto::RosterEntry& member : m_keys.roster().entries()) {
        if (member.index == m_keys.chairIndex())
            continue;
        const MeetingEvents one = resync(member, m_acks.latestAck(keyBytes(member.identity)));
        events.insert(events.end(), one.begin(), one.end());
    }
    return events;
}

MeetingEvents ChairSession::resyncLaggards()
{
    const uint64_t epoch = m_keys.currentEpoch();
    if (epoch == 0 || m_clock.now() - m_lastEpochChange < kAckPatience)
        return {};
    MeetingEvents events;
    for (const crypto::RosterEntry& member : m_keys.roster().entries()) {
        if (member.index == m_keys.chairIndex())
            continue;
        const QByteArray id = keyBytes(member.identity);
        if (m_acks.hasAck(epoch, id))
            continue;
        const auto sent = m_resyncedTo.find(id);
        if (sent != m_resyncedTo.end() && sent->second >= epoch)
            continue;
        const MeetingEvents resent = resync(member, m_acks.latestAck(id));
        events.insert(events.end(), resent.begin(), resent.end());
    }
    return events;
}

} // namespace conclave::meeting
