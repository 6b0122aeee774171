// SPDX-License-Identifier: GPL-3.0-or-later
// HubState, second part: what each signed message does once its sender is known to be
// entitled to send it (chair-only and member messages). Connections, intake and lifecycle
// are in HubState.cpp.
#include "hub/HubState.h"

#include "meeting/Delegation.h"
#include "meeting/MessageBodies.h"

#include <functional>

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

/// Decodes a body; a schema error is dropped like any other invalid message.
template <typename Body>
std::optional<Body> bodyOf(const protocol::Envelope& e, const std::function<void(Error)>& fail)
{
    auto body = Body::decode(e.body);
    if (!body) {
        fail(body.error());
        return std::nullopt;
    }
    return std::move(body).value();
}

Error unknownTarget(const char* where)
{
    return makeError("hub.unknown_target", std::string("nobody with that identity is ") + where +
                                               "; the message was not relayed");
}

} // namespace

void HubState::handleChair(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                           const QByteArray& raw)
{
    const auto fail = [&](const Error& error) { drop(out, c, error); };
    switch (e.type) {
    case MessageType::Admit:
        return handleAdmit(out, c, m, e, raw);
    case MessageType::Deny:
        return handleDeny(out, c, m, e, raw);
    case MessageType::Remove:
        return handleRemove(out, c, m, e, raw);
    case MessageType::Control:
        return handleControl(out, c, m, e, raw);
    case MessageType::Descriptor:
        return handleDescriptor(out, c, m, e, raw);
    case MessageType::Delegate:
        return handleDelegate(out, c, m, e, raw);
    case MessageType::Resync:
        return handleResync(out, c, m, e, raw);
    case MessageType::Commit:
        if (!bodyOf<meeting::BlobBody>(e, fail))
            return;
        break;
    case MessageType::Heartbeat:
        if (!bodyOf<meeting::EpochBody>(e, fail))
            return;
        break;
    case MessageType::AskUnmute: {
        const auto body = bodyOf<meeting::TargetBody>(e, fail);
        if (!body)
            return;
        if (!m.memberConnection(keyBytes(body->target)))
            return drop(out, c, unknownTarget("in the meeting"), false);
        break;
    }
    default:
        return;
    }
    if (acceptSequence(out, c, m, e))
        forward(out, m, raw, c.identity);
}

void HubState::handleAdmit(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                           const QByteArray& raw)
{
    const auto body = bodyOf<meeting::TargetBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body)
        return;
    const QByteArray who = keyBytes(body->target);
    // Not a strike: the knocker may simply have gone a moment before the chair clicked.
    if (!m.knocker(who))
        return drop(out, c, unknownTarget("waiting in the lobby"), false);
    if (!acceptSequence(out, c, m, e))
        return;
    const auto k = m.admit(who);
    m.noteSequences(); // its knock: an admission is saved at once, with its sequence numbers
    out.notify(k->connection, HubNotice::admitted());
    out.mediaRoom({MediaRoomChange::Kind::Join, c.meetingId, who, k->connection});
    forward(out, m, raw, c.identity); // the newcomer too: it verifies the chair's admit
    if (HubConnection* kc = connection(k->connection))
        out.event(eventFor(HubEvent::Kind::Admitted, *kc));
}

void HubState::handleDeny(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                          const QByteArray& raw)
{
    const auto body = bodyOf<meeting::TargetBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body)
        return;
    const QByteArray who = keyBytes(body->target);
    if (m.isChair(who))
        return drop(out, c, makeError("hub.invalid_target", "the chair cannot deny itself"));
    if (!acceptSequence(out, c, m, e))
        return;
    // Counted even when the knocker already went: the chair meant that identity.
    const bool banned = m.recordDenial(who);
    HubEvent ev = eventFor(HubEvent::Kind::Denied, c);
    ev.identity = who;
    if (auto k = m.takeKnocker(who)) {
        out.notify(k->connection, HubNotice::denied(body->reason));
        hangUp(out, k->connection, "denied");
        if (HubConnection* kc = connection(k->connection))
            ev.source = kc->source;
    }
    out.event(ev);
    if (banned) {
        ev.kind = HubEvent::Kind::Banned;
        ev.detail = QStringLiteral("denied twice");
        out.event(ev);
    }
    forward(out, m, raw, c.identity);
}

