// SPDX-License-Identifier: GPL-3.0-or-later
// The participant's media view (MediaView): what it may send, the keys of the current epoch,
// and the signed `signal` messages that set up its peer connections.
#include "meeting/MessageBodies.h"
#include "meeting/ParticipantSession.h"
#include "meeting/SealedSignal.h"
#include "meeting/SessionSupport.h"

namespace conclave::meeting {

using namespace support;
using protocol::MessageType;

Result<MeetingEvents> ParticipantSession::setMuted(bool muted)
{
    if (m_state != State::Member)
        return makeError("meeting.not_member", "you are not in the meeting yet");
    if (!muted && m_room.suspended())
        return makeError("meeting.suspended", "the chair has suspended the meeting");
    m_own.muted = muted;
    return MeetingEvents{muted ? MeetingEvent{ev::AudioOff{}} : MeetingEvent{ev::AudioOn{}}};
}

Result<MeetingEvents> ParticipantSession::setVideo(bool on)
{
    if (m_state != State::Member)
        return makeError("meeting.not_member", "you are not in the meeting yet");
    if (on && m_room.suspended())
        return makeError("meeting.suspended", "the chair has suspended the meeting");
    m_own.videoOff = !on;
    return MeetingEvents{on ? MeetingEvent{ev::VideoOn{}} : MeetingEvent{ev::VideoOff{}}};
}

Result<MeetingEvents> ParticipantSession::setSharing(bool on)
{
    if (m_state != State::Member)
        return makeError("meeting.not_member", "you are not in the meeting yet");
    if (on && !shareAllowed() && !(m_descriptor && m_descriptor->options.shareByAll))
        return makeError("meeting.share_not_allowed",
                         "the chair has not allowed you to share your screen; ask the chair");
    if (on && m_room.suspended())
        return makeError("meeting.suspended", "the chair has suspended the meeting");
    m_own.sharing = on;
    return MeetingEvents{on ? MeetingEvent{ev::Sharing{}} : MeetingEvent{ev::SharingStopped{}}};
}

bool ParticipantSession::shareAllowed() const
{
    return m_room.mayShare(keyBytes(m_identity.publicKey()));
}

std::optional<MediaState> ParticipantSession::mediaState() const
{
    if (m_state != State::Member || m_keys->state() != crypto::MemberKeySchedule::State::Member)
        return std::nullopt;
    MediaState s;
    s.epoch = m_keys->currentEpoch();
    s.ownIndex = *m_keys->ownIndex();
    s.suite = m_keys->suite();
    s.roster = m_keys->roster();
    s.holding = m_acks.holding(s.epoch, s.roster);
    s.sharers = m_room.screenSharers(s.roster, m_descriptor && m_descriptor->options.shareByAll);
    const crypto::RosterEntry* own = s.roster.find(s.ownIndex);
    const bool observer = own && own->role == crypto::MemberRole::Observer;
    s.audio = !observer && !m_own.muted && !m_room.suspended();
    s.video = !observer && !m_own.videoOff && !m_room.suspended();
    s.screen = !observer && m_own.sharing && s.sharers.count(s.ownIndex) && !m_room.suspended();
    return s;
}

Result<crypto::MediaKey> ParticipantSession::mediaKey(uint32_t senderIndex,
                                                      crypto::MediaContext context) const
{
    return m_keys->mediaKey(senderIndex, context);
}

Result<void> ParticipantSession::postSignal(uint32_t to, const QByteArray& payload)
{
    if (m_state != State::Member)
        return makeError("meeting.not_member", "media set-up needs membership");
    const crypto::RosterEntry* peer = m_keys->roster().find(to);
    if (!peer || payload.size() > SignalBody::kMaxPayload)
        return makeError("media.bad_peer", "no member with that index, or the message is too big");
    auto key = m_keys->chatKey();
    if (!key)
        return key.error();
    m_outbox.post(MessageType::Signal,
                  SealedSignal::seal(*key, m_target.meetingId, m_keys->currentEpoch(),
                                     m_identity.publicKey(), peer->identity, payload)
                      .encode());
    return {};
}

MeetingEvents ParticipantSession::onAck(const protocol::Envelope& envelope)
{
    // Kept even for an epoch (or from a newcomer) we do not know yet: the sender may simply
    // be faster than us. It counts only for members of the roster it is checked against.
    if (auto body = EpochBody::decode(envelope.body); body && m_state == State::Member)
        m_acks.recordFrom(body->epoch, keyBytes(envelope.sender),
                          m_keys ? m_keys->currentEpoch() : 0);
    return {};
}

std::vector<IncomingSignal> ParticipantSession::takeSignals()
{
    return std::exchange(m_signals, {});
}

MeetingEvents ParticipantSession::onSignal(const protocol::Envelope& envelope, TimePoint arrived)
{
    const crypto::RosterEntry* from =
        m_state == State::Member ? m_keys->roster().findIdentity(envelope.sender) : nullptr;
    auto payload = SealedSignal::receive(m_chatKeys, m_clock.now(), m_target.meetingId, envelope,
                                         from != nullptr, m_identity.publicKey());
    if (!payload) {
        const uint64_t current = m_state == State::Member ? m_keys->currentEpoch() : 0;
        if (const auto body = SignalBody::decode(envelope.body);
            body &&
            m_earlySignals.keepIfEarly(envelope, body->epoch, current, arrived, m_clock.now()))
            return {}; // tried again with the next epoch this device takes in
        return {warning(payload.error().code, payload.error().message)};
    }
    m_signals.push_back({from->index, *payload});
    return {};
}

MeetingEvents ParticipantSession::retryEarlySignals()
{
    MeetingEvents events;
    for (const EarlySignals::Waiting& w : m_earlySignals.takeAll()) {
        if (m_clock.now() - w.arrived > EarlySignals::kPatience) {
            events.push_back(warning("media.signal_dropped",
                                     "a media set-up message waited too long for the key change "
                                     "it was sealed in; dropped"));
            continue;
        }
        const MeetingEvents more = onSignal(w.envelope, w.arrived);
        events.insert(events.end(), more.begin(), more.end());
    }
    return events;
}

} // namespace conclave::meeting
