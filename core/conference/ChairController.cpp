// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/ChairController.h"

#include "crypto/Fingerprint.h"

namespace conclave::conference {

ChairController::ChairController(std::unique_ptr<meeting::ChairSession> chair,
                                 std::unique_ptr<client::HubClient> client,
                                 std::unique_ptr<hub::HubServer> embeddedHub,
                                 storage::AuditLog* audit)
    : MeetingController(std::move(client), audit), m_chair(std::move(chair)),
      m_embeddedHub(std::move(embeddedHub))
{
    connect(&this->client(), &client::HubClient::envelopeReceived, this,
            [this](const protocol::Envelope& e) { deliver(m_chair->onEnvelope(e)); });
    connect(&this->client(), &client::HubClient::noticeReceived, this, &ChairController::onNotice);
}

ChairController::~ChairController()
{
    detach();
}

Result<std::unique_ptr<ChairController>>
ChairController::onHub(const crypto::Ed25519SigningKey& identity,
                       const policy::PolicyDocument& policy, const Clock& clock,
                       const meeting::ChairSetup& setup, storage::AuditLog* audit)
{
    auto session = meeting::ChairSession::create(identity, policy, clock, setup);
    if (!session)
        return session.error();
    return std::make_unique<ChairController>(
        std::move(session).value(), std::make_unique<client::HubClient>(setup.hubUrl, setup.hubPin),
        nullptr, audit);
}

void ChairController::opened(const QString&)
{
    flush(); // the `create` queued by start()
    startTicking();
}

bool ChairController::mayReconnect() const
{
    // A successor's meeting is not its to create again (the descriptor names another chair).
    return !m_chair->isSuccessor() && !m_chair->ended();
}

void ChairController::rejoin(const QString&)
{
    m_chair->announce(); // the hub takes a fresh, signed create as this chair back
}

void ChairController::start()
{
    if (!m_chair->isSuccessor()) {
        m_chair->announce();
        client().open();
        return;
    }
    meeting::MeetingEvents events{meeting::ev::TookOver{}};
    for (auto& e : m_chair->currentState())
        events.push_back(std::move(e));
    deliver(events); // sends the queued takeover
    startTicking();
}

std::unique_ptr<ChairController>
ChairController::succeed(std::unique_ptr<meeting::ChairSession> chair, Handover handover,
                         storage::AuditLog* audit)
{
    auto controller = std::make_unique<ChairController>(std::move(chair),
                                                        std::move(handover.client), nullptr, audit);
    controller->adoptTurnCredentials(std::move(handover.turnCredentials));
    if (handover.mesh)
        controller->adoptMesh(std::move(handover.mesh));
    return controller;
}

bool ChairController::mayCommand(meeting::ChairAction action, bool on) const
{
    return !(meeting::ruleOf(action, on).originalChairOnly && m_chair->isSuccessor());
}

Result<void> ChairController::command(const meeting::ChairCommand& command)
{
    auto result = deliver(m_chair->perform(command));
    if (m_chair->ended())
        finish(Ending::Ended);
    return result;
}

Result<QString> ChairController::makeInvite(const QString& name)
{
    return m_chair->makeInvite(name, std::nullopt, std::chrono::hours(24));
}

Result<QString> ChairController::makeMeetingLink() const
{
    return m_chair->makeMeetingLink(std::chrono::hours(24));
}

std::vector<Member> ChairController::members() const
{
    const auto state = m_chair->mediaState();
    auto out = membersOf(m_chair->roster(),
                         state ? std::optional<uint32_t>(state->ownIndex) : std::nullopt,
                         state ? state->sharers : std::set<uint32_t>());
    for (Member& m : out)
        m.coChair = m_chair->isCoChair(m.identity);
    return out;
}

Result<void> ChairController::sendChat(const QString& text)
{
    return deliver(m_chair->sendChat(text));
}

void ChairController::leave()
{
    if (!m_chair->ended())
        (void)deliver(m_chair->end());
    finish(Ending::Ended);
}

void ChairController::onNotice(const hub::HubNotice& notice)
{
    using Kind = hub::HubNotice::Kind;
    switch (notice.kind) {
    case Kind::Created:
        if (reconnecting()) {
            reconnected();
            // What this chair said while away may not have arrived: everyone gets the epoch,
            // description and room again (a member that missed nothing takes it as no change).
            deliver(m_chair->resyncEveryone());
            break;
        }
        deliver({meeting::ev::Created{}});
        emit created();
        break;
    case Kind::Refused: {
        const Error why = notice.toError();
        deliver({meeting::ev::Refused{notice.code, notice.reason}});
        emit refused(why);
        finish(Ending::Refused, why);
        break;
    }
    case Kind::Left:
        if (const auto who = identityIn(notice.identity))
            deliver(m_chair->onDisconnected(*who));
        break;
    case Kind::Removed: // a delegated co-chair took over from this (silent) chair
        deliver({meeting::ev::ChairReplaced{notice.reason}});
        finish(Ending::Replaced);
        break;
    case Kind::Error:
        deliverHubWarning(notice);
        break;
    case Kind::MediaRoom:
        onMediaRoom(notice);
        break;
    case Kind::TurnCredentials:
        onTurnCredentials(notice);
        break;
    case Kind::Revised:
        deliver(m_chair->onDescriptorAccepted(notice.descriptor));
        emit changed();
        break;
    default:
        break;
    }
}

} // namespace conclave::conference
