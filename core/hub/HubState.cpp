// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/HubState.h"

#include "crypto/Fingerprint.h"
#include "meeting/MessageBodies.h"
#include "protocol/SenderRoles.h"

#include <vector>

namespace conclave::hub {
namespace {

using protocol::MessageType;

QByteArray keyBytes(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), 32);
}

QString text(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::string formatRate(double perSecond)
{
    return QString::number(perSecond, 'g', 3).toStdString();
}

template <typename Body>
Result<Body> decodeBody(const protocol::Envelope& e)
{
    return Body::decode(e.body);
}

} // namespace

HubState::HubState(HubLimits limits, const Clock& clock, DescriptorGate gate)
    : m_limits(std::move(limits)), m_clock(clock), m_gate(std::move(gate)),
      m_knockGate(m_limits, clock), m_sources(m_limits)
{
}

const HubMeeting* HubState::meeting(const QByteArray& meetingId) const
{
    const auto it = m_meetings.find(meetingId);
    return it == m_meetings.end() ? nullptr : &it->second;
}

HubMeeting* HubState::findMeeting(const QByteArray& meetingId)
{
    const auto it = m_meetings.find(meetingId);
    return it == m_meetings.end() ? nullptr : &it->second;
}

HubConnection* HubState::connection(ConnectionId id)
{
    const auto it = m_connections.find(id);
    return it == m_connections.end() ? nullptr : &it->second;
}

HubEvent HubState::eventFor(HubEvent::Kind kind, const HubConnection& c) const
{
    HubEvent ev;
    ev.kind = kind;
    ev.meetingId = c.meetingId;
    ev.identity = c.identity;
    ev.source = c.source;
    return ev;
}

// --- connections -------------------------------------------------------------------------

HubOutput HubState::open(ConnectionId id, const QString& source)
{
    HubOutput out;
    const TimePoint now = m_clock.now();
    const double strikeRate =
        double(m_limits.maxStrikes) / double(std::max<int64_t>(1, m_limits.strikeWindow.count()));
    auto [it, inserted] =
        m_connections.try_emplace(id, id, source, now, strikeRate, double(m_limits.maxStrikes));
    if (!inserted)
        return out;
    HubConnection& c = it->second;
    if (auto ok = m_sources.openConnection(source); !ok) {
        ++m_stats.connectionsRefused;
        out.notify(id, HubNotice::refused(ok.error().code, ok.error().message));
        c.closing = true;
        out.close(id);
        HubEvent ev = eventFor(HubEvent::Kind::ConnectionRefused, c);
        ev.code = text(ok.error().code);
        ev.reason = text(ok.error().message);
        out.event(std::move(ev));
        return out;
    }
    c.counted = true;
    return out;
}

HubOutput HubState::closed(ConnectionId id)
{
    HubOutput out;
    HubConnection* c = connection(id);
    if (!c)
        return out;
    if (!c->closing)
        detach(out, *c, "disconnected", true);
    if (c->counted)
        m_sources.closeConnection(c->source);
    m_connections.erase(id);
    return out;
}