void HubState::handleRemove(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                            const QByteArray& raw)
{
    const auto body = bodyOf<meeting::TargetBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body)
        return;
    const QByteArray who = keyBytes(body->target);
    if (m.isChair(who))
        return drop(out, c, makeError("hub.invalid_target", "the chair cannot remove itself"));
    if (!acceptSequence(out, c, m, e))
        return;
    // Banned first, so nothing below can let the identity back in, even for a moment.
    m.ban(who);
    std::optional<ConnectionId> gone = m.memberConnection(who); // none while away
    if (m.isMember(who)) {
        m.removeMember(who);
        out.mediaRoom({MediaRoomChange::Kind::Leave, c.meetingId, who, 0});
    } else if (auto k = m.takeKnocker(who))
        gone = k->connection;
    HubEvent ev = eventFor(HubEvent::Kind::Removed, c);
    ev.identity = who;
    if (gone) {
        out.notify(*gone, HubNotice::removed(body->reason));
        hangUp(out, *gone, "removed");
        if (HubConnection* gc = connection(*gone))
            ev.source = gc->source;
    }
    out.event(ev);
    ev.kind = HubEvent::Kind::Banned;
    ev.detail = QStringLiteral("removed");
    out.event(ev);
    forward(out, m, raw, c.identity);
}

void HubState::handleControl(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                             const QByteArray& raw)
{
    const auto body = bodyOf<meeting::ControlBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body)
        return;
    const bool toLobby = body->action == meeting::ControlAction::ToLobby;
    const QByteArray target = body->target ? keyBytes(*body->target) : QByteArray();
    if (toLobby && m.isChair(target))
        return drop(out, c, makeError("hub.invalid_target", "the chair cannot leave its room"));
    if (toLobby && !m.isMember(target)) // one away is sent too: it must knock when back
        return drop(out, c, unknownTarget("in the meeting"), false);
    if (!acceptSequence(out, c, m, e))
        return;
    HubEvent ev = eventFor(HubEvent::Kind::Control, c);
    ev.detail = text(meeting::toString(body->action));
    out.event(std::move(ev));
    // The target hears the signed control too (it is how it knows to knock again), so it is
    // moved out of the room only after the forward; the chair's rekey COMMIT then passes it by.
    forward(out, m, raw, c.identity);
    m.apply(*body);
    if (m.room().ended())
        return endMeeting(out, c.meetingId, "ended by the chair", true);
    if (toLobby) {
        m.sendToLobby(target); // the connection stays bound, in neither room nor lobby
        out.mediaRoom({MediaRoomChange::Kind::Leave, c.meetingId, target, 0});
    }
}

void HubState::handleDescriptor(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                                const QByteArray& raw)
{
    const auto body = bodyOf<meeting::BlobBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body)
        return;
    // The chair (or its successor) repeating the description in force for a newcomer.
    if (body->blob == m.signedDescriptor()) {
        if (acceptSequence(out, c, m, e))
            forward(out, m, raw, c.identity);
        return;
    }
    if (m.chairChanged())
        return drop(out, c,
                    makeError("meeting.not_original_chair",
                              "only the chair who created the meeting can re-sign its "
                              "description"));
    // A new label must be one this hub may carry, exactly as at create.
    auto next = m_gate.checkRevision(body->blob, m.descriptor(), m_clock.now());
    if (!next)
        return drop(out, c, next.error(), false);
    if (!acceptSequence(out, c, m, e))
        return;
    HubEvent ev = eventFor(HubEvent::Kind::Control, c);
    ev.detail =
        QStringLiteral("descriptor revision %1 (%2)").arg(next->revision).arg(next->marking);
    out.event(std::move(ev));
    m.replaceDescriptor(*next, body->blob);
    forward(out, m, raw, c.identity);
    out.notify(c.id, HubNotice::revised(body->blob)); // the chair applies it only now
}

