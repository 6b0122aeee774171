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
    connect(&this->client(), &client::HubClient::connected, this, [this] {
        flush(); // the `create` queued by start()
        startTicking();
    });
    connect(&this->client(), &client::HubClient::envelopeReceived, this,
            [this](const protocol::Envelope& e) { deliver(m_chair->onEnvelope(e)); });
    connect(&this->client(), &client::HubClient::noticeReceived, this, &ChairController::onNotice);
}

ChairController::~ChairController()
{
    detach();
}

void ChairController::start()
{
    m_chair->announce();
    client().open();
}

std::unique_ptr<ChairController>
ChairController::succeed(std::unique_ptr<meeting::ChairSession> chair, Handover handover,
                         storage::AuditLog* audit)
{
    auto controller = std::make_unique<ChairController>(std::move(chair),
                                                        std::move(handover.client), nullptr, audit);
    if (handover.mesh)
        controller->adoptMesh(std::move(handover.mesh));
    meeting::MeetingEvents events{meeting::ev::TookOver{}};
    for (auto& e : controller->m_chair->currentState())
        events.push_back(std::move(e));
    controller->deliver(events); // sends the queued takeover
    controller->startTicking();
    return controller;
}

Result<void> ChairController::act(const Action& action)
{
    auto result = deliver(action(*m_chair));
    if (m_chair->ended())
        finish();
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
                         state ? std::optional<uint32_t>(state->ownIndex) : std::nullopt);
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
    finish();
}

void ChairController::onNotice(const hub::HubNotice& notice)
{
    using Kind = hub::HubNotice::Kind;
    switch (notice.kind) {
    case Kind::Created:
        emit created();
        emit changed();
        break;
    case Kind::Refused:
        emit refused({notice.code.toStdString(), notice.reason.toStdString()});
        finish();
        break;
    case Kind::Left:
        if (const auto who = identityIn(notice.identity))
            deliver(m_chair->onDisconnected(*who));
        break;
    case Kind::Removed: // a delegated co-chair took over from this (silent) chair
        deliver({meeting::ev::ChairReplaced{notice.reason}});
        finish();
        break;
    case Kind::Error:
        deliverHubWarning(notice);
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