HubOutput HubState::tick()
{
    HubOutput out;
    const TimePoint now = m_clock.now();
    std::vector<ConnectionId> idle;
    for (const auto& [id, c] : m_connections)
        if (!c.closing && !c.bound() && now - c.openedAt >= m_limits.unboundTimeout)
            idle.push_back(id);
    for (ConnectionId id : idle) {
        HubConnection& c = *connection(id);
        refuse(out, c, HubEvent::Kind::ConnectionRefused,
               makeError("hub.idle", "no create or knock within " +
                                         std::to_string(m_limits.unboundTimeout.count()) +
                                         " seconds of connecting"));
    }

    std::vector<std::pair<QByteArray, QByteArray>> expired; // (meeting, knocker)
    for (const auto& [meetingId, m] : m_meetings)
        for (const auto& [who, k] : m.lobby())
            if (now - k.since >= m_limits.knockerTimeout)
                expired.emplace_back(meetingId, who);
    for (const auto& [meetingId, who] : expired) {
        HubMeeting* m = findMeeting(meetingId);
        auto k = m ? m->takeKnocker(who) : std::nullopt;
        if (!k)
            continue;
        const Error why =
            makeError("lobby.timeout", "nobody answered the knock within " +
                                           std::to_string(m_limits.knockerTimeout.count()) +
                                           " seconds; knock again if you still want to join");
        out.notify(k->connection, HubNotice::refused(why.code, why.message));
        notifyLobbyKeepers(out, *m, HubNotice::left(who, true, "timed out"));
        if (HubConnection* c = connection(k->connection)) {
            HubEvent ev = eventFor(HubEvent::Kind::Left, *c);
            ev.code = text(why.code);
            ev.detail = QStringLiteral("timed out");
            out.event(std::move(ev));
        }
        hangUp(out, k->connection, "timed out");
    }
    expireAway(out);
    m_sources.prune(now);
    for (auto& [meetingId, m] : m_meetings)
        m.forgetExpiredInvites(now);
    noteSequences();
    return out;
}

// --- intake ------------------------------------------------------------------------------

HubOutput HubState::receive(ConnectionId id, const QByteArray& message)
{
    HubOutput out;
    HubConnection* c = connection(id);
    if (!c || c->closing)
        return out;
    ++m_stats.messages;
    if (message.size() > m_limits.maxMessageBytes) {
        drop(out, *c,
             makeError("protocol.too_large", "the message is " + std::to_string(message.size()) +
                                                 " bytes; the limit is " +
                                                 std::to_string(m_limits.maxMessageBytes)));
        return out;
    }
    auto envelope = Envelope::decode(message);
    if (!envelope) {
        drop(out, *c, envelope.error());
        return out;
    }
    // Rate before signature: a flood of knocks must cost the hub as little as possible.
    if (!c->bound() && envelope->type == MessageType::Knock &&
        !m_sources.takeKnock(c->source, m_clock.now())) {
        refuse(out, *c, HubEvent::Kind::KnockRefused,
               makeError("rate_limited", "too many knocks from " + c->source.toStdString() +
                                             "; wait a few seconds and knock again"),
               &*envelope);
        return out;
    }
    // A member's flood of one type (signal, ack, request ...) is cut here, before the
    // signature check, so it costs the hub as little as possible and slows only its sender.
    if (c->bound()) {
        const MessageRate& rate = m_limits.messageRates[envelope->type];
        auto& bucket = c->rates[size_t(envelope->type)];
        if (!bucket)
            bucket.emplace(rate.perSecond, rate.burst, m_clock.now());
        if (!bucket->take(m_clock.now())) {
            drop(out, *c,
                 makeError("hub.rate_limited",
                           "more than " + std::to_string(int(rate.burst)) + " '" +
                               std::string(protocol::toString(envelope->type)) +
                               "' messages at once (or more than " + formatRate(rate.perSecond) +
                               " a second) from this connection; the message was not relayed - "
                               "slow down"));
            return out;
        }
    }
    if (!envelope->verify()) {
        drop(out, *c,
             makeError("protocol.bad_signature",
                       "the message's signature does not verify; it was altered or forged"));
        return out;
    }
    if (!c->bound()) {
        handleUnbound(out, *c, *envelope, message);
        return out;
    }
    if (envelope->meetingId != c->meetingId || keyBytes(envelope->sender) != c->identity) {
        drop(out, *c,
             makeError("hub.wrong_sender",
                       "this connection speaks for one identity in one meeting; the message is "
                       "for another meeting or signed by another key"));
        return out;
    }
    HubMeeting* m = findMeeting(c->meetingId);
    if (!m) { // cannot normally happen: a meeting's connections close with it
        hangUp(out, c->id, "meeting gone");
        return out;
    }
    dispatch(out, *c, *m, *envelope, message);
    return out;
}