void HubState::handleMember(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                            const QByteArray& raw)
{
    const auto fail = [&](const Error& error) { drop(out, c, error); };
    const bool chair = m.isChair(c.identity);
    switch (e.type) {
    case MessageType::Ack:
        if (!bodyOf<meeting::EpochBody>(e, fail))
            return;
        break;
    case MessageType::Chat:
        if (!bodyOf<meeting::ChatBody>(e, fail))
            return;
        // The hub cannot read chat, but it can refuse to carry it when the chair said so.
        if (!chair && m.isSuspended())
            return drop(out, c, makeError("meeting.suspended", "the meeting is suspended"), false);
        if (!chair && !m.chatEnabled())
            return drop(out, c, makeError("meeting.chat_disabled", "chat is off in this meeting"),
                        false);
        break;
    case MessageType::Signal:
        return handleSignal(out, c, m, e, raw);
    case MessageType::Leave:
        return handleLeave(out, c, m, e, raw);
    case MessageType::Request:
        return handleRequest(out, c, m, e, raw);
    case MessageType::Takeover:
        return handleTakeover(out, c, m, e, raw);
    case MessageType::Resume: {
        // A member on its connection that found itself behind the chair's epoch.
        if (!bodyOf<meeting::EpochBody>(e, fail))
            return;
        const auto chairConnection = m.chairConnection();
        if (!chairConnection || chair)
            return drop(out, c,
                        makeError("meeting.chair_absent",
                                  "the chair is not connected; ask again when it is back"),
                        false);
        if (acceptSequence(out, c, m, e))
            out.send(*chairConnection, raw);
        return;
    }
    default:
        return;
    }
    if (acceptSequence(out, c, m, e))
        forward(out, m, raw, c.identity);
}

void HubState::handleResync(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                            const QByteArray& raw)
{
    const auto body = bodyOf<meeting::ResyncBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body)
        return;
    const QByteArray to = keyBytes(body->to);
    const auto target = to == c.identity ? std::nullopt : m.memberConnection(to);
    if (!target)
        return drop(out, c, unknownTarget("in the meeting and connected"), false);
    if (acceptSequence(out, c, m, e))
        out.send(*target, raw);
}

void HubState::handleSignal(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                            const QByteArray& raw)
{
    const auto body = bodyOf<meeting::SignalBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body)
        return;
    const QByteArray to = keyBytes(body->to);
    const auto target = to == c.identity ? std::nullopt : m.memberConnection(to);
    if (!target)
        return drop(out, c, unknownTarget("in the meeting"), false);
    if (!m.isChair(c.identity) && m.isSuspended())
        return drop(out, c, makeError("meeting.suspended", "the meeting is suspended"), false);
    if (acceptSequence(out, c, m, e))
        out.send(*target, raw);
}

void HubState::handleLeave(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                           const QByteArray& raw)
{
    const auto body = bodyOf<meeting::EpochBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body || !acceptSequence(out, c, m, e))
        return;
    HubEvent ev = eventFor(HubEvent::Kind::Left, c);
    ev.detail = QStringLiteral("leave");
    out.event(std::move(ev));
    const QByteArray meetingId = c.meetingId;
    const QByteArray who = c.identity;
    const ConnectionId id = c.id;
    memberGone(out, meetingId, who, "leave", raw); // may end the meeting and close `id`
    hangUp(out, id, "leave");
}

void HubState::handleDelegate(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                              const QByteArray& raw)
{
    const auto body = bodyOf<meeting::BlobBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body)
        return;
    if (m.chairChanged()) {
        // A successor repeats the original chair's grants in force for newcomers, exactly as
        // signed; anything else would be a new delegation, which only that chair can make.
        if (!m.isGrantInForce(body->blob))
            return drop(out, c,
                        makeError("meeting.not_original_chair",
                                  "only the chair who created the meeting can name co-chairs; "
                                  "a successor can only repeat the grants still in force"));
        if (acceptSequence(out, c, m, e))
            forward(out, m, raw, c.identity);
        return;
    }
    auto delegation =
        meeting::Delegation::verify(body->blob, m.descriptor().meetingId, m.descriptor().chair);
    if (!delegation)
        return drop(out, c, delegation.error());
    const QByteArray who = keyBytes(delegation->delegate);
    if (!m.memberConnection(who))
        return drop(out, c, unknownTarget("in the meeting"), false);
    if (!acceptSequence(out, c, m, e))
        return;
    m.setCoChair(who, delegation->granted, body->blob);
    HubEvent ev = eventFor(HubEvent::Kind::CoChair, c);
    ev.identity = who;
    ev.detail = delegation->granted ? QStringLiteral("granted") : QStringLiteral("withdrawn");
    out.event(std::move(ev));
    forward(out, m, raw, c.identity);
}

