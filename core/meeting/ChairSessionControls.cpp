// SPDX-License-Identifier: GPL-3.0-or-later
// The chair's controls (lock, mute, share and chat permissions, suspend, end, marking change,
// chat): the part of ChairSession that acts on the whole room rather than on one knocker.
#include "meeting/ChairSession.h"

#include "meeting/ChatMessage.h"
#include "meeting/MeetingOptionRules.h"
#include "meeting/MessageBodies.h"
#include "meeting/SessionSupport.h"
#include "policy/ApprovalEngine.h"

namespace conclave::meeting {

using namespace support;
using protocol::MessageType;

namespace {

Error commandError(const std::string& code, const std::string& message)
{
    return Error{code, message};
}

/// What the policy's rules for the marking forbid (screen share, chat).
Error policyRefusal(const std::string& code, const std::string& message)
{
    return Error{code, message, ErrorCategory::PolicyRefusal};
}

} // namespace

Result<MeetingEvents> ChairSession::control(ControlAction action,
                                            std::optional<crypto::Ed25519PublicKey> target)
{
    if (auto ended = refuseIfEnded(); !ended)
        return ended.error();
    const crypto::RosterEntry* member = target ? m_keys.roster().findIdentity(*target) : nullptr;
    if (target && !member)
        return commandError("meeting.not_member",
                            "that identity is not a participant of this meeting");
    const ControlBody body{action, target};
    m_outbox.post(MessageType::Control, body.encode());
    // What the control means for the room and the chair's own media is RoomState's to say.
    m_room.apply(body, keyBytes(m_identity.publicKey()), true, m_own);
    return MeetingEvents{chairControlEvent(action, member ? qs(member->name) : QString(),
                                           target ? fingerprint(*target) : QString())};
}

Result<MeetingEvents> ChairSession::lock()
{
    auto events = control(ControlAction::Lock, std::nullopt);
    if (!events)
        return events;
    // Locking rotates the key: whatever was captured before the lock opens nothing after it.
    if (m_keys.roster().size() > 1)
        if (auto rotated = rekey(crypto::CommitReason::Locked, m_keys.roster()))
            events->insert(events->end(), rotated->begin(), rotated->end());
    return events;
}

Result<MeetingEvents> ChairSession::unlock()
{
    if (m_room.suspended())
        return commandError("meeting.suspended", "resume the meeting before unlocking it");
    return control(ControlAction::Unlock, std::nullopt);
}

Result<MeetingEvents> ChairSession::muteAll()
{
    return control(ControlAction::MuteAll, std::nullopt);
}

Result<MeetingEvents> ChairSession::mute(const crypto::Ed25519PublicKey& who)
{
    return control(ControlAction::Mute, who);
}

Result<MeetingEvents> ChairSession::askUnmute(const crypto::Ed25519PublicKey& who,
                                              const QString& reason)
{
    if (auto ended = refuseIfEnded(); !ended)
        return ended.error();
    if (!m_keys.roster().findIdentity(who))
        return commandError("meeting.not_member",
                            "that identity is not a participant of this meeting");
    m_outbox.post(MessageType::AskUnmute, TargetBody{who, reason}.encode());
    return MeetingEvents{
        ev::UnmuteAsked{qs(m_keys.roster().findIdentity(who)->name), fingerprint(who), reason}};
}

Result<MeetingEvents> ChairSession::stopVideo(const crypto::Ed25519PublicKey& who)
{
    return control(ControlAction::StopVideo, who);
}

Result<MeetingEvents> ChairSession::setShare(const crypto::Ed25519PublicKey& who, bool allowed)
{
    if (allowed && !m_policy.rulesFor(m_marking).screenShare)
        return policyRefusal("policy.share_not_allowed", "screen sharing is not allowed in " +
                                                             m_marking.canonical + " meetings by " +
                                                             m_policy.describe());
    return control(allowed ? ControlAction::AllowShare : ControlAction::RevokeShare, who);
}

Result<MeetingEvents> ChairSession::setChat(bool enabled)
{
    if (enabled && !m_policy.rulesFor(m_marking).chat)
        return policyRefusal("policy.chat_not_allowed", "chat is not allowed in " +
                                                            m_marking.canonical + " meetings by " +
                                                            m_policy.describe());
    return control(enabled ? ControlAction::AllowChat : ControlAction::DisableChat, std::nullopt);
}

Result<MeetingEvents> ChairSession::suspend()
{
    // One action stops everything, the chair's own media too (RoomState::apply).
    auto events = control(ControlAction::Suspend, std::nullopt);
    if (!events)
        return events;
    if (m_keys.roster().size() > 1)
        if (auto rotated = rekey(crypto::CommitReason::Locked, m_keys.roster()))
            events->insert(events->end(), rotated->begin(), rotated->end());
    return events;
}

Result<MeetingEvents> ChairSession::resume()
{
    if (!m_room.suspended())
        return commandError("meeting.not_suspended", "the meeting is not suspended");
    return control(ControlAction::Resume, std::nullopt);
}

Result<MeetingEvents> ChairSession::end()
{
    return control(ControlAction::End, std::nullopt);
}

Result<MeetingEvents> ChairSession::changeMarking(const classification::Marking& to,
                                                  bool confirmLowering)
{
    if (auto ended = refuseIfEnded(); !ended)
        return ended.error();
    if (auto original = refuseIfSuccessor("change the marking"); !original)
        return original.error();
    const auto decision = policy::ApprovalEngine(m_policy).decideMarkingChange(
        m_descriptor.backendId.toStdString(), m_marking, to, confirmLowering);
    if (!decision.allowed)
        return decision.refusal();
    if (const policy::Backend* backend = m_policy.findBackend(m_descriptor.backendId.toStdString()))
        if (const auto hosting = policy::ApprovalEngine(m_policy).decideEmbeddedHosting(
                *backend, to,
                {base64Key(m_identity.publicKey()).toStdString(), isLoopbackUrl(m_hubUrl)});
            !hosting.allowed)
            return hosting.refusal();
    // The new marking's rules come with it, in the same signed revision: a raised marking
    // never runs for a moment under the old grade's options.
    MeetingDescriptor next = m_descriptor;
    next.options.chat = m_room.chat(); // the revision carries the chat switch as it stands
    next.marking = QString::fromStdString(to.canonical);
    next.options = optionsWithin(next.options, m_policy.rulesFor(to));
    next.revision = std::max(m_descriptor.revision,
                             m_pendingRevision ? m_pendingRevision->descriptor.revision : 0) +
                    1;
    const QByteArray signedNext = next.sign(m_identity).encode();
    m_outbox.post(MessageType::Descriptor, BlobBody{signedNext}.encode());
    // Nothing changes here until the hub has taken the revision: chair, hub and members
    // never disagree about the marking (onDescriptorAccepted).
    m_pendingRevision = PendingRevision{next, to, signedNext, decision.reason};
    return MeetingEvents{ev::MarkingChangeSent{m_descriptor.marking, next.marking, next.revision}};
}

MeetingEvents ChairSession::onDescriptorAccepted(const QByteArray& signedDescriptor)
{
    if (!m_pendingRevision || m_pendingRevision->signedBytes != signedDescriptor)
        return {}; // a repeat of the description in force, or an older request
    PendingRevision accepted = std::move(*m_pendingRevision);
    m_pendingRevision.reset();
    const QString from = m_descriptor.marking;
    m_descriptor = accepted.descriptor;
    m_room.takeRevision(m_descriptor.options);
    m_signedInForce = accepted.signedBytes;
    m_marking = accepted.marking;
    m_keys.setDescriptorHash(descriptorHashOf(accepted.signedBytes));
    MeetingEvents events{
        ev::MarkingChanged{from, m_descriptor.marking, m_descriptor.revision, qs(accepted.reason),
                           m_descriptor.options.invitesRequired, m_descriptor.options.openKnocking,
                           m_descriptor.options.chat}};
    // Screen share grants the new grade's rules no longer allow are withdrawn now.
    if (!m_policy.rulesFor(m_marking).screenShare) {
        const std::set<QByteArray> granted = m_room.shareGrants();
        for (const QByteArray& id : granted)
            if (auto revoked = setShare(keyFrom(id), false))
                events.insert(events.end(), revoked->begin(), revoked->end());
    }
    // New keys bound to the new revision: what is said from now on is under the new marking.
    if (auto rekeyed = rekey(crypto::CommitReason::Relabelled, m_keys.roster()))
        events.insert(events.end(), rekeyed->begin(), rekeyed->end());
    return events;
}

Result<MeetingEvents> ChairSession::sendChat(const QString& text)
{
    if (!m_room.chat())
        return commandError("meeting.chat_disabled", "chat is switched off in this meeting");
    if (text.trimmed().isEmpty() || text.toUtf8().size() > ChatMessage::kMaxTextBytes)
        return commandError("meeting.chat_length", "a chat message must be 1 to 8000 bytes");
    auto key = m_keys.chatKey();
    if (!key)
        return key.error();
    const ChatMessage message{m_descriptor.marking, text};
    m_outbox.post(
        MessageType::Chat,
        message.seal(*key, m_descriptor.meetingId, m_keys.currentEpoch(), m_identity.publicKey())
            .encode());
    return MeetingEvents{ev::Chat{qs(m_keys.roster().find(m_keys.chairIndex())->name),
                                  fingerprint(m_identity.publicKey()), message.marking, text}};
}

} // namespace conclave::meeting