void HubState::handleUnbound(HubOutput& out, HubConnection& c, const Envelope& e,
                             const QByteArray& raw)
{
    if (e.type == MessageType::Create)
        handleCreate(out, c, e);
    else if (e.type == MessageType::Knock)
        handleKnock(out, c, e, raw);
    else if (e.type == MessageType::Resume)
        handleResume(out, c, e, raw);
    else
        drop(out, c,
             makeError("hub.not_joined", "send create (chair), knock (everyone else) or resume (a "
                                         "member coming back) first"));
}

void HubState::handleCreate(HubOutput& out, HubConnection& c, const Envelope& e)
{
    const auto reject = [&](const Error& error) {
        refuse(out, c, HubEvent::Kind::ConnectionRefused, error, &e);
    };
    // Who may host here is the operator's choice, checked before anything is decoded further.
    if (!m_limits.allowAnyChair && !m_limits.allowedChairs.allows(e.sender))
        return reject(makeError(
            "hub.chair_not_allowed",
            "this hub hosts meetings only for chairs its operator has listed, and the identity "
            "with fingerprint " +
                crypto::publicKeyFingerprint(e.sender.view()) +
                " is not one of them; ask the hub's operator to allow it (conclave-hub "
                "--allow-chair), or host the meeting on this computer instead"));
    auto body = decodeBody<meeting::CreateBody>(e);
    if (!body)
        return reject(body.error());
    auto descriptor = m_gate.checkNew(body->descriptor, e.meetingId, e.sender, m_clock.now());
    if (!descriptor)
        return reject(descriptor.error());
    const QByteArray chair = keyBytes(e.sender);

    if (HubMeeting* existing = findMeeting(e.meetingId)) {
        // The chair may come back after losing its connection; nobody else may reuse an id.
        if (existing->chairChanged() && !existing->isChair(chair))
            return reject(makeError("meeting.chair_changed",
                                    "a co-chair you delegated took the meeting over while you "
                                    "were away; join with an invite as a participant"));
        if (!existing->isChair(chair))
            return reject(
                makeError("meeting.exists", "a meeting with this id is already open on this hub"));
        if (descriptor->revision < existing->descriptor().revision)
            return reject(
                makeError("descriptor.stale", "the descriptor is older than the one in force"));
        if (auto seq = existing->acceptSequence(e); !seq)
            return reject(seq.error());
        if (descriptor->revision > existing->descriptor().revision)
            existing->replaceDescriptor(*descriptor, body->descriptor);
        // A fresh, signed create (its seq above every earlier one) is the chair itself: an
        // earlier connection the hub has not yet seen die gives way to it.
        if (const auto earlier = existing->chairConnection())
            retire(out, *earlier);
        existing->addMember(chair, c.id);
        announcePresence(out, *existing, chair, true);
        out.mediaRoom({MediaRoomChange::Kind::Join, e.meetingId, chair, c.id});
        existing->chairHeard(m_clock.now());
        existing->noteSequences(); // a binding message: saved at once, not at the next tick
        c.meetingId = e.meetingId;
        c.identity = chair;
        out.notify(c.id, HubNotice::created());
        out.event(eventFor(HubEvent::Kind::ChairReturned, c));
        return;
    }
    if (qsizetype(m_meetings.size()) >= m_limits.maxMeetings)
        return reject(makeError("hub.full", "this hub is hosting as many meetings as it is "
                                            "configured for; try again later or use another"));
    HubMeeting fresh(*descriptor, body->descriptor, m_clock.now());
    if (auto seq = fresh.acceptSequence(e); !seq)
        return reject(seq.error());
    fresh.addMember(chair, c.id);
    HubMeeting& opened = m_meetings.emplace(e.meetingId, std::move(fresh)).first->second;
    if (m_keepChanges)
        opened.keepChanges(&m_changes, true);
    out.mediaRoom({MediaRoomChange::Kind::Open, e.meetingId, {}, 0});
    out.mediaRoom({MediaRoomChange::Kind::Join, e.meetingId, chair, c.id});
    c.meetingId = e.meetingId;
    c.identity = chair;
    out.notify(c.id, HubNotice::created());
    HubEvent ev = eventFor(HubEvent::Kind::MeetingCreated, c);
    ev.detail = descriptor->marking;
    out.event(std::move(ev));
}

