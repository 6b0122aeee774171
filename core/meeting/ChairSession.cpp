// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/ChairSession.h"

#include "crypto/EphemeralAnnouncement.h"
#include "meeting/ChatMessage.h"
#include "meeting/DisplayName.h"
#include "meeting/MeetingLink.h"
#include "meeting/MeetingOptionRules.h"
#include "meeting/MessageBodies.h"
#include "meeting/SessionSupport.h"
#include "policy/ApprovalEngine.h"

#include <QJsonArray>
#include <QStringList>

namespace conclave::meeting {

using namespace support;
using protocol::MessageType;

namespace {

Error commandError(const std::string& code, const std::string& message)
{
    return Error{code, message};
}

} // namespace

Result<std::unique_ptr<ChairSession>>
ChairSession::create(const crypto::Ed25519SigningKey& identity,
                     const policy::PolicyDocument& policy, const Clock& clock, ChairSetup setup)
{
    const auto decision =
        policy::ApprovalEngine(policy).decideStart(setup.backendId.toStdString(), setup.marking);
    if (!decision.allowed)
        return decision.refusal();
    if (setup.title.trimmed().isEmpty())
        return Error{"meeting.no_title", "a meeting needs a title", ErrorCategory::InvalidInput};
    if (auto chairName = checkDisplayName(setup.chairName, "the chair's name"); !chairName)
        return chairName.error();
    if (const policy::Backend* backend = policy.findBackend(setup.backendId.toStdString());
        backend && backend->kind == policy::BackendKind::Embedded) {
        if (!setup.hostedHere)
            return Error{"policy.embedded_elsewhere",
                         "backend '" + backend->id +
                             "' means this computer: its meetings are hosted by this program, "
                             "not on a hub elsewhere. Choose the backend the policy lists for "
                             "that hub, or host the meeting here",
                         ErrorCategory::PolicyRefusal};
        const auto hosting = policy::ApprovalEngine(policy).decideEmbeddedHosting(
            *backend, setup.marking,
            {base64Key(identity.publicKey()).toStdString(), isLoopbackUrl(setup.hubUrl)});
        if (!hosting.allowed)
            return hosting.refusal();
    }

    // The policy's rules for this marking are a floor the chair cannot go below.
    setup.options = optionsWithin(setup.options, policy.rulesFor(setup.marking));

    const crypto::MeetingId meetingId = crypto::MeetingId::random();
    auto keys = crypto::ChairKeySchedule::start(copyOf(identity),
                                                crypto::EphemeralKeyPair::generate(), meetingId,
                                                setup.cipherSuite, setup.chairName.toStdString());
    if (!keys)
        return keys.error();

    MeetingDescriptor d;
    d.meetingId = meetingBytes(meetingId);
    d.title = setup.title.trimmed();
    d.marking = QString::fromStdString(setup.marking.canonical);
    d.schemeId = QString::fromStdString(policy.scheme.id);
    d.backendId = setup.backendId;
    d.hubPin = setup.hubPin;
    d.chair = identity.publicKey();
    d.chairEphemeral =
        QByteArray(reinterpret_cast<const char*>(keys->ephemeralKey().bytes.data()), 32);
    d.created = clock.now();
    d.cipherSuite = setup.cipherSuite;
    d.options = setup.options;
    keys->setDescriptorHash(descriptorHashOf(d.sign(identity).encode()));
    return std::unique_ptr<ChairSession>(new ChairSession(identity, policy, clock,
                                                          std::move(keys).value(), std::move(d),
                                                          setup.marking, setup.hubUrl));
}

ChairSession::ChairSession(const crypto::Ed25519SigningKey& identity,
                           const policy::PolicyDocument& policy, const Clock& clock,
                           crypto::ChairKeySchedule keys, MeetingDescriptor descriptor,
                           classification::Marking marking, QString hubUrl)
    : m_identity(identity), m_policy(policy), m_clock(clock), m_keys(std::move(keys)),
      m_descriptor(std::move(descriptor)), m_marking(std::move(marking)),
      m_hubUrl(std::move(hubUrl)), m_outbox(identity, m_descriptor.meetingId, clock.now()),
      m_guard(m_descriptor.meetingId, identity.publicKey()), m_lastHeartbeat(clock.now()),
      m_lastEpochChange(clock.now()), m_room(m_descriptor.options.chat)
{
    m_signedInForce = m_descriptor.sign(identity).encode();
    installChatKey();
}

void ChairSession::installChatKey()
{
    if (auto key = m_keys.chatKey())
        m_chatKeys.install(m_keys.currentEpoch(), std::move(key).value(), m_clock.now());
}

QByteArray ChairSession::signedDescriptor() const
{
    if (isSuccessor())
        return m_inheritedDescriptor;
    // Not re-signed from m_descriptor: switches such as chat on/off change it between
    // revisions, and the bytes in force must stay those the hub and members hold.
    return m_signedInForce;
}

void ChairSession::announce()
{
    const auto announcement = crypto::EphemeralAnnouncement::create(m_identity, m_keys.meetingId(),
                                                                    m_keys.ephemeralKey());
    m_outbox.post(MessageType::Create,
                  CreateBody{signedDescriptor(), toQByteArray(announcement.encode())}.encode());
}

Result<QString> ChairSession::makeInvite(const QString& name,
                                         std::optional<crypto::Ed25519PublicKey> identity,
                                         std::chrono::seconds lifetime)
{
    if (auto original = refuseIfSuccessor("issue invites"); !original)
        return original.error();
    auto checkedName = checkDisplayName(name, "the invitee's name");
    if (!checkedName)
        return checkedName.error();
    const auto redeem = crypto::Ed25519SigningKey::generate();
    InviteToken token;
    token.redeemKey = redeem.publicKey();
    token.meetingId = m_descriptor.meetingId;
    token.inviteId = meetingBytes(crypto::MeetingId::random()); // 16 fresh random bytes
    token.name = *checkedName;
    token.identity = identity;
    token.expires = m_clock.now() + lifetime;
    token.hubUrl = m_hubUrl;
    token.hubPin = m_descriptor.hubPin;
    m_invites[token.inviteId] = IssuedInvite{token.name, identity, token.expires, std::nullopt};
    return InviteToken::toLink(token.sign(m_identity), redeem);
}

Result<QString> ChairSession::makeMeetingLink(std::chrono::seconds lifetime) const
{
    if (!m_descriptor.options.openKnocking)
        return commandError(
            "meeting.invites_required",
            "this " + m_marking.canonical +
                " meeting admits only people with a per-person invite, so it has no "
                "open link; invite each person by name");
    return MeetingLink{m_descriptor.meetingId, m_hubUrl, m_descriptor.hubPin,
                       m_clock.now() + lifetime}
        .toLink(m_identity);
}

MeetingEvent ChairSession::epochEvent() const
{
    return ev::Epoch{m_keys.currentEpoch(), qs(m_keys.epochCode()), qs(m_keys.meetingCode()),
                     uint64_t(m_keys.roster().size()), m_keys.chairIndex()};
}

MeetingEvent ChairSession::rosterEvent() const
{
    ev::Roster roster;
    for (const auto& e : m_keys.roster().entries())
        roster.members.push_back({e.index, qs(e.name), e.role, fingerprint(e.identity)});
    return roster;
}

Result<void> ChairSession::refuseIfEnded() const
{
    if (m_room.ended())
        return commandError("meeting.ended", "the meeting has ended");
    return {};
}

MeetingEvents ChairSession::onEnvelope(const protocol::Envelope& envelope)
{
    if (envelope.sender == m_identity.publicKey())
        return {}; // our own message echoed back; nothing to learn from it
    const auto verdict = m_guard.check(envelope);
    if (verdict.refusal)
        return {ev::Warning{qs(verdict.refusal->code), qs(verdict.refusal->message)}};
    switch (envelope.type) {
    case MessageType::Knock:
        return onKnock(envelope);
    case MessageType::Chat:
        return onChat(envelope);
    case MessageType::Leave:
        return onLeave(envelope);
    case MessageType::Request:
        return onRequest(envelope);
    case MessageType::Signal:
        return onSignal(envelope);
    case MessageType::Ack:
        return onAck(envelope);
    case MessageType::Resume:
        return onResume(envelope);
    default:
        return {}; // acks and signalling are for the media layer
    }
}

void ChairSession::evaluateInvite(LobbyEntry& entry, const KnockBody& knock)
{
    const auto invalid = [&](const QString& why) {
        entry.inviteMatch = InviteMatch::InviteInvalid;
        entry.inviteProblem = why;
    };
    auto parsed = InviteToken::fromSigned(knock.invite);
    if (!parsed)
        return invalid(qs(parsed.error().message));
    const auto& [token, signer] = *parsed;
    if (!(signer == m_descriptor.chair))
        return invalid(QStringLiteral("the invite was not signed by this meeting's chair"));
    if (auto usable = token.checkUsable(m_descriptor.meetingId, m_clock.now()); !usable)
        return invalid(qs(usable.error().message));
    // The signed invite alone proves nothing about the knocker: the hub and co-chairs see it.
    if (auto proof = token.checkProof(knock.proof, knock.announcement); !proof)
        return invalid(qs(proof.error().message));
    auto issued = m_invites.find(token.inviteId);
    // A successor never saw the original chair issue invites: the signature vouches for them,
    // and the hub refuses any invite that was already used.
    if (issued == m_invites.end() && isSuccessor())
        issued = m_invites
                     .emplace(token.inviteId,
                              IssuedInvite{token.name, token.identity, token.expires, std::nullopt})
                     .first;
    if (issued == m_invites.end())
        return invalid(QStringLiteral("this chair has no record of issuing the invite"));
    if (issued->second.usedBy && *issued->second.usedBy != keyBytes(entry.announcement.identity))
        return invalid(QStringLiteral("the invite has already been used by someone else"));
    if (token.identity && !(*token.identity == entry.announcement.identity))
        return invalid(QStringLiteral("the invite is bound to a different identity key"));
    entry.inviteMatch = InviteMatch::Invited;
    entry.invite = token;
    entry.name = token.name; // names are fixed by the invite, not by what the knocker typed
}

MeetingEvents ChairSession::onKnock(const protocol::Envelope& envelope)
{
    const auto warning = [](const std::string& code, const std::string& reason) {
        return MeetingEvents{ev::Warning{qs(code), qs(reason)}};
    };
    auto body = KnockBody::decode(envelope.body);
    if (!body)
        return warning(body.error().code, body.error().message);
    auto announcement = crypto::EphemeralAnnouncement::decode(view(body->announcement));
    if (!announcement)
        return warning(announcement.error().code, announcement.error().message);
    if (auto ok = announcement->verify(m_keys.meetingId()); !ok)
        return warning(ok.error().code, ok.error().message);
    if (!(announcement->identity == envelope.sender))
        return warning("knock.key_mismatch",
                       "a knock announced a key for someone other than its sender");
    const QByteArray id = keyBytes(envelope.sender);
    if (m_banned.count(id))
        return {}; // the hub should have stopped it; never let a banned identity back in
    MeetingEvents gone;
    if (const crypto::RosterEntry* member = m_keys.roster().findIdentity(envelope.sender)) {
        // A member knocking with a new ephemeral key has given its old join up: the hub lost
        // its place (away too long, or the hub restarted). The old key leaves the roster
        // first (a rekey, as for someone who left); the new join waits to be admitted again,
        // known to the chair as before. The same key again is a stale copy: ignored.
        if (member->ephemeral == announcement->ephemeral ||
            member->role == crypto::MemberRole::Chair)
            return {};
        const QString name = qs(member->name);
        gone = memberGone(envelope.sender);
        m_returning[id] = name;
    }
    if (m_lobby.size() >= kMaxLobby && !m_lobby.count(id))
        return warning("lobby.full", "more than " + std::to_string(kMaxLobby) +
                                         " people are waiting; a knock was not shown");

    LobbyEntry entry;
    entry.announcement = *announcement;
    entry.name = body->name.trimmed();
    entry.fingerprint = fingerprint(envelope.sender);
    entry.knockedAt = m_clock.now();
    if (!body->invite.isEmpty())
        evaluateInvite(entry, *body);
    // Someone the chair sent back to the waiting room was vetted at their first admission; the
    // invite they show again is spent by then, so it is not what decides.
    if (const auto returning = m_returning.find(id); returning != m_returning.end()) {
        entry.inviteMatch = InviteMatch::Returning;
        entry.inviteProblem.clear();
        entry.name = returning->second;
    }
    if (m_contacts)
        entry.contactStatus = m_contacts->status(entry.name, envelope.sender);
    entry.keyVerified = entry.inviteMatch == InviteMatch::Returning ||
                        (entry.inviteMatch == InviteMatch::Invited && entry.invite->identity) ||
                        entry.contactStatus == QLatin1String("known");
    MeetingEvents events{ev::Knock{entry.name, body->name, entry.fingerprint,
                                   keyId(envelope.sender), QString::fromLatin1(id.toHex()),
                                   entry.inviteMatch, entry.inviteProblem, entry.contactStatus,
                                   entry.keyVerified}};
    if (entry.contactStatus == QLatin1String("key_changed"))
        events.push_back(ev::Warning{
            QStringLiteral("contact.key_changed"),
            QStringLiteral("%1 is knocking with a different identity key from the one this "
                           "device knows for that name: check with them through "
                           "another channel before admitting")
                .arg(entry.name)});
    m_lobby[id] = std::move(entry);
    gone.insert(gone.end(), events.begin(), events.end());
    return gone;
}

MeetingEvents ChairSession::onChat(const protocol::Envelope& envelope)
{
    const crypto::RosterEntry* from = m_keys.roster().findIdentity(envelope.sender);
    auto body = ChatBody::decode(envelope.body);
    const crypto::SecureBuffer* key =
        body ? m_chatKeys.keyFor(body->epoch, m_clock.now()) : nullptr;
    if (!from || !body || !key)
        return {ev::Warning{
            QStringLiteral("chat.dropped"),
            QStringLiteral("a chat message from outside the roster or another epoch was dropped")}};
    auto message = ChatMessage::open(*key, m_descriptor.meetingId, *body, envelope.sender);
    if (!message)
        return {ev::Warning{qs(message.error().code), qs(message.error().message)}};
    return {
        ev::Chat{qs(from->name), fingerprint(envelope.sender), message->marking, message->text}};
}

MeetingEvents ChairSession::onLeave(const protocol::Envelope& envelope)
{
    return memberGone(envelope.sender);
}

MeetingEvents ChairSession::onDisconnected(const crypto::Ed25519PublicKey& who)
{
    return memberGone(who);
}

MeetingEvents ChairSession::memberGone(const crypto::Ed25519PublicKey& who)
{
    const crypto::RosterEntry* member = m_keys.roster().findIdentity(who);
    if (!member || member->role == crypto::MemberRole::Chair) {
        const auto it = m_lobby.find(keyBytes(who));
        if (it == m_lobby.end())
            return {};
        const QString name = it->second.name;
        m_lobby.erase(it);
        return {ev::KnockerLeft{name, fingerprint(who)}};
    }
    const uint32_t index = member->index;
    const QString name = qs(member->name);
    auto remaining = m_keys.roster().without(std::span<const uint32_t>(&index, 1));
    if (!remaining)
        return {};
    m_coChairs.erase(keyBytes(who)); // a delegation ends when its holder leaves
    auto events = rekey(crypto::CommitReason::Left, *remaining);
    MeetingEvents out{ev::Left{name, fingerprint(who)}};
    if (events)
        out.insert(out.end(), events->begin(), events->end());
    return out;
}

Result<MeetingEvents> ChairSession::admit(const crypto::Ed25519PublicKey& who,
                                          crypto::MemberRole role)
{
    if (role != crypto::MemberRole::Participant && role != crypto::MemberRole::Observer)
        return commandError("meeting.bad_role",
                            "knockers are admitted as participants or observers");
    return admitEntries({keyBytes(who)}, role);
}

Result<MeetingEvents> ChairSession::admitAllInvited()
{
    // Only keys the chair already trusts: an invite link can leak, and a first-contact key
    // redeeming it is admitted only by the chair's own look at its fingerprint.
    std::vector<QByteArray> invited;
    std::set<QByteArray> inviteIds;
    QStringList unverified;
    for (const auto& [id, entry] : m_lobby) {
        if (entry.inviteMatch != InviteMatch::Invited)
            continue;
        if (!entry.keyVerified || !inviteIds.insert(entry.invite->inviteId).second)
            unverified.append(entry.name);
        else
            invited.push_back(id);
    }
    MeetingEvents events;
    if (!invited.empty()) {
        auto admitted = admitEntries(invited); // one COMMIT for all of them
        if (!admitted)
            return admitted.error();
        events = std::move(admitted).value();
    }
    if (!unverified.isEmpty())
        events.push_back(ev::Warning{
            QStringLiteral("lobby.unverified_left_waiting"),
            QStringLiteral("left waiting: %1 - their keys are new to this device; compare "
                           "each fingerprint with the person (phone, in the room) and "
                           "admit them one by one")
                .arg(unverified.join(QStringLiteral(", ")))});
    return events;
}

Result<MeetingEvents> ChairSession::admitEntries(const std::vector<QByteArray>& identities,
                                                 crypto::MemberRole role)
{
    if (auto ended = refuseIfEnded(); !ended)
        return ended.error();
    std::vector<crypto::Admission> admissions;
    std::map<QByteArray, QString> redeemedBy; ///< invite id -> who redeems it in this batch
    for (const QByteArray& id : identities) {
        const auto it = m_lobby.find(id);
        if (it == m_lobby.end())
            return commandError("meeting.not_waiting",
                                "nobody with that identity is waiting to be admitted");
        if (const auto& invite = it->second.invite;
            invite && it->second.inviteMatch == InviteMatch::Invited) {
            const auto owner = m_invites[invite->inviteId].usedBy;
            if ((owner && *owner != id) ||
                !redeemedBy.emplace(invite->inviteId, it->second.name).second)
                return commandError(
                    "meeting.invite_reused",
                    it->second.name.toStdString() +
                        " knocked with a single-use invite that someone else has already " +
                        "used or is using in this admission; a single-use invite admits one " +
                        "identity - admit one of them, or send the other a new invite");
        }
        if (m_descriptor.options.invitesRequired &&
            it->second.inviteMatch != InviteMatch::Invited &&
            it->second.inviteMatch != InviteMatch::Returning)
            return commandError(
                "meeting.invite_required",
                it->second.name.toStdString() + " has no valid invite (" +
                    (it->second.inviteProblem.isEmpty() ? std::string("none shown")
                                                        : it->second.inviteProblem.toStdString()) +
                    "), and this " + m_marking.canonical +
                    " meeting admits only people with a per-person invite; send them one");
        admissions.push_back({it->second.announcement, role, it->second.name.toStdString()});
    }
    if (auto paced = m_epochPacer.mayChange(m_clock.now()); !paced)
        return paced.error(); // they keep waiting; admitting again in a moment works
    auto commit = m_keys.admit(admissions);
    if (!commit)
        return commit.error();
    m_epochPacer.changed(m_clock.now());
    MeetingEvents events;
    for (const QByteArray& id : identities) {
        LobbyEntry& entry = m_lobby.at(id);
        if (entry.invite && entry.inviteMatch == InviteMatch::Invited)
            m_invites[entry.invite->inviteId].usedBy = id;
        m_returning.erase(id);
        if (m_contacts)
            m_contacts->remember(entry.name, entry.announcement.identity);
        m_outbox.post(MessageType::Admit, TargetBody{entry.announcement.identity, {}}.encode());
        events.push_back(
            ev::Admitted{entry.name, entry.fingerprint,
                         m_keys.roster().findIdentity(entry.announcement.identity)->index});
        m_lobby.erase(id);
    }
    // The description in force first, so a newcomer the hub showed an older one learns the
    // current one before the COMMIT that is bound to it.
    m_outbox.post(MessageType::Descriptor, BlobBody{signedDescriptor()}.encode());
    m_outbox.post(MessageType::Commit, BlobBody{toQByteArray(commit->encode())}.encode());
    tellNewcomersTheStanding();
    m_lastEpochChange = m_clock.now();
    installChatKey();
    events.push_back(rosterEvent());
    events.push_back(epochEvent());
    return events;
}

Result<MeetingEvents> ChairSession::deny(const crypto::Ed25519PublicKey& who, const QString& reason)
{
    const QByteArray id = keyBytes(who);
    const auto it = m_lobby.find(id);
    if (it == m_lobby.end())
        return commandError("meeting.not_waiting",
                            "nobody with that identity is waiting to be admitted");
    const QString name = it->second.name;
    m_lobby.erase(it);
    m_outbox.post(MessageType::Deny, TargetBody{who, reason}.encode());
    MeetingEvents events{ev::Denied{name, fingerprint(who), reason}};
    if (++m_denials[id] >= kDenialsBeforeBlock) {
        m_banned.insert(id);
        events.push_back(ev::Blocked{name, fingerprint(who)});
    }
    return events;
}

Result<MeetingEvents> ChairSession::remove(const crypto::Ed25519PublicKey& who,
                                           const QString& reason)
{
    return takeOutOfRoom(who, reason, Departure::Removed);
}

Result<MeetingEvents> ChairSession::sendToLobby(const crypto::Ed25519PublicKey& who,
                                                const QString& reason)
{
    return takeOutOfRoom(who, reason, Departure::ToLobby);
}

Result<MeetingEvents> ChairSession::takeOutOfRoom(const crypto::Ed25519PublicKey& who,
                                                  const QString& reason, Departure departure)
{
    if (auto ended = refuseIfEnded(); !ended)
        return ended.error();
    const crypto::RosterEntry* member = m_keys.roster().findIdentity(who);
    if (!member || member->role == crypto::MemberRole::Chair)
        return commandError("meeting.not_member",
                            "that identity is not a participant of this meeting");
    const uint32_t index = member->index;
    const QString name = qs(member->name);
    auto remaining = m_keys.roster().without(std::span<const uint32_t>(&index, 1));
    if (!remaining)
        return remaining.error();
    const QByteArray id = keyBytes(who);
    m_room.leaves(id);
    m_coChairs.erase(id);
    // The message goes out before the COMMIT, so the hub takes them out of the room first and
    // they never receive the new epoch.
    if (departure == Departure::Removed) {
        m_banned.insert(id);
        m_returning.erase(id);
        m_outbox.post(MessageType::Remove, TargetBody{who, reason}.encode());
    } else {
        m_returning[id] = name; // not banned: they may knock again and be re-admitted
        m_outbox.post(MessageType::Control, ControlBody{ControlAction::ToLobby, who}.encode());
    }
    auto events = rekey(crypto::CommitReason::Removed, *remaining);
    if (!events)
        return events.error();
    events->insert(events->begin(),
                   departure == Departure::Removed
                       ? MeetingEvent{ev::Removed{name, fingerprint(who), reason}}
                       : MeetingEvent{ev::SentToLobby{name, fingerprint(who), reason}});
    return events;
}

Result<MeetingEvents> ChairSession::rekey(crypto::CommitReason reason,
                                          const crypto::Roster& remaining)
{
    // Departures never wait (the one gone must not keep the key); any other rekey keeps to the
    // pace and, when it must wait, is owed and done by tick().
    const bool departure =
        reason == crypto::CommitReason::Removed || reason == crypto::CommitReason::Left;
    if (!departure && !m_epochPacer.mayChange(m_clock.now())) {
        m_rekeyOwed = reason;
        return MeetingEvents{};
    }
    auto commit = m_keys.rekey(reason, remaining);
    if (!commit)
        return commit.error();
    m_epochPacer.changed(m_clock.now());
    m_rekeyOwed.reset();
    m_outbox.post(MessageType::Commit, BlobBody{toQByteArray(commit->encode())}.encode());
    m_lastEpochChange = m_clock.now();
    installChatKey();
    return MeetingEvents{rosterEvent(), epochEvent()};
}

MeetingEvents ChairSession::tick()
{
    if (m_room.ended())
        return {};
    const TimePoint now = m_clock.now();
    MeetingEvents events;
    if (now - m_lastHeartbeat >= kHeartbeatInterval) {
        m_outbox.post(MessageType::Heartbeat, EpochBody{m_keys.currentEpoch()}.encode());
        m_lastHeartbeat = now;
    }
    if (m_keys.roster().size() > 1 && now - m_lastEpochChange >= kRekeyInterval)
        if (auto rotated = rekey(crypto::CommitReason::Periodic, m_keys.roster()))
            events = std::move(rotated).value();
    if (m_rekeyOwed && m_keys.roster().size() > 1 && m_epochPacer.mayChange(now))
        if (auto owed = rekey(*m_rekeyOwed, m_keys.roster()))
            events.insert(events.end(), owed->begin(), owed->end());
    const MeetingEvents resent = resyncLaggards();
    events.insert(events.end(), resent.begin(), resent.end());
    return events;
}

} // namespace conclave::meeting
