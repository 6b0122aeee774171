// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/ParticipantSession.h"

#include "classification/MarkingParser.h"
#include "crypto/EphemeralAnnouncement.h"
#include "crypto/SecurityCode.h"
#include "meeting/ChatMessage.h"
#include "meeting/InviteToken.h"
#include "meeting/MeetingLink.h"
#include "meeting/MessageBodies.h"
#include "meeting/SessionSupport.h"
#include "policy/ApprovalEngine.h"

#include <QJsonArray>

namespace conclave::meeting {

using namespace support;
using protocol::MessageType;

Result<JoinTarget> JoinTarget::fromLink(const QString& link, TimePoint now)
{
    const QString trimmed = link.trimmed();
    JoinTarget t;
    if (trimmed.startsWith(QLatin1String("conclave:meeting:"))) {
        auto parsed = MeetingLink::fromLink(trimmed);
        if (!parsed)
            return parsed.error();
        if (now >= parsed->first.expires)
            return makeError("link.expired",
                             "this meeting link has expired; ask the chair for a new one");
        t.meetingId = parsed->first.meetingId;
        t.hubUrl = parsed->first.hubUrl;
        t.hubPin = parsed->first.hubPin;
        t.chair = parsed->second;
        return t;
    }
    auto parts = InviteToken::parseLink(trimmed);
    if (!parts)
        return parts.error();
    auto invite = InviteToken::fromSigned(parts->signedInvite);
    if (!invite)
        return invite.error();
    auto redeem = crypto::Ed25519SigningKey::fromSeed(parts->secret.view());
    if (!redeem || !(redeem->publicKey() == invite->first.redeemKey))
        return makeError("invite.incomplete",
                         "the invite link's secret part does not belong to this invite; copy the "
                         "whole link the chair sent again");
    if (auto usable = invite->first.checkUsable(invite->first.meetingId, now); !usable)
        return usable.error();
    t.meetingId = invite->first.meetingId;
    t.hubUrl = invite->first.hubUrl;
    t.hubPin = invite->first.hubPin;
    t.chair = invite->second;
    t.signedInvite = parts->signedInvite;
    t.inviteId = invite->first.inviteId;
    t.inviteName = invite->first.name;
    t.redeemKey = std::make_shared<const crypto::Ed25519SigningKey>(std::move(redeem).value());
    return t;
}

ParticipantSession::ParticipantSession(const crypto::Ed25519SigningKey& identity,
                                       const policy::PolicyDocument& policy, const Clock& clock,
                                       JoinTarget target, QString name)
    : m_identity(identity), m_policy(policy), m_clock(clock), m_target(std::move(target)),
      m_name(std::move(name)), m_ephemeral(crypto::EphemeralKeyPair::generate()),
      m_keys(std::in_place, identity.publicKey(), copyOf(m_ephemeral),
             meetingIdOf(m_target.meetingId), m_target.chair),
      m_outbox(identity, m_target.meetingId, clock.now()),
      m_guard(m_target.meetingId, m_target.chair), m_chair(m_target.chair),
      m_lastChairMessage(clock.now())
{
}

MeetingEvent ParticipantSession::warning(const std::string& code, const std::string& reason) const
{
    return ev::Warning{qs(code), qs(reason)};
}

QString ParticipantSession::ownName() const
{
    if (const auto* own = m_keys->roster().findIdentity(m_identity.publicKey()))
        return qs(own->name);
    return m_target.inviteName.isEmpty() ? m_name : m_target.inviteName;
}

MeetingEvents ParticipantSession::refuse(const Error& why)
{
    m_state = State::Refused;
    m_endReason = why;
    m_outbox.post(MessageType::Leave, EpochBody{m_keys->currentEpoch()}.encode());
    return {ev::Refused{qs(why.code), qs(why.message)}};
}

void ParticipantSession::knock(const QString& connectedPin)
{
    m_connectedPin = connectedPin;
    const auto announcement = crypto::EphemeralAnnouncement::create(
        m_identity, meetingIdOf(m_target.meetingId), m_ephemeral.publicKey());
    const QString name = m_target.inviteName.isEmpty() ? m_name : m_target.inviteName;
    const QByteArray encoded = toQByteArray(announcement.encode());
    const QByteArray proof =
        m_target.redeemKey ? InviteToken::prove(*m_target.redeemKey, m_target.inviteId, encoded)
                           : QByteArray();
    m_outbox.post(MessageType::Knock,
                  KnockBody{m_target.signedInvite, name, encoded, proof}.encode());
}

Result<classification::Marking>
ParticipantSession::checkDescriptor(const MeetingDescriptor& d) const
{
    if (d.meetingId != m_target.meetingId)
        return makeError("meeting.wrong_meeting",
                         "the hub sent the description of a different meeting",
                         ErrorCategory::ConnectionOrIdentity);
    if (!(d.chair == m_target.chair))
        return makeError(
            "meeting.wrong_chair",
            "the meeting is run by a different chair key than the invite names; someone "
            "may be impersonating the chair",
            ErrorCategory::ConnectionOrIdentity);
    if (d.hubPin != m_target.hubPin)
        return makeError("meeting.wrong_hub",
                         "the meeting names a different hub key than the invite",
                         ErrorCategory::ConnectionOrIdentity);
    if (d.schemeId.toStdString() != m_policy.scheme.id)
        return makeError("policy.scheme_mismatch",
                         "the meeting is marked under scheme '" + d.schemeId.toStdString() +
                             "', but this computer's policy uses '" + m_policy.scheme.id + "'",
                         ErrorCategory::PolicyRefusal);
    auto marking = classification::MarkingParser(m_policy.scheme).parse(d.marking.toStdString());
    if (!marking)
        return makeError("meeting.bad_marking",
                         "the meeting's marking '" + d.marking.toStdString() +
                             "' is not valid: " + marking.error().message,
                         ErrorCategory::PolicyRefusal);
    const auto decision = policy::ApprovalEngine(m_policy).decideJoin(
        {d.backendId.toStdString(), marking->marking, m_connectedPin.toStdString(),
         m_target.hubPin.toStdString(), base64Key(d.chair).toStdString(),
         isLoopbackUrl(m_target.hubUrl)});
    if (!decision.allowed)
        return decision.refusal();
    return marking->marking;
}

MeetingEvents ParticipantSession::onLobby(const QByteArray& signedDescriptor,
                                          const QByteArray& succession)
{
    if (m_state != State::Knocking)
        return {};
    auto descriptor = MeetingDescriptor::fromSigned(signedDescriptor);
    if (!descriptor)
        // Not the chair's signed description: the hub or someone on the way is not who the
        // link promised, whatever the decoder called it.
        return refuse(descriptor.error().withCategory(ErrorCategory::ConnectionOrIdentity));
    auto marking = checkDescriptor(*descriptor);
    if (!marking)
        return refuse(marking.error());
    MeetingEvents events;
    if (!succession.isEmpty()) {
        auto successor = acceptSuccession(succession);
        if (!successor)
            return refuse({successor.error().code,
                           "the hub says a co-chair now chairs this meeting, but: " +
                               successor.error().message,
                           ErrorCategory::ConnectionOrIdentity});
        // Only the successor's messages count from now on; if the hub lied about the
        // succession, the worst is that nobody admits us - which it could do anyway.
        m_chair = *successor;
        m_guard.setChair(*successor);
        // The name the original chair signed into the delegation: a knocker has no roster.
        const auto grant = verifiedGrant(succession);
        events.push_back(
            ev::ChairChanged{grant ? grant->name : QString(), fingerprint(*successor)});
    }
    m_descriptor = *descriptor;
    m_signedDescriptor = signedDescriptor;
    m_keys->setDescriptorHash(descriptorHashOf(signedDescriptor));
    m_marking = *marking;
    m_room = RoomState(descriptor->options.chat);
    m_state = State::Waiting;
    crypto::X25519PublicKey chairEph;
    std::copy(descriptor->chairEphemeral.begin(), descriptor->chairEphemeral.end(),
              chairEph.bytes.begin());
    const std::string code = crypto::security_code::meetingCode(meetingIdOf(m_target.meetingId),
                                                                m_target.chair, chairEph);
    events.insert(events.begin(),
                  ev::Lobby{descriptor->title, QString::fromStdString(marking->canonical),
                            descriptor->backendId, fingerprint(m_target.chair),
                            // After a takeover the code comes with the new chair's first key
                            // change.
                            succession.isEmpty() ? qs(code) : QString()});
    return events;
}

bool ParticipantSession::admitsOrTurnsUsAway(const protocol::Envelope& envelope)
{
    if (envelope.type == MessageType::Takeover || envelope.type == MessageType::Knock)
        return true; // judged on their own (a takeover's delegation; knocks only for co-chairs)
    if (envelope.type != MessageType::Admit && envelope.type != MessageType::Deny &&
        envelope.type != MessageType::Remove)
        return false;
    auto target = TargetBody::decode(envelope.body);
    const bool forUs = target && target->target == m_identity.publicKey();
    if (forUs && envelope.type == MessageType::Admit)
        m_admitSeen = true;
    return forUs;
}

MeetingEvents ParticipantSession::onAdmitted()
{
    // Only a hint: membership is real once a chair-signed COMMIT names us.
    return {};
}

MeetingEvents ParticipantSession::onDenied(const QString& reason)
{
    m_state = State::Denied;
    m_endReason = Error{"meeting.denied", "the chair did not admit you: " + reason.toStdString(),
                        ErrorCategory::DeniedOrRemoved};
    return {ev::Denied{ownName(), fingerprint(m_identity.publicKey()), reason, true}};
}

MeetingEvents ParticipantSession::onRemoved(const QString& reason)
{
    m_state = State::Removed;
    m_endReason =
        Error{"meeting.removed", "the chair removed you from the meeting: " + reason.toStdString(),
              ErrorCategory::DeniedOrRemoved};
    return {ev::Removed{ownName(), fingerprint(m_identity.publicKey()), reason, true}};
}

MeetingEvents ParticipantSession::onEnded()
{
    m_state = State::Ended;
    return {ev::Ended{}};
}

MeetingEvents ParticipantSession::onRefused(const Error& why)
{
    m_state = State::Refused;
    m_endReason = why;
    return {ev::Refused{qs(why.code), qs(why.message)}};
}

MeetingEvents ParticipantSession::onRefused(const QString& code, const QString& reason)
{
    return onRefused(Error{code.toStdString(), reason.toStdString()});
}

MeetingEvents ParticipantSession::onEnvelope(const protocol::Envelope& envelope)
{
    if (envelope.sender == m_identity.publicKey())
        return {};
    const auto verdict = m_guard.check(envelope);
    if (verdict.refusal)
        return {warning(verdict.refusal->code, verdict.refusal->message)};
    MeetingEvents events;
    if (verdict.chairMessagesLost)
        events.push_back(warning("chair_messages_missing",
                                 std::to_string(*verdict.chairMessagesLost) +
                                     " message(s) from the chair never arrived: the hub or the "
                                     "network is dropping them"));
    if (envelope.sender == m_chair) {
        m_lastChairMessage = m_clock.now();
        m_chairSilent = false;
    }
    // Until the chair's own admit names us, nothing the chair said earlier is for us: a hub
    // replaying old chair messages to a newcomer (an old marking, old permissions) gains nothing.
    if ((m_state == State::Knocking || m_state == State::Waiting) && !m_admitSeen &&
        !admitsOrTurnsUsAway(envelope))
        return {warning("envelope.before_admission",
                        "a message the chair sent before this device was admitted was replayed "
                        "to it; ignored")};
    MeetingEvents more;
    switch (envelope.type) {
    case MessageType::Commit: {
        auto body = BlobBody::decode(envelope.body);
        more = body ? onCommit(body->blob)
                    : MeetingEvents{warning(body.error().code, body.error().message)};
        break;
    }
    case MessageType::Descriptor: {
        auto body = BlobBody::decode(envelope.body);
        more = body ? onDescriptorRevision(body->blob)
                    : MeetingEvents{warning(body.error().code, body.error().message)};
        break;
    }
    case MessageType::Control:
        more = onControl(envelope.body);
        break;
    case MessageType::Delegate: {
        auto body = BlobBody::decode(envelope.body);
        more = body ? onDelegate(body->blob)
                    : MeetingEvents{warning(body.error().code, body.error().message)};
        break;
    }
    case MessageType::Takeover:
        more = onTakeover(envelope);
        break;
    case MessageType::Knock:
        more = onKnock(envelope);
        break;
    case MessageType::Signal:
        more = onSignal(envelope, m_clock.now());
        break;
    case MessageType::Ack:
        more = onAck(envelope);
        break;
    case MessageType::Chat:
        more = onChat(envelope);
        break;
    case MessageType::Remove:
    case MessageType::Admit:
    case MessageType::Deny:
    case MessageType::AskUnmute:
        more = onTarget(envelope.type, envelope.body);
        break;
    case MessageType::Resync:
        more = onResync(envelope.body);
        break;
    case MessageType::Heartbeat:
        more = onHeartbeat(envelope.body);
        break;
    default:
        break; // acks and signalling are for the media layer
    }
    events.insert(events.end(), more.begin(), more.end());
    return events;
}

MeetingEvents ParticipantSession::onCommit(const QByteArray& blob)
{
    auto change = m_keys->process(view(blob));
    if (!change) {
        if (change.error().code == "commit.removed") {
            m_state = State::Removed;
            m_endReason = Error{"meeting.removed", "the chair removed you from the meeting",
                                ErrorCategory::DeniedOrRemoved};
            return {ev::Removed{ownName(), fingerprint(m_identity.publicKey()),
                                QStringLiteral("not in the new roster"), true}};
        }
        // A forged, replayed or forked COMMIT: keep the keys we have and say so loudly.
        return {
            warning(change.error().code, "a key change was refused: " + change.error().message)};
    }
    if (m_state == State::Waiting || m_state == State::Knocking)
        m_state = State::Member;
    if (auto key = m_keys->chatKey())
        m_chatKeys.install(change->epoch, std::move(key).value(), m_clock.now());
    // Tell everyone we hold the epoch: they move their own streams to its keys once all do.
    m_outbox.post(MessageType::Ack, EpochBody{change->epoch}.encode());
    m_acks.record(change->epoch, keyBytes(m_identity.publicKey()));
    m_acks.record(change->epoch, keyBytes(m_chair)); // it made the epoch
    MeetingEvents events = rosterAndEpochEvents(change->epoch, change->ownIndex);
    const MeetingEvents retried = retryEarlySignals(); // some may be of this epoch
    events.insert(events.end(), retried.begin(), retried.end());
    return events;
}

MeetingEvents ParticipantSession::rosterAndEpochEvents(uint64_t epoch, uint32_t ownIndex) const
{
    ev::Roster roster;
    for (const auto& e : m_keys->roster().entries())
        roster.members.push_back({e.index, qs(e.name), e.role, fingerprint(e.identity)});
    const auto epochCode = m_keys->epochCode();
    const auto meetingCode = m_keys->meetingCode();
    return {std::move(roster), ev::Epoch{epoch, epochCode ? qs(*epochCode) : QString(),
                                         meetingCode ? qs(*meetingCode) : QString(),
                                         uint64_t(m_keys->roster().size()), ownIndex}};
}

MeetingEvents ParticipantSession::onDescriptorRevision(const QByteArray& blob)
{
    if (blob == m_signedDescriptor)
        return {}; // the chair repeats the description in force for a newcomer
    auto descriptor = MeetingDescriptor::fromSigned(blob);
    if (!descriptor)
        return {warning(descriptor.error().code, descriptor.error().message)};
    if (m_descriptor && descriptor->revision <= m_descriptor->revision)
        return {warning("meeting.old_descriptor", "an old revision of the meeting description was "
                                                  "replayed; it was ignored")};
    auto marking = checkDescriptor(*descriptor);
    if (!marking) // e.g. raised above what this backend may carry: leave rather than stay
        return refuse(marking.error());
    const QString from = m_descriptor ? m_descriptor->marking : QString();
    m_descriptor = *descriptor;
    m_signedDescriptor = blob;
    m_keys->setDescriptorHash(descriptorHashOf(blob));
    m_marking = *marking;
    m_room.takeRevision(descriptor->options); // the new grade's rules apply
    return {ev::MarkingChanged{
        from, QString::fromStdString(marking->canonical), descriptor->revision, std::nullopt,
        descriptor->options.invitesRequired, descriptor->options.openKnocking, m_room.chat()}};
}

MeetingEvents ParticipantSession::onControl(const QByteArray& body)
{
    auto control = ControlBody::decode(body);
    if (!control)
        return {warning(control.error().code, control.error().message)};
    const bool forMe = !control->target || *control->target == m_identity.publicKey();
    // What the control means is RoomState's to say; here only what this member shows of it.
    const bool changed = m_room.apply(*control, keyBytes(m_identity.publicKey()), false, m_own);
    if (control->action == ControlAction::ToLobby) {
        if (forMe && m_state == State::Member)
            return backToLobby();
        return {}; // someone else moved out: the chair's rekey COMMIT follows
    }
    if (m_room.ended())
        m_state = State::Ended;
    // Who may share and whether chat is off are repeated for every newcomer: a member that
    // already holds that standing takes the repeat as no change.
    const bool standing = control->action == ControlAction::AllowShare ||
                          control->action == ControlAction::RevokeShare ||
                          control->action == ControlAction::AllowChat ||
                          control->action == ControlAction::DisableChat;
    if (!forMe || (standing && !changed))
        return {};
    return {ev::Control{control->action}};
}

MeetingEvents ParticipantSession::backToLobby()
{
    resetJoin();
    knock(m_connectedPin);
    return {ev::SentToLobby{ownName(), fingerprint(m_identity.publicKey()), {}, true}};
}

MeetingEvents ParticipantSession::startOver(const Error& why)
{
    if (m_state != State::Member && m_state != State::Waiting && m_state != State::Knocking)
        return {};
    resetJoin();
    return {warning(why.code, why.message + "; knocking again with the same invite once the "
                                            "connection is back")};
}

void ParticipantSession::resetJoin()
{
    // Out of the room: forget this join's keys and knock again as a new join, with a new
    // ephemeral key, so no COMMIT from before can ever be replayed to us.
    m_ephemeral = crypto::EphemeralKeyPair::generate();
    m_chatKeys.clear(); // nothing said in the room while waiting is readable
    m_keys.emplace(m_identity.publicKey(), copyOf(m_ephemeral), meetingIdOf(m_target.meetingId),
                   m_chair);
    m_state = State::Waiting;
    m_room.leaves(keyBytes(m_identity.publicKey()));
    m_keys->setDescriptorHash(descriptorHashOf(m_signedDescriptor));
    m_admitSeen = false;
    m_ownDelegation.clear(); // a delegation ends when its holder leaves the room
    m_delegations.clear();   // and the standing is told again at the next admission
    m_pendingTakeover.reset();
    m_lobby.clear();
    m_own.sharing = false;
    m_signals.clear();
}

MeetingEvents ParticipantSession::onTarget(MessageType type, const QByteArray& body)
{
    auto target = TargetBody::decode(body);
    if (!target)
        return {};
    if (type == MessageType::Admit || type == MessageType::Deny || type == MessageType::Remove)
        m_lobby.erase(keyBytes(target->target)); // the chair decided about a knocker
    if (!(target->target == m_identity.publicKey()))
        return {};
    if (type == MessageType::Remove)
        return onRemoved(target->reason);
    if (type == MessageType::AskUnmute)
        return {ev::UnmuteRequested{target->reason}};
    return {};
}

MeetingEvents ParticipantSession::onChat(const protocol::Envelope& envelope)
{
    const crypto::RosterEntry* from = m_keys->roster().findIdentity(envelope.sender);
    auto body = ChatBody::decode(envelope.body);
    const crypto::SecureBuffer* key =
        body ? m_chatKeys.keyFor(body->epoch, m_clock.now()) : nullptr;
    if (!from || !body || !key)
        return {warning("chat.dropped",
                        "a chat message from outside the roster or another epoch was dropped")};
    auto message = ChatMessage::open(*key, m_target.meetingId, *body, envelope.sender);
    if (!message)
        return {warning(message.error().code, message.error().message)};
    MeetingEvents events{
        ev::Chat{qs(from->name), fingerprint(envelope.sender), message->marking, message->text}};
    if (m_descriptor && message->marking != m_descriptor->marking)
        events.push_back(warning("chat.marking_mismatch", "a chat message is marked '" +
                                                              message->marking.toStdString() +
                                                              "', not the meeting's marking"));
    return events;
}

MeetingEvents ParticipantSession::tick()
{
    if (m_state != State::Member || m_chairSilent)
        return {};
    if (m_clock.now() - m_lastChairMessage <= kChairSilenceLimit)
        return {};
    m_chairSilent = true;
    MeetingEvents events{
        warning("chair_silent",
                std::string("nothing has been heard from the chair for over 15 seconds; the "
                            "meeting stays locked (no admissions) until the chair returns "
                            "or a delegated co-chair takes over") +
                    (isCoChair() ? " - you are co-chair and can take over now" : ""))};
    const MeetingEvents takeover = retryPendingTakeover();
    events.insert(events.end(), takeover.begin(), takeover.end());
    return events;
}

Result<MeetingEvents> ParticipantSession::sendChat(const QString& text)
{
    if (m_state != State::Member)
        return makeError("meeting.not_member", "you are not in the meeting yet");
    if (!m_room.chat())
        return makeError("meeting.chat_disabled", "chat is switched off in this meeting");
    if (text.trimmed().isEmpty() || text.toUtf8().size() > ChatMessage::kMaxTextBytes)
        return makeError("meeting.chat_length", "a chat message must be 1 to 8000 bytes");
    auto key = m_keys->chatKey();
    if (!key)
        return key.error();
    const ChatMessage message{m_descriptor ? m_descriptor->marking : QString(), text};
    m_outbox.post(
        MessageType::Chat,
        message.seal(*key, m_target.meetingId, m_keys->currentEpoch(), m_identity.publicKey())
            .encode());
    return MeetingEvents{};
}

MeetingEvents ParticipantSession::leave()
{
    if (m_state == State::Left)
        return {};
    m_outbox.post(MessageType::Leave, EpochBody{m_keys->currentEpoch()}.encode());
    m_state = State::Left;
    return {ev::Left{ownName(), fingerprint(m_identity.publicKey()), true}};
}

} // namespace conclave::meeting