void HubState::handleKnock(HubOutput& out, HubConnection& c, const Envelope& e,
                           const QByteArray& raw)
{
    HubMeeting* m = findMeeting(e.meetingId);
    if (!m)
        return refuse(out, c, HubEvent::Kind::KnockRefused,
                      makeError("meeting.unknown",
                                "no meeting with this id is open on this hub; check the invite, "
                                "or the meeting has not started or has ended"),
                      &e);
    auto body = decodeBody<meeting::KnockBody>(e);
    if (!body)
        return refuse(out, c, HubEvent::Kind::KnockRefused, body.error(), &e);
    auto pass = m_knockGate.check(*m, e, *body);
    if (!pass)
        return refuse(out, c, HubEvent::Kind::KnockRefused, pass.error(), &e);
    const QByteArray& invite = pass->inviteId;
    // The sequence is checked last so refused knocks leave no state behind.
    if (auto seq = m->acceptSequence(e); !seq)
        return refuse(out, c, HubEvent::Kind::KnockRefused, seq.error(), &e);
    const QByteArray who = keyBytes(e.sender);
    const bool returning = m->isReturning(who);
    c.meetingId = e.meetingId;
    c.identity = who;
    m->queue(who, {c.id, invite, m_clock.now(), pass->inviteExpires});
    ++m_stats.knocksQueued;
    out.notify(c.id, HubNotice::lobbyNotice(m->signedDescriptor(), m->succession()));
    out.send(*m->chairConnection(), raw); // only the chair and its co-chairs see a knock
    for (ConnectionId coChair : m->coChairConnections())
        out.send(coChair, raw);
    HubEvent ev = eventFor(HubEvent::Kind::KnockQueued, c);
    ev.detail = returning          ? QStringLiteral("returning")
                : invite.isEmpty() ? QStringLiteral("uninvited")
                                   : QStringLiteral("invited");
    out.event(std::move(ev));
}

void HubState::handleResume(HubOutput& out, HubConnection& c, const Envelope& e,
                            const QByteArray& raw)
{
    const auto reject = [&](const Error& error) {
        refuse(out, c, HubEvent::Kind::ConnectionRefused, error, &e);
    };
    HubMeeting* m = findMeeting(e.meetingId);
    if (!m && m_ended.count(e.meetingId))
        return reject(makeError("meeting.ended",
                                "the chair ended the meeting while your connection was down"));
    if (!m)
        return reject(makeError("meeting.unknown",
                                "no meeting with this id is open on this hub (yet): the hub may "
                                "have been restarted, and the chair not be back yet"));
    auto body = decodeBody<meeting::EpochBody>(e);
    if (!body)
        return reject(body.error());
    const QByteArray who = keyBytes(e.sender);
    if (m->isBanned(who)) {
        // Said as a removal, which is what it is: the member's client ends for that reason.
        out.notify(c.id, HubNotice::removed(QStringLiteral(
                             "you were removed from the meeting while your connection was down")));
        HubEvent ev = eventFor(HubEvent::Kind::ConnectionRefused, c);
        ev.meetingId = e.meetingId;
        ev.identity = who;
        ev.code = QStringLiteral("meeting.banned");
        out.event(std::move(ev));
        return hangUp(out, c.id, "banned");
    }
    if (m->isReturning(who))
        return reject(makeError("resume.sent_to_lobby",
                                "the chair sent you back to the waiting room while your "
                                "connection was down; knock again to be let in"));
    if (m->isChair(who))
        return reject(makeError("resume.chair",
                                "the chair comes back by sending create for its meeting again"));
    if (!m->isMember(who))
        return reject(makeError(
            "resume.not_member",
            "you are no longer in this meeting: you were away longer than the hub keeps a place (" +
                std::to_string(m_limits.resumeGrace.count()) +
                " s), you left, or the chair changed while you were away; knock again with your "
                "invite"));
    if (auto seq = m->acceptSequence(e); !seq)
        return reject(seq.error());
    if (const auto earlier = m->memberConnection(who))
        retire(out, *earlier);
    m->addMember(who, c.id);
    m->noteSequences(); // a binding message: saved at once, not at the next tick
    c.meetingId = e.meetingId;
    c.identity = who;
    out.mediaRoom({MediaRoomChange::Kind::Join, e.meetingId, who, c.id});
    out.notify(c.id, HubNotice::resumed());
    announcePresence(out, *m, who, true);
    // The chair answers with a resync; a chair away itself resyncs everyone when it is back.
    if (const auto chair = m->chairConnection())
        out.send(*chair, raw);
    out.event(eventFor(HubEvent::Kind::Resumed, c));
}

