// SPDX-License-Identifier: GPL-3.0-or-later
// Co-chairs, the chair's side (docs/protocol.md §7): naming one with a signed delegation,
// carrying out what a co-chair asks, and a co-chair continuing as chair after a takeover.
#include "meeting/ChairSession.h"

#include "meeting/Delegation.h"
#include "meeting/MessageBodies.h"
#include "meeting/SessionSupport.h"

namespace conclave::meeting {

using namespace support;
using protocol::MessageType;

std::unique_ptr<ChairSession> ChairSession::succeed(const crypto::Ed25519SigningKey& identity,
                                                    const policy::PolicyDocument& policy,
                                                    const Clock& clock, ChairSuccession succession,
                                                    crypto::ChairKeySchedule keys,
                                                    const crypto::Commit& takeover)
{
    std::unique_ptr<ChairSession> session(new ChairSession(identity, policy, clock, std::move(keys),
                                                           succession.descriptor,
                                                           succession.marking, succession.hubUrl));
    session->m_takenOverWith = succession.delegation;
    session->m_coChairs = std::move(succession.coChairs);
    session->m_inheritedDescriptor = succession.signedDescriptor;
    session->m_room =
        RoomState(succession.descriptor.options.chat, succession.locked, succession.suspended);
    session->m_outbox.post(
        MessageType::Takeover,
        TakeoverBody{succession.delegation, toQByteArray(takeover.encode())}.encode());
    return session;
}

Result<void> ChairSession::refuseIfSuccessor(const char* what) const
{
    if (!isSuccessor())
        return {};
    return Error{"meeting.not_original_chair",
                 std::string("only the chair who created the meeting can ") + what +
                     ": the meeting description, invites and delegations carry that chair's "
                     "signature. Invites already sent still work; start a new meeting to "
                     "change more"};
}

void ChairSession::tellNewcomersTheStanding()
{
    // Members decide for themselves whom to follow after a takeover, so a newcomer must learn
    // the delegations in force from the chair, signed - not from the hub.
    for (const auto& [identity, signedDelegation] : m_coChairs)
        m_outbox.post(MessageType::Delegate, BlobBody{signedDelegation}.encode());
    // Permissions the descriptor does not carry: who may share, and chat switched off. Members
    // who already know take them as no change.
    for (const QByteArray& sharer : m_room.shareGrants())
        m_outbox.post(MessageType::Control,
                      ControlBody{ControlAction::AllowShare, keyFrom(sharer)}.encode());
    if (!m_room.chat())
        m_outbox.post(MessageType::Control,
                      ControlBody{ControlAction::DisableChat, std::nullopt}.encode());
}

bool ChairSession::isCoChair(const crypto::Ed25519PublicKey& who) const
{
    return m_coChairs.count(keyBytes(who)) > 0;
}

Result<MeetingEvents> ChairSession::delegate(const crypto::Ed25519PublicKey& who, bool granted)
{
    if (auto ended = refuseIfEnded(); !ended)
        return ended.error();
    if (auto original = refuseIfSuccessor("name co-chairs"); !original)
        return original.error();
    const crypto::RosterEntry* member = m_keys.roster().findIdentity(who);
    if (!member || member->role == crypto::MemberRole::Chair)
        return Error{"meeting.not_member", "that identity is not a participant of this meeting"};
    if (granted && member->role == crypto::MemberRole::Observer)
        return Error{"meeting.bad_role",
                     "an observer only receives; admit them as a participant to make them "
                     "co-chair"};
    if (granted == isCoChair(who))
        return Error{"meeting.no_change",
                     granted ? "they are already co-chair" : "they are not co-chair"};
    const Delegation delegation{m_descriptor.meetingId, who,     qs(member->name),
                                m_clock.now(),          granted, ++m_delegationSerial,
                                member->index};
    const QByteArray signedDelegation = delegation.sign(m_identity).encode();
    m_outbox.post(MessageType::Delegate, BlobBody{signedDelegation}.encode());
    if (granted)
        m_coChairs[keyBytes(who)] = signedDelegation;
    else
        m_coChairs.erase(keyBytes(who));
    if (granted)
        return MeetingEvents{ev::CoChair{qs(member->name), fingerprint(who)}};
    return MeetingEvents{ev::CoChairRevoked{qs(member->name), fingerprint(who)}};
}

MeetingEvents ChairSession::onRequest(const protocol::Envelope& envelope)
{
    const crypto::RosterEntry* from = m_keys.roster().findIdentity(envelope.sender);
    auto request = RequestBody::decode(envelope.body);
    ev::CoChairRequest seen{from ? qs(from->name) : QString(), fingerprint(envelope.sender)};
    if (request) {
        seen.action = request->command.action;
        seen.on = request->command.on;
        if (request->command.target)
            seen.target = fingerprint(*request->command.target);
    }
    Result<MeetingEvents> result =
        !request ? Result<MeetingEvents>(request.error())
        : !from || !isCoChair(envelope.sender)
            ? Result<MeetingEvents>(
                  Error{"meeting.not_co_chair",
                        "a request to act as chair came from someone this chair has not named "
                        "co-chair; it was ignored"})
            : carryOut(request->command);
    seen.done = bool(result);
    if (!result) {
        seen.code = qs(result.error().code);
        seen.reason = qs(result.error().message);
    }
    MeetingEvents events{std::move(seen)};
    if (result)
        events.insert(events.end(), result->begin(), result->end());
    return events;
}

} // namespace conclave::meeting
