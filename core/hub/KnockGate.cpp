// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/KnockGate.h"

#include "crypto/EphemeralAnnouncement.h"
#include "meeting/InviteToken.h"

namespace conclave::hub {
namespace {

QByteArray keyBytes(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), 32);
}

} // namespace

Result<KnockGate::Pass> KnockGate::check(const HubMeeting& meeting, const protocol::Envelope& knock,
                                         const meeting::KnockBody& body) const
{
    const QByteArray who = keyBytes(knock.sender);
    if (!meeting.chairConnection())
        return makeError("meeting.chair_absent",
                         "the chair is not connected, so nobody can be admitted; try again when "
                         "the chair is back");
    // The meeting stays locked while nobody can admit: until the chair speaks again or a
    // delegated co-chair takes over.
    if (m_clock.now() - meeting.chairLastHeard() > m_limits.chairSilence)
        return makeError("meeting.chair_silent",
                         "nothing has been heard from the chair for over " +
                             std::to_string(m_limits.chairSilence.count()) +
                             " seconds, so nobody can be admitted; try again in a minute");
    if (meeting.isLocked())
        return makeError("meeting.locked",
                         meeting.isSuspended()
                             ? "the chair has suspended the meeting; nobody can join until it "
                               "resumes and is unlocked"
                             : "the chair has locked the meeting; nobody else can join");
    if (meeting.isBanned(who))
        return makeError("meeting.banned",
                         "this identity was removed from the meeting or denied twice, and may "
                         "not knock again; speak to the chair");
    if (meeting.memberConnection(who))
        return makeError("meeting.already_member",
                         "this identity is already in the meeting (from another connection)");
    if (meeting.knocker(who))
        return makeError("lobby.duplicate",
                         "this identity is already waiting in the lobby (from another connection)");
    if (qsizetype(meeting.lobby().size()) >= m_limits.maxLobby)
        return makeError("lobby.full", "the waiting room is full (" +
                                           std::to_string(m_limits.maxLobby) +
                                           " waiting); try again in a few minutes");
    // Sent back to the waiting room by the chair: vetted at its first admission, and its
    // invite was spent then, so the invite is not checked again and nothing is reserved.
    if (meeting.isReturning(who))
        return Pass{};
    const auto& options = meeting.descriptor().options;
    if (body.invite.isEmpty()) {
        // Uninvited knocking needs both switches: a descriptor that does not require invites
        // but does not open the door either is read the strict way.
        if (options.invitesRequired || !options.openKnocking)
            return makeError("invite.required",
                             "this meeting admits only people with a personal invite from the "
                             "chair; ask the chair for one");
        return Pass{};
    }
    return checkInvite(meeting, knock, body);
}

Result<KnockGate::Pass> KnockGate::checkInvite(const HubMeeting& meeting,
                                               const protocol::Envelope& knock,
                                               const meeting::KnockBody& body) const
{
    auto invite = meeting::InviteToken::fromSigned(body.invite);
    if (!invite) {
        if (invite.error().code == "invite.bad_signature")
            return invite.error();
        return makeError("invite.malformed", "the invite is damaged: " + invite.error().message);
    }
    const auto& [token, signer] = *invite;
    if (!(signer == meeting.descriptor().chair))
        return makeError("invite.wrong_chair",
                         "the invite is not signed by this meeting's chair; it may be forged - "
                         "report it and ask the chair for a new one");
    if (auto usable = token.checkUsable(meeting.descriptor().meetingId, m_clock.now()); !usable)
        return usable.error();
    // The signed invite travels in every knock; only the link's holder can prove possession,
    // and only for an announcement of its own key (a copied knock proves nothing for another).
    const auto announcement = crypto::EphemeralAnnouncement::decode(
        crypto::ByteView(reinterpret_cast<const uint8_t*>(body.announcement.constData()),
                         size_t(body.announcement.size())));
    if (!announcement || !(announcement->identity == knock.sender))
        return makeError("invite.no_proof",
                         "the knock's proof of the invite is for another identity's key; the "
                         "invitee must knock with the whole link from their own device");
    if (auto proof = token.checkProof(body.proof, body.announcement); !proof)
        return proof.error();
    if (meeting.inviteSpentByOther(token.inviteId, keyBytes(knock.sender)))
        return makeError("invite.used",
                         "this invite has already been used; invites are single use - ask the "
                         "chair for a new one");
    if (meeting.inviteWaiting(token.inviteId))
        return makeError("invite.used",
                         "this invite is already being used by someone waiting in the lobby; "
                         "invites are single use - if that is not you, tell the chair");
    if (token.identity && !(*token.identity == knock.sender))
        return makeError("invite.wrong_identity",
                         "this invite was issued to a different identity key than the one "
                         "knocking; knock from the device it was issued to");
    return Pass{token.inviteId, token.expires};
}

} // namespace conclave::hub