void HubState::retire(HubOutput& out, ConnectionId old)
{
    HubConnection* previous = connection(old);
    if (!previous || previous->closing)
        return;
    previous->closing = true; // gone quietly: its identity is about to be on a new connection
    out.close(old);
}

void HubState::announcePresence(HubOutput& out, const HubMeeting& m, const QByteArray& who,
                                bool back)
{
    const QByteArray notice = back ? HubNotice::back(who).encode() : HubNotice::away(who).encode();
    forward(out, m, notice, who);
}

void HubState::expireAway(HubOutput& out)
{
    const TimePoint cutoff = m_clock.now() - m_limits.resumeGrace;
    std::vector<std::pair<QByteArray, QByteArray>> gone; // (meeting, member)
    for (const auto& [meetingId, m] : m_meetings)
        for (const QByteArray& who : m.awayLongerThan(cutoff))
            gone.emplace_back(meetingId, who);
    for (const auto& [meetingId, who] : gone) {
        HubEvent ev;
        ev.kind = HubEvent::Kind::Left;
        ev.meetingId = meetingId;
        ev.identity = who;
        ev.detail = QStringLiteral("did not come back");
        out.event(std::move(ev));
        memberGone(out, meetingId, who, "disconnected", {});
    }
}

void HubState::dispatch(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                        const QByteArray& raw)
{
    const bool member = m.memberConnection(c.identity) == c.id;
    if (member && m.isChair(c.identity))
        m.chairHeard(m_clock.now());
    // Who may send what is one table, the one every client's EnvelopeGuard reads too.
    const protocol::Sender sender = protocol::senderRule(e.type).sender;
    const auto alreadyJoined = [&] {
        drop(out, c,
             makeError("hub.already_joined",
                       "this connection has already created or knocked; open a new one"));
    };
    // The one knock a bound connection may send: the chair moved it from the room back to the
    // lobby (`control to-lobby`), and it knocks again with a new ephemeral key.
    if (sender == protocol::Sender::Knocker && !member && !m.knocker(c.identity) &&
        m.isReturning(c.identity))
        return handleKnock(out, c, e, raw);
    if (sender == protocol::Sender::Knocker)
        return alreadyJoined();
    if (sender == protocol::Sender::Chair) {
        // Checked first, `create` included: anyone but the chair sending a chair-only type is
        // claiming the chair's authority, and is logged for it.
        if (!m.isChair(c.identity)) {
            HubEvent ev = eventFor(HubEvent::Kind::Unauthorised, c);
            ev.code = QStringLiteral("hub.not_chair");
            ev.detail = text(protocol::toString(e.type));
            out.event(std::move(ev));
            return drop(out, c,
                        makeError("hub.not_chair", "only the chair may send '" +
                                                       std::string(protocol::toString(e.type)) +
                                                       "'; the message was not relayed"));
        }
        if (!member)
            return drop(out, c, makeError("hub.not_admitted", "the chair is not connected"));
        if (e.type == MessageType::Create)
            return alreadyJoined();
        return handleChair(out, c, m, e, raw);
    }
    if (sender == protocol::Sender::MemberOrKnocker && !member) {
        const HubMeeting::Knocker* k = m.knocker(c.identity);
        if (!k || k->connection != c.id)
            return drop(out, c, makeError("hub.not_admitted", "not in the meeting"));
        // A knocker withdrawing: the chair learns it from the hub, not from the knocker.
        if (auto body = decodeBody<meeting::EpochBody>(e); !body)
            return drop(out, c, body.error());
        if (!acceptSequence(out, c, m, e))
            return;
        m.takeKnocker(c.identity);
        notifyLobbyKeepers(out, m, HubNotice::left(c.identity, true, "withdrew"));
        HubEvent ev = eventFor(HubEvent::Kind::Left, c);
        ev.detail = QStringLiteral("withdrew");
        out.event(std::move(ev));
        return hangUp(out, c.id, "withdrew");
    }
    if (!member)
        return drop(out, c,
                    makeError("hub.not_admitted",
                              "you are waiting in the lobby; nothing is relayed until the chair "
                              "admits you"));
    if (sender == protocol::Sender::CoChair && refuseUnlessCoChair(out, c, m, e))
        return;
    handleMember(out, c, m, e, raw);
}

