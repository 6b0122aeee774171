// SPDX-License-Identifier: GPL-3.0-or-later
// Co-chairs, the participant's side (docs/protocol.md §7): accepting the chair's delegations,
// a co-chair's view of the waiting room and its requests, and the chair changing hands.
#include "meeting/ChairSession.h"
#include "meeting/Delegation.h"
#include "meeting/ParticipantSession.h"
#include "meeting/SessionSupport.h"

#include <utility>

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
    if (member->index != delegation->index)
        return {warning("delegation.stale",
                        "a co-chair delegation for " + member->name +
                            " was made for an earlier time they were in the meeting; ignored")};
    const QByteArray key = keyBytes(delegation->delegate);
    if (const auto known = m_delegations.find(key); known != m_delegations.end()) {
        if (known->second.delegation.serial == delegation->serial)
            return {}; // the chair repeats the standing for newcomers
        if (known->second.delegation.serial > delegation->serial)
            return {warning("delegation.replayed",
                            "an older co-chair delegation for " + member->name +
                                " arrived after a newer one; the newer one stands")};
    }
    m_delegations.insert_or_assign(key, KnownDelegation{*delegation, blob});
    const bool self = delegation->delegate == m_identity.publicKey();
    if (self)
        m_ownDelegation = delegation->granted ? blob : QByteArray();
    if (self && !delegation->granted)
        m_lobby.clear();
    if (delegation->granted)
        return {ev::CoChair{qs(member->name), fingerprint(delegation->delegate), self}};
    return {ev::CoChairRevoked{qs(member->name), fingerprint(delegation->delegate), self}};
}

Result<Delegation> ParticipantSession::verifiedGrant(const QByteArray& blob) const
{
    auto delegation = Delegation::verify(blob, m_target.meetingId, m_target.chair);
    if (delegation && !delegation->granted)
        return makeError("delegation.revoked",
                         "the delegation shown withdraws the co-chair role instead of granting it");
    return delegation;
}

Result<crypto::Ed25519PublicKey> ParticipantSession::acceptSuccession(const QByteArray& blob)
{
    // A knocker has no roster and has seen no delegations: it can only check the signature.
    auto delegation = verifiedGrant(blob);
    if (!delegation)
        return delegation.error();
    m_keys->trustSuccessor(delegation->delegate);
    return delegation->delegate;
}

Result<crypto::Ed25519PublicKey>
ParticipantSession::checkTakeover(const QByteArray& blob,
                                  const crypto::Ed25519PublicKey& sender) const
{
    auto delegation = verifiedGrant(blob);
    if (!delegation)
        return delegation.error();
    if (!(delegation->delegate == sender))
        return makeError("takeover.not_delegate",
                         "it was sent by someone other than the co-chair its delegation names");
    if (m_state == State::Waiting)
        return sender; // a knocker has no roster and saw no delegations (docs/threat-model.md)
    const crypto::RosterEntry* member = m_keys->roster().findIdentity(sender);
    const std::string name = member ? member->name : std::string("someone outside the roster");
    const auto known = m_delegations.find(keyBytes(sender));
    if (known == m_delegations.end())
        return makeError("delegation.unknown", "the chair never named " + name +
                                                   " co-chair while this device was in the "
                                                   "meeting");
    if (known->second.delegation.serial > delegation->serial || !known->second.delegation.granted)
        return makeError("delegation.withdrawn",
                         "the chair withdrew " + name +
                             "'s co-chair role; a withdrawn delegation gives no authority");
    if (!member || member->index != delegation->index)
        return makeError("delegation.stale", "the delegation was made for an earlier time " + name +
                                                 " was in the meeting; it ended when they left");
    return sender;
}

MeetingEvents ParticipantSession::onTakeover(const protocol::Envelope& envelope)
{
    auto body = TakeoverBody::decode(envelope.body);
    if (!body)
        return {warning(body.error().code, body.error().message)};
    if (m_state != State::Member && m_state != State::Waiting)
        return {};
    auto successor = checkTakeover(body->delegation, envelope.sender);
    if (!successor)
        return {warning(successor.error().code,
                        "a chair takeover was refused: " + successor.error().message)};
    if (m_state == State::Member && !m_chairSilent) {
        // Still hearing the chair: someone is trying to take the meeting from a chair who is
        // here. Keep it, in case the chair really is gone and only its last words got through.
        m_pendingTakeover = envelope;
        const crypto::RosterEntry* member = m_keys->roster().findIdentity(envelope.sender);
        const auto heard =
            std::chrono::duration_cast<std::chrono::seconds>(m_clock.now() - m_lastChairMessage);
        return {warning("takeover.chair_present",
                        "REFUSED: " + (member ? member->name : std::string("a co-chair")) +
                            " tried to take over as chair, but this device heard the chair " +
                            std::to_string(heard.count()) +
                            " s ago; the chair stays in charge. It is accepted only if the "
                            "chair is then silent for 15 seconds")};
    }
    m_pendingTakeover.reset();
    m_keys->trustSuccessor(*successor); // verified above; undone if the COMMIT is refused
    MeetingEvents events = onCommit(body->commit);
    if (!(m_keys->chairIdentity() == *successor)) {
        m_keys->distrustSuccessor();
        return events; // the COMMIT was refused; onCommit said why, and the old chair stands
    }
    m_chair = *successor;
    m_guard.setChair(*successor);
    m_lastChairMessage = m_clock.now();
    m_chairSilent = false;
    const crypto::RosterEntry* chair = m_keys->roster().findIdentity(*successor);
    events.insert(events.begin(),
                  ev::ChairChanged{chair ? qs(chair->name) : QString(), fingerprint(*successor)});
    return events;
}