bool HubState::refuseUnlessCoChair(HubOutput& out, HubConnection& c, const HubMeeting& m,
                                   const Envelope& e)
{
    if (m.isCoChair(c.identity))
        return false;
    HubEvent ev = eventFor(HubEvent::Kind::Unauthorised, c);
    ev.code = QStringLiteral("hub.not_co_chair");
    ev.detail = text(protocol::toString(e.type));
    out.event(std::move(ev));
    drop(out, c,
         makeError("hub.not_co_chair", "only a co-chair the chair named may send '" +
                                           std::string(protocol::toString(e.type)) +
                                           "'; the message was not relayed"));
    return true;
}

void HubState::handleRequest(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                             const QByteArray& raw)
{
    if (!bodyOf<meeting::RequestBody>(e, [&](const Error& err) { drop(out, c, err); }))
        return;
    const auto chair = m.chairConnection();
    if (!chair)
        return drop(out, c,
                    makeError("meeting.chair_absent",
                              "the chair is not connected to carry the request out; take over "
                              "if it does not come back"),
                    false);
    if (acceptSequence(out, c, m, e))
        out.send(*chair, raw); // for the chair only: it decides and acts
}

void HubState::handleTakeover(HubOutput& out, HubConnection& c, HubMeeting& m, const Envelope& e,
                              const QByteArray& raw)
{
    const auto body =
        bodyOf<meeting::TakeoverBody>(e, [&](const Error& err) { drop(out, c, err); });
    if (!body)
        return;
    auto delegation = meeting::Delegation::verify(body->delegation, m.descriptor().meetingId,
                                                  m.descriptor().chair);
    if (!delegation)
        return drop(out, c, delegation.error());
    if (!delegation->granted || keyBytes(delegation->delegate) != c.identity)
        return drop(out, c,
                    makeError("delegation.not_yours",
                              "the delegation shown does not name the sender as co-chair"));
    const auto oldChair = m.chairConnection();
    const auto silentFor = m_clock.now() - m.chairLastHeard();
    if (oldChair && silentFor <= m_limits.chairSilence)
        return drop(out, c,
                    makeError("meeting.chair_present",
                              "the chair was heard within the last " +
                                  std::to_string(m_limits.chairSilence.count()) +
                                  " seconds; a co-chair takes over only from a silent chair"),
                    false);
    if (!acceptSequence(out, c, m, e))
        return;
    const QByteArray previousChair = m.chairKey();
    const std::vector<QByteArray> away = m.awayMembers();
    m.changeChair(c.identity, body->delegation);
    m.chairHeard(m_clock.now());
    HubEvent ev = eventFor(HubEvent::Kind::ChairChanged, c);
    ev.detail = oldChair ? QStringLiteral("chair silent") : QStringLiteral("chair absent");
    out.event(std::move(ev));
    // Members hear the takeover first, so the old chair's departure that follows is old news.
    forward(out, m, raw, c.identity);
    turnAwayKnockers(out, m,
                     makeError("meeting.chair_changed",
                               "the chair changed while you waited; knock again to be seen by "
                               "the new chair"));
    if (oldChair) {
        out.notify(*oldChair,
                   HubNotice::removed(QStringLiteral("you were silent for over %1 seconds and "
                                                     "your co-chair took the meeting over")
                                          .arg(m_limits.chairSilence.count())));
        hangUp(out, *oldChair, "replaced by co-chair");
    }
    // Whoever is away misses the chair change and could not follow a successor it never saw
    // take over: its place ends here (it knocks again), and the new chair rekeys it out.
    for (const QByteArray& who : away)
        memberGone(out, m.descriptor().meetingId, who,
                   who == previousChair ? "replaced by co-chair" : "away during a chair change",
                   {});
}

} // namespace conclave::hub