// --- helpers -----------------------------------------------------------------------------

void HubState::drop(HubOutput& out, HubConnection& c, const Error& error, bool strike)
{
    ++m_stats.dropped;
    out.notify(c.id, HubNotice::error(error.code, error.message));
    HubEvent ev = eventFor(HubEvent::Kind::Dropped, c);
    ev.code = text(error.code);
    ev.reason = text(error.message);
    out.event(std::move(ev));
    if (!strike || c.strikes.take(m_clock.now()))
        return;
    ++m_stats.disconnectedForErrors;
    out.notify(c.id, HubNotice::error("hub.too_many_errors",
                                      "too many invalid messages; the hub closed the connection"));
    out.event(eventFor(HubEvent::Kind::Disconnected, c));
    hangUp(out, c.id, "too many invalid messages");
}

void HubState::refuse(HubOutput& out, HubConnection& c, HubEvent::Kind kind, const Error& error,
                      const Envelope* e)
{
    if (kind == HubEvent::Kind::KnockRefused)
        ++m_stats.knocksRefused;
    out.notify(c.id, HubNotice::refused(error.code, error.message));
    HubEvent ev = eventFor(kind, c);
    if (e && !c.bound()) {
        ev.meetingId = e->meetingId;
        ev.identity = keyBytes(e->sender);
    }
    ev.code = text(error.code);
    ev.reason = text(error.message);
    out.event(std::move(ev));
    hangUp(out, c.id, error.code);
}

bool HubState::acceptSequence(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e)
{
    if (auto seq = m.acceptSequence(e); !seq) {
        drop(out, c, seq.error());
        return false;
    }
    return true;
}

void HubState::forward(HubOutput& out, const HubMeeting& m, const QByteArray& raw,
                       const QByteArray& except) const
{
    for (ConnectionId to : m.memberConnections(except))
        out.send(to, raw);
}

void HubState::hangUp(HubOutput& out, ConnectionId id, std::string_view why)
{
    HubConnection* c = connection(id);
    if (!c || c->closing)
        return;
    detach(out, *c, why);
    c->closing = true;
    out.close(id);
}

