// SPDX-License-Identifier: GPL-3.0-or-later
// Co-chairs, the participant's side (docs/protocol.md §7): accepting the chair's delegations,
// a co-chair's view of the waiting room and its requests, and the chair changing hands.
#include "meeting/ChairSession.h"
#include "meeting/Delegation.h"
#include "meeting/ParticipantSession.h"
#include "meeting/SessionSupport.h"

namespace conclave::meeting {

using namespace support;
using protocol::MessageType;

MeetingEvents ParticipantSession::onDelegate(const QByteArray& blob)
{
    // Only the chair who created the meeting names co-chairs (the envelope guard has already
    // checked the sender is the chair now; a successor's delegation would not verify here).
    auto delegation = Delegation::verify(blob, m_target.meetingId, m_target.chair);
    if (!delegation)
        return {warning(delegation.error().code, delegation.error().message)};
    const crypto::RosterEntry* member = m_keys->roster().findIdentity(delegation->delegate);
    if (!member)
        return {warning("delegation.not_member",
                        "the chair named someone co-chair who is not in this device's roster; "
                        "ignored until they are")};
    const bool self = delegation->delegate == m_identity.publicKey();
    if (self)
        m_ownDelegation = delegation->granted ? blob : QByteArray();
    if (self && !delegation->granted)
        m_lobby.clear();
    return {{delegation->granted ? QStringLiteral("co_chair") : QStringLiteral("co_chair_revoked"),
             {{QStringLiteral("name"), qs(member->name)},
              {QStringLiteral("fingerprint"), fingerprint(delegation->delegate)},
              {QStringLiteral("you"), self}},
             true}};
}

Result<crypto::Ed25519PublicKey> ParticipantSession::acceptSuccession(const QByteArray& blob)
{
    auto delegation = Delegation::verify(blob, m_target.meetingId, m_target.chair);
    if (!delegation)
        return delegation.error();
    if (!delegation->granted)
        return makeError("delegation.revoked",
                         "the delegation shown withdraws the co-chair role instead of granting it");
    m_keys->trustSuccessor(delegation->delegate);
    return delegation->delegate;
}

MeetingEvents ParticipantSession::onTakeover(const protocol::Envelope& envelope)
{
    auto body = TakeoverBody::decode(envelope.body);
    if (!body)
        return {warning(body.error().code, body.error().message)};
    if (m_state != State::Member && m_state != State::Waiting)
        return {};
    auto successor = acceptSuccession(body->delegation);
    if (!successor)
        return {warning(successor.error().code,
                        "a chair takeover was refused: " + successor.error().message)};
    if (!(*successor == envelope.sender))
        return {warning("takeover.not_delegate",
                        "a chair takeover was sent by someone other than the co-chair its "
                        "delegation names; refused")};
    MeetingEvents events = onCommit(body->commit);
    if (!(m_keys->chairIdentity() == *successor))
        return events; // the COMMIT was refused; onCommit said why, and the old chair stands
    m_chair = *successor;
    m_guard.setChair(*successor);
    m_lastChairMessage = m_clock.now();
    m_chairSilent = false;
    const crypto::RosterEntry* chair = m_keys->roster().findIdentity(*successor);
    events.insert(events.begin(), {QStringLiteral("chair_changed"),
                                   {{QStringLiteral("name"), chair ? qs(chair->name) : QString()},
                                    {QStringLiteral("fingerprint"), fingerprint(*successor)}},
                                   true});
    return events;
}

MeetingEvents ParticipantSession::onKnock(const protocol::Envelope& envelope)
{
    // The hub shows knocks to co-chairs as well as to the chair; anyone else ignores them.
    if (!isCoChair())
        return {};
    auto body = KnockBody::decode(envelope.body);
    if (!body)
        return {warning(body.error().code, body.error().message)};
    QString name = body->name.trimmed();
    QString invite = QStringLiteral("uninvited");
    if (!body->invite.isEmpty()) {
        auto token = InviteToken::fromSigned(body->invite);
        const bool valid = token && token->second == m_target.chair &&
                           token->first.checkUsable(m_target.meetingId, m_clock.now());
        invite = valid ? QStringLiteral("invited") : QStringLiteral("invite_invalid");
        if (valid)
            name = token->first.name;
    }
    m_lobby[keyBytes(envelope.sender)] = name;
    return {{QStringLiteral("knock"),
             {{QStringLiteral("name"), name},
              {QStringLiteral("fingerprint"), fingerprint(envelope.sender)},
              {QStringLiteral("identity"), QString::fromLatin1(keyBytes(envelope.sender).toHex())},
              {QStringLiteral("invite"), invite}},
             true}};
}

MeetingEvents ParticipantSession::onGone(const crypto::Ed25519PublicKey& who, bool fromLobby)
{
    if (fromLobby) {
        const auto it = m_lobby.find(keyBytes(who));
        if (it == m_lobby.end())
            return {};
        const QString name = it->second;
        m_lobby.erase(it);
        return {{QStringLiteral("knocker_left"), {{QStringLiteral("name"), name}}, false}};
    }
    if (!(who == m_chair) || m_state != State::Member || m_chairSilent)
        return {};
    m_chairSilent = true; // no need to wait 15 s for a chair whose connection is gone
    return {warning("chair_gone",
                    std::string("the hub says the chair's connection is gone; the meeting stays "
                                "locked (no admissions) until the chair returns or a delegated "
                                "co-chair takes over") +
                        (isCoChair() ? " - you are co-chair and can take over now" : ""))};
}

Result<MeetingEvents> ParticipantSession::request(ChairRequest action,
                                                  std::optional<crypto::Ed25519PublicKey> target,
                                                  const QString& reason)
{
    if (m_state != State::Member || !isCoChair())
        return makeError("meeting.not_co_chair",
                         "only a co-chair can ask the chair to act; the chair names co-chairs");
    if (needsTarget(action) != target.has_value())
        return makeError(
            "usage", std::string("'") + std::string(toString(action)) +
                         (target ? "' acts on the whole meeting" : "' needs someone to act on"));
    m_outbox.post(MessageType::Request, RequestBody{action, target, reason}.encode());
    return MeetingEvents{{QStringLiteral("requested"),
                          {{QStringLiteral("action"), qs(std::string(toString(action)))},
                           {QStringLiteral("target"), target ? fingerprint(*target) : QString()}},
                          true}};
}

Result<std::unique_ptr<ChairSession>> ParticipantSession::takeOver()
{
    if (m_state != State::Member || !isCoChair())
        return makeError("meeting.not_co_chair",
                         "only a co-chair the chair named can take the chair over");
    if (!m_chairSilent)
        return makeError("meeting.chair_present",
                         "the chair is still here (heard within the last 15 seconds); a "
                         "co-chair takes over only when the chair has gone quiet - ask the "
                         "chair instead");
    auto succession = m_keys->succession();
    if (!succession)
        return succession.error();
    auto taken = crypto::ChairKeySchedule::takeOver(copyOf(m_identity), copyOf(m_ephemeral),
                                                    meetingIdOf(m_target.meetingId), *succession);
    if (!taken)
        return taken.error();
    ChairSuccession handover;
    handover.descriptor = *m_descriptor;
    handover.descriptor.options.chat = m_chatEnabled;
    handover.signedDescriptor = m_signedDescriptor;
    handover.marking = *m_marking;
    handover.hubUrl = m_target.hubUrl;
    handover.delegation = m_ownDelegation;
    handover.locked = m_locked;
    handover.suspended = m_suspended;
    auto chair = ChairSession::succeed(m_identity, m_policy, m_clock, std::move(handover),
                                       std::move(taken->first), taken->second);
    m_state = State::Left; // this device goes on as the chair
    return chair;
}

} // namespace conclave::meeting
