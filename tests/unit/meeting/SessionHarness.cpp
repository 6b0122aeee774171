// SPDX-License-Identifier: GPL-3.0-or-later
#include "SessionHarness.h"

namespace conclave::testsupport {

using meeting::MeetingEvents;
using protocol::MessageType;

SessionHarness::Participant& SessionHarness::join(const QString& name, const QString& link,
                                                  const policy::PolicyDocument& policy,
                                                  const Clock& clock, const QString& connectedPin)
{
    Participant p;
    p.identity = std::make_unique<crypto::Ed25519SigningKey>(crypto::Ed25519SigningKey::generate());
    auto target = meeting::JoinTarget::fromLink(link, clock.now()).value();
    p.session =
        std::make_unique<meeting::ParticipantSession>(*p.identity, policy, clock, target, name);
    p.session->knock(connectedPin.isEmpty() ? m_hubPin : connectedPin);
    return m_participants.insert_or_assign(name, std::move(p)).first->second;
}

bool SessionHarness::passes(protocol::Envelope& e, const QString& to, QByteArray& wire)
{
    if (!tamper)
        return true;
    if (!tamper(e, to))
        return false;
    wire = e.encode();
    return true;
}

void SessionHarness::deliverToChair(const QByteArray& wire)
{
    auto e = protocol::Envelope::decode(wire);
    if (!e)
        return;
    auto events = m_chair->onEnvelope(*e);
    chairEvents.insert(chairEvents.end(), events.begin(), events.end());
}

void SessionHarness::deliverToParticipant(Participant& p, const QByteArray& wire)
{
    auto e = protocol::Envelope::decode(wire);
    if (!e)
        return;
    auto events = p.session->onEnvelope(*e);
    p.events.insert(p.events.end(), events.begin(), events.end());
}

SessionHarness::Participant* SessionHarness::byKey(const crypto::Ed25519PublicKey& key)
{
    for (auto& [name, p] : m_participants)
        if (p.identity->publicKey() == key)
            return &p;
    return nullptr;
}

void SessionHarness::routeFromChair(const QByteArray& original)
{
    auto envelope = protocol::Envelope::decode(original);
    if (!envelope || envelope->type == MessageType::Create)
        return;
    if (envelope->type == MessageType::Descriptor && !hubAcceptsRevisions)
        return;
    // The hub acts on the chair's decisions, then forwards the message to the room.
    if (envelope->type == MessageType::Admit || envelope->type == MessageType::Deny ||
        envelope->type == MessageType::Remove) {
        const auto target = meeting::TargetBody::decode(envelope->body);
        if (Participant* p = target ? byKey(target->target) : nullptr) {
            MeetingEvents events;
            if (envelope->type == MessageType::Admit) {
                p->inRoom = true;
                events = p->session->onAdmitted();
            } else if (envelope->type == MessageType::Deny) {
                events = p->session->onDenied(target->reason);
            } else {
                events = p->session->onRemoved(target->reason);
                p->inRoom = false;
            }
            p->events.insert(p->events.end(), events.begin(), events.end());
        }
    }
    // A resync goes to the member it names alone, as the hub routes it.
    std::optional<crypto::Ed25519PublicKey> only;
    if (envelope->type == MessageType::Resync)
        if (const auto body = meeting::ResyncBody::decode(envelope->body))
            only = body->to;
    for (auto& [name, p] : m_participants) {
        if (!p.inRoom || (only && byKey(*only) != &p))
            continue;
        protocol::Envelope copy = *envelope;
        QByteArray wire = original;
        if (passes(copy, name, wire))
            deliverToParticipant(p, wire);
    }
    // Like the hub: a descriptor revision it took is confirmed to the chair.
    if (envelope->type == MessageType::Descriptor)
        if (const auto body = meeting::BlobBody::decode(envelope->body)) {
            auto events = m_chair->onDescriptorAccepted(body->blob);
            chairEvents.insert(chairEvents.end(), events.begin(), events.end());
        }
    // Like the hub: the target of `to-lobby` hears it, then is out of the room (no more traffic).
    if (envelope->type == MessageType::Control) {
        const auto control = meeting::ControlBody::decode(envelope->body);
        if (control && control->action == meeting::ControlAction::ToLobby && control->target)
            if (Participant* p = byKey(*control->target))
                p->inRoom = false;
    }
}

void SessionHarness::routeFromParticipant(Participant& from, const QByteArray& original)
{
    auto envelope = protocol::Envelope::decode(original);
    if (!envelope)
        return;
    protocol::Envelope copy = *envelope;
    QByteArray wire = original;
    if (!passes(copy, QStringLiteral("chair"), wire))
        return;
    if (envelope->type == MessageType::Knock) {
        deliverToChair(wire);
        for (auto& [name, p] : m_participants) // sessions that are not co-chair ignore it
            if (p.inRoom)
                deliverToParticipant(p, wire);
        auto events = from.session->onLobby(lobbyDescriptor.isEmpty() ? m_chair->signedDescriptor()
                                                                      : lobbyDescriptor,
                                            m_succession);
        from.events.insert(from.events.end(), events.begin(), events.end());
        return;
    }
    if (!from.inRoom)
        return; // the hub never lets a knocker talk to the room
    deliverToChair(wire);
    for (auto& [name, p] : m_participants)
        if (p.inRoom && &p != &from)
            deliverToParticipant(p, wire);
}

void SessionHarness::replaceChair(meeting::ChairSession& successor, const QString& former)
{
    m_chair = &successor;
    m_succession = successor.takenOverWith();
    // Kept (the new chair session signs with this participant's key), but out of the room.
    m_participants.at(former).inRoom = false;
}

void SessionHarness::pump()
{
    for (bool moved = true; moved;) {
        moved = false;
        for (const QByteArray& wire : m_chair->outgoing()) {
            routeFromChair(wire);
            moved = true;
        }
        for (auto& [name, p] : m_participants)
            for (const QByteArray& wire : p.session->outgoing()) {
                routeFromParticipant(p, wire);
                moved = true;
            }
    }
}

} // namespace conclave::testsupport
