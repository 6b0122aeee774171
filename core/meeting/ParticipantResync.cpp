// SPDX-License-Identifier: GPL-3.0-or-later
// A member catching up after missing messages (docs/protocol.md §6, "Resume"): its `resume`
// on a new connection, its ask when heartbeats show it behind, and the chair's `resync`.
#include "meeting/ParticipantSession.h"
#include "meeting/SessionSupport.h"

#include <set>

namespace conclave::meeting {

using namespace support;
using protocol::MessageType;

void ParticipantSession::resume(const QString& connectedPin)
{
    if (m_state != State::Member)
        return;
    m_connectedPin = connectedPin;
    m_resumeAsked = m_clock.now();
    m_outbox.post(MessageType::Resume, EpochBody{m_keys->currentEpoch()}.encode());
}

MeetingEvents ParticipantSession::onHeartbeat(const QByteArray& body)
{
    auto heartbeat = EpochBody::decode(body);
    if (!heartbeat || m_state != State::Member || heartbeat->epoch <= m_keys->currentEpoch()) {
        m_behindSince.reset();
        return {};
    }
    const TimePoint now = m_clock.now();
    if (!m_behindSince)
        m_behindSince = now; // its COMMIT may still be on the way
    if (now - *m_behindSince < kBehindPatience || now - m_resumeAsked < kBehindPatience)
        return {};
    m_resumeAsked = now;
    m_outbox.post(MessageType::Resume, EpochBody{m_keys->currentEpoch()}.encode());
    return {warning("keys.behind", "the chair is at epoch " + std::to_string(heartbeat->epoch) +
                                       " and this device still holds " +
                                       std::to_string(m_keys->currentEpoch()) +
                                       ": a key change never arrived; asked the chair for the "
                                       "current key")};
}

MeetingEvents ParticipantSession::onResync(const QByteArray& bytes)
{
    auto body = ResyncBody::decode(bytes);
    if (!body)
        return {warning(body.error().code, body.error().message)};
    if (!(body->to == m_identity.publicKey()) || m_state != State::Member)
        return {warning("resync.not_for_us", "a resync for another member (or for a device not "
                                             "in the meeting) arrived here; ignored")};
    // The description first: the epoch is bound to it. A newer revision goes through the same
    // checks as one sent on its own (the policy may refuse it).
    MeetingEvents events = onDescriptorRevision(body->descriptor);
    if (m_state != State::Member)
        return events;
    const uint64_t before = m_keys->currentEpoch();
    auto change = m_keys->resync(view(body->resync));
    if (!change) {
        events.push_back(warning(change.error().code,
                                 "the chair's resync was refused: " + change.error().message));
        return events;
    }
    m_behindSince.reset();
    if (change->epoch != before) {
        if (auto key = m_keys->chatKey())
            m_chatKeys.install(change->epoch, std::move(key).value(), m_clock.now());
        m_outbox.post(MessageType::Ack, EpochBody{change->epoch}.encode());
        m_acks.record(change->epoch, keyBytes(m_identity.publicKey()));
        m_acks.record(change->epoch, keyBytes(m_chair));
        const MeetingEvents keys = rosterAndEpochEvents(change->epoch, change->ownIndex);
        events.insert(events.end(), keys.begin(), keys.end());
    }
    const MeetingEvents room = takeRoom(*body);
    events.insert(events.end(), room.begin(), room.end());
    events.push_back(
        ev::Resynced{ownName(), fingerprint(m_identity.publicKey()), true, before, change->epoch});
    const MeetingEvents retried = retryEarlySignals();
    events.insert(events.end(), retried.begin(), retried.end());
    return events;
}

MeetingEvents ParticipantSession::takeRoom(const ResyncBody& body)
{
    // Each difference is a control the chair sent and this member missed, applied in turn, so
    // what it means (for the room and for this member's own media) is RoomState's one answer.
    MeetingEvents events;
    const auto missed = [&](ControlAction action, std::optional<crypto::Ed25519PublicKey> target) {
        const MeetingEvents one = onControl(ControlBody{action, target}.encode());
        events.insert(events.end(), one.begin(), one.end());
    };
    if (body.suspended != m_room.suspended()) // first: a suspension also locks and stops chat
        missed(body.suspended ? ControlAction::Suspend : ControlAction::Resume, std::nullopt);
    if (body.locked != m_room.locked())
        missed(body.locked ? ControlAction::Lock : ControlAction::Unlock, std::nullopt);
    if (body.chat != m_room.chat())
        missed(body.chat ? ControlAction::AllowChat : ControlAction::DisableChat, std::nullopt);
    std::set<QByteArray> granted;
    for (const auto& key : body.sharers)
        granted.insert(keyBytes(key));
    const std::set<QByteArray> held = m_room.shareGrants();
    for (const QByteArray& id : granted)
        if (!held.count(id))
            missed(ControlAction::AllowShare, keyFrom(id));
    for (const QByteArray& id : held)
        if (!granted.count(id))
            missed(ControlAction::RevokeShare, keyFrom(id));
    return events;
}

} // namespace conclave::meeting