void HubState::detach(HubOutput& out, HubConnection& c, std::string_view why, bool dropped)
{
    HubMeeting* m = c.bound() ? findMeeting(c.meetingId) : nullptr;
    if (!m)
        return;
    if (m->memberConnection(c.identity) == c.id) {
        if (dropped && m_limits.resumeGrace.count() > 0) {
            // Its place is kept: the member may resume on a new connection (or the chair
            // create again) before the grace is over; until then nobody can be admitted
            // without the chair, and everyone else is told it is away.
            m->setAway(c.identity, m_clock.now());
            out.mediaRoom({MediaRoomChange::Kind::Leave, c.meetingId, c.identity, 0});
            announcePresence(out, *m, c.identity, false);
            if (m->isChair(c.identity))
                turnAwayKnockers(out, *m,
                                 makeError("meeting.chair_absent",
                                           "the chair's connection dropped, so nobody can be "
                                           "admitted; knock again in a moment"));
            out.event(eventFor(HubEvent::Kind::Away, c));
            return;
        }
        HubEvent ev = eventFor(HubEvent::Kind::Left, c);
        ev.detail = text(why);
        out.event(std::move(ev));
        return memberGone(out, c.meetingId, c.identity, why, {});
    }
    const HubMeeting::Knocker* k = m->knocker(c.identity);
    if (k && k->connection == c.id) {
        m->takeKnocker(c.identity);
        notifyLobbyKeepers(out, *m, HubNotice::left(c.identity, true, why));
        HubEvent ev = eventFor(HubEvent::Kind::Left, c);
        ev.detail = text(why);
        out.event(std::move(ev));
    }
}

void HubState::memberGone(HubOutput& out, const QByteArray& meetingId, const QByteArray& who,
                          std::string_view why, const QByteArray& leaveEnvelope)
{
    HubMeeting* m = findMeeting(meetingId);
    if (!m || !m->removeMember(who))
        return;
    out.mediaRoom({MediaRoomChange::Kind::Leave, meetingId, who, 0});
    // Members hear the signed leave when there is one; otherwise the hub's word that the
    // connection went, which the chair treats as a reason to rekey.
    const QByteArray notice =
        leaveEnvelope.isEmpty() ? HubNotice::left(who, false, why).encode() : leaveEnvelope;
    forward(out, *m, notice, who);
    if (m->isChair(who))
        turnAwayKnockers(out, *m,
                         makeError("meeting.chair_absent",
                                   "the chair left, so nobody can be admitted; knock again "
                                   "when the chair is back"));
    if (m->members().empty())
        endMeeting(out, meetingId, "empty", false);
}

void HubState::notifyLobbyKeepers(HubOutput& out, const HubMeeting& m,
                                  const HubNotice& notice) const
{
    if (auto chair = m.chairConnection())
        out.notify(*chair, notice);
    for (ConnectionId coChair : m.coChairConnections())
        out.notify(coChair, notice);
}

void HubState::turnAwayKnockers(HubOutput& out, HubMeeting& m, const Error& why)
{
    // Nobody can be admitted without the chair, so nobody is kept waiting for it.
    std::vector<QByteArray> waiting;
    for (const auto& [who, k] : m.lobby())
        waiting.push_back(who);
    for (const QByteArray& who : waiting) {
        auto k = m.takeKnocker(who);
        HubConnection* kc = connection(k->connection);
        if (!kc)
            continue;
        refuse(out, *kc, HubEvent::Kind::KnockRefused, why);
    }
}

void HubState::endMeeting(HubOutput& out, const QByteArray& meetingId, std::string_view why,
                          bool notifyEnded)
{
    const auto it = m_meetings.find(meetingId);
    if (it == m_meetings.end())
        return;
    std::vector<ConnectionId> everyone = it->second.memberConnections();
    for (const auto& [who, k] : it->second.lobby())
        everyone.push_back(k.connection);
    m_meetings.erase(it);
    if (notifyEnded) // ended by the chair (not emptied): say so to anyone coming back
        m_ended.insert(meetingId);
    if (m_keepChanges)
        m_changes.push_back(
            {.kind = HubChange::Kind::Closed, .meetingId = meetingId, .on = notifyEnded});
    out.mediaRoom({MediaRoomChange::Kind::Close, meetingId, {}, 0});
    for (ConnectionId id : everyone) {
        HubConnection* c = connection(id);
        if (!c || c->closing)
            continue;
        if (notifyEnded)
            out.notify(id, HubNotice::ended());
        c->closing = true;
        out.close(id);
    }
    HubEvent ev;
    ev.kind = HubEvent::Kind::MeetingEnded;
    ev.meetingId = meetingId;
    ev.detail = text(why);
    out.event(std::move(ev));
}

} // namespace conclave::hub