MeetingEvents ParticipantSession::retryPendingTakeover()
{
    if (!m_pendingTakeover || !m_chairSilent)
        return {};
    const protocol::Envelope pending = *std::exchange(m_pendingTakeover, std::nullopt);
    return onTakeover(pending);
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
    InviteMatch invite = InviteMatch::Uninvited;
    QString problem;
    if (!body->invite.isEmpty()) {
        auto token = InviteToken::fromSigned(body->invite);
        const bool valid = token && token->second == m_target.chair &&
                           token->first.checkUsable(m_target.meetingId, m_clock.now());
        invite = valid ? InviteMatch::Invited : InviteMatch::InviteInvalid;
        if (valid)
            name = token->first.name;
        else
            problem = QStringLiteral("the invite was not signed by this meeting's chair, or is "
                                     "expired or for another meeting");
    }
    m_lobby[keyBytes(envelope.sender)] = name;
    // A co-chair has no contact book: `contact` and `key_verified` are the chair's to say.
    return {ev::Knock{name, body->name, fingerprint(envelope.sender), keyId(envelope.sender),
                      QString::fromLatin1(keyBytes(envelope.sender).toHex()), invite, problem,
                      std::nullopt, std::nullopt}};
}

MeetingEvents ParticipantSession::onGone(const crypto::Ed25519PublicKey& who, bool fromLobby)
{
    if (fromLobby) {
        const auto it = m_lobby.find(keyBytes(who));
        if (it == m_lobby.end())
            return {};
        const QString name = it->second;
        m_lobby.erase(it);
        return {ev::KnockerLeft{name, fingerprint(who)}};
    }
    if (!(who == m_chair) || m_state != State::Member || m_chairSilent)
        return {};
    m_chairSilent = true; // no need to wait 15 s for a chair whose connection is gone
    MeetingEvents events{warning(
        "chair_gone", std::string("the hub says the chair's connection is gone; the meeting stays "
                                  "locked (no admissions) until the chair returns or a delegated "
                                  "co-chair takes over") +
                          (isCoChair() ? " - you are co-chair and can take over now" : ""))};
    const MeetingEvents takeover = retryPendingTakeover();
    events.insert(events.end(), takeover.begin(), takeover.end());
    return events;
}

Result<MeetingEvents> ParticipantSession::request(const ChairCommand& command)
{
    if (m_state != State::Member || !isCoChair())
        return makeError("meeting.not_co_chair",
                         "only a co-chair can ask the chair to act; the chair names co-chairs");
    const ChairCommandRule& rule = ruleOf(command.action, command.on);
    if (!rule.coChairMayAsk)
        return makeError("meeting.not_for_co_chair", "'" + std::string(rule.name) +
                                                         "' is for the chair alone; a co-chair may "
                                                         "ask the chair to " +
                                                         coChairRequestNames());
    const auto& target = command.target;
    if ((rule.target != CommandTarget::Meeting) != target.has_value())
        return makeError(
            "usage", std::string("'") + std::string(rule.name) +
                         (target ? "' acts on the whole meeting" : "' needs someone to act on"));
    RequestBody body;
    body.command.action = command.action;
    body.command.on = command.on;
    body.command.target = target;
    body.command.reason = command.reason;
    m_outbox.post(MessageType::Request, body.encode());
    return MeetingEvents{
        ev::Requested{command.action, command.on, target ? fingerprint(*target) : QString()}};
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
    handover.descriptor.options.chat = m_room.chat();
    handover.signedDescriptor = m_signedDescriptor;
    handover.marking = *m_marking;
    handover.hubUrl = m_target.hubUrl;
    handover.delegation = m_ownDelegation;
    for (const auto& [identity, known] : m_delegations)
        if (known.delegation.granted && !(known.delegation.delegate == m_identity.publicKey()))
            handover.coChairs.emplace(identity, known.signedBytes);
    handover.locked = m_room.locked();
    handover.suspended = m_room.suspended();
    auto chair = ChairSession::succeed(m_identity, m_policy, m_clock, std::move(handover),
                                       std::move(taken->first), taken->second);
    m_state = State::Left; // this device goes on as the chair
    return chair;
}

} // namespace conclave::meeting
