// SPDX-License-Identifier: GPL-3.0-or-later
// The chair's media view (MediaView): what it may send, who may share, the keys of the
// current epoch, and the signed `signal` messages that set up its peer connections.
#include "meeting/ChairSession.h"

#include "meeting/MessageBodies.h"
#include "meeting/SealedSignal.h"
#include "meeting/SessionSupport.h"

namespace conclave::meeting {

using namespace support;
using protocol::MessageType;

Result<MeetingEvents> ChairSession::setMuted(bool muted)
{
    if (!muted && m_room.suspended())
        return Error{"meeting.suspended", "resume the meeting first"};
    m_own.muted = muted;
    return MeetingEvents{muted ? MeetingEvent{ev::AudioOff{}} : MeetingEvent{ev::AudioOn{}}};
}

Result<MeetingEvents> ChairSession::setVideo(bool on)
{
    if (on && m_room.suspended())
        return Error{"meeting.suspended", "resume the meeting first"};
    m_own.videoOff = !on;
    return MeetingEvents{on ? MeetingEvent{ev::VideoOn{}} : MeetingEvent{ev::VideoOff{}}};
}

Result<MeetingEvents> ChairSession::setSharing(bool on)
{
    if (on && m_room.suspended())
        return Error{"meeting.suspended", "resume the meeting first"};
    if (on && !m_policy.rulesFor(m_marking).screenShare)
        return Error{"policy.share_not_allowed",
                     "screen sharing is not allowed in " + m_marking.canonical + " meetings by " +
                         m_policy.describe(),
                     ErrorCategory::PolicyRefusal};
    m_own.sharing = on;
    return MeetingEvents{on ? MeetingEvent{ev::Sharing{}} : MeetingEvent{ev::SharingStopped{}}};
}

std::optional<MediaState> ChairSession::mediaState() const
{
    if (m_room.ended())
        return std::nullopt;
    MediaState s;
    s.epoch = m_keys.currentEpoch();
    s.ownIndex = m_keys.chairIndex();
    s.suite = m_keys.suite();
    s.roster = m_keys.roster();
    s.holding = m_acks.holding(s.epoch, s.roster);
    s.holding.insert(s.ownIndex); // the chair made it
    s.sharers = m_room.screenSharers(s.roster, m_descriptor.options.shareByAll);
    s.audio = !m_own.muted && !m_room.suspended();
    s.video = !m_own.videoOff && !m_room.suspended();
    s.screen = m_own.sharing && !m_room.suspended();
    return s;
}

Result<crypto::MediaKey> ChairSession::mediaKey(uint32_t senderIndex,
                                                crypto::MediaContext context) const
{
    return m_keys.mediaKey(senderIndex, context);
}

Result<void> ChairSession::postSignal(uint32_t to, const QByteArray& payload)
{
    const crypto::RosterEntry* peer = m_keys.roster().find(to);
    if (!peer || payload.size() > SignalBody::kMaxPayload)
        return Error{"media.bad_peer", "no member with that index, or the message is too big"};
    auto key = m_keys.chatKey();
    if (!key)
        return key.error();
    m_outbox.post(MessageType::Signal,
                  SealedSignal::seal(*key, m_descriptor.meetingId, m_keys.currentEpoch(),
                                     m_identity.publicKey(), peer->identity, payload)
                      .encode());
    return {};
}

MeetingEvents ChairSession::onAck(const protocol::Envelope& envelope)
{
    if (auto body = EpochBody::decode(envelope.body))
        m_acks.recordFrom(body->epoch, keyBytes(envelope.sender), m_keys.currentEpoch());
    return {};
}

std::vector<IncomingSignal> ChairSession::takeSignals()
{
    return std::exchange(m_signals, {});
}

MeetingEvents ChairSession::onSignal(const protocol::Envelope& envelope)
{
    const crypto::RosterEntry* from = m_keys.roster().findIdentity(envelope.sender);
    auto payload = SealedSignal::receive(m_chatKeys, m_clock.now(), m_descriptor.meetingId,
                                         envelope, from != nullptr, m_identity.publicKey());
    if (!payload)
        return {ev::Warning{qs(payload.error().code), qs(payload.error().message)}};
    m_signals.push_back({from->index, *payload});
    return {};
}

} // namespace conclave::meeting
