// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/DemoCast.h"

#include "classification/MarkingParser.h"

namespace conclave::conference {

DemoCast::DemoCast(ChairController& chair, const policy::PolicyDocument& policy, const Clock& clock,
                   std::optional<media::MediaOptions> media)
    : m_chair(chair), m_policy(policy), m_clock(clock), m_media(std::move(media))
{
    m_disruption.setInterval(kDisruptionEvery);
    connect(&m_disruption, &QTimer::timeout, this, &DemoCast::disrupt);
}

DemoCast::~DemoCast() = default;

Result<meeting::ChairSetup> DemoCast::meetingSetup(const policy::PolicyDocument& policy)
{
    auto marking = classification::MarkingParser(policy.scheme).parse("OFFICIAL");
    if (!marking)
        return marking.error();
    meeting::ChairSetup setup;
    setup.title = tr("Conclave demo: weekly team meeting");
    setup.marking = marking->marking;
    setup.backendId = QStringLiteral("this-computer");
    setup.chairName = tr("Chair");
    setup.options.chat = true;
    setup.options.openKnocking = true;
    setup.options.invitesRequired = false;
    setup.options.shareByAll = true;
    return setup;
}

Result<void> DemoCast::start()
{
    const QString invited = tr("Amelia Hart");
    const QString uninvited = tr("Sam Walker");
    const QString disruptive = tr("Jordan Reyes");
    auto inviteA = m_chair.makeInvite(invited);
    if (!inviteA)
        return inviteA.error();
    auto inviteD = m_chair.makeInvite(disruptive);
    if (!inviteD)
        return inviteD.error();
    auto link = m_chair.makeMeetingLink();
    if (!link)
        return link.error();
    for (auto [role, name, url] : {std::tuple{Role::Invited, invited, *inviteA},
                                   std::tuple{Role::Uninvited, uninvited, *link},
                                   std::tuple{Role::Disruptive, disruptive, *inviteD}})
        if (auto added = addActor(role, name, url); !added)
            return added.error();
    for (size_t i = 0; i < m_actors.size(); ++i)
        QTimer::singleShot(kKnockSpacing * int(i + 1), this,
                           [this, i] { m_actors[i].controller->start(); });
    return {};
}

const DemoCast::Actor* DemoCast::find(Role role) const
{
    for (const Actor& a : m_actors)
        if (a.role == role)
            return &a;
    return nullptr;
}

Result<void> DemoCast::addActor(Role role, const QString& name, const QString& link)
{
    auto target = meeting::JoinTarget::fromLink(link, m_clock.now());
    if (!target)
        return target.error();
    Actor actor{role, name,
                std::make_unique<crypto::Ed25519SigningKey>(crypto::Ed25519SigningKey::generate()),
                nullptr};
    auto session = std::make_unique<meeting::ParticipantSession>(*actor.identity, m_policy, m_clock,
                                                                 *target, name);
    actor.controller = std::make_unique<ParticipantController>(
        std::move(session), std::make_unique<client::HubClient>(target->hubUrl, target->hubPin),
        nullptr);
    if (m_media)
        if (auto started = actor.controller->startMedia(*m_media, {}); !started)
            return started.error();
    ParticipantController* controller = actor.controller.get();
    m_actors.push_back(std::move(actor));
    const size_t at = m_actors.size() - 1;
    connect(controller, &ParticipantController::stateChanged, this,
            [this, at](ParticipantController::State state) {
                if (state == ParticipantController::State::Member)
                    onAdmitted(m_actors[at]);
                else if (m_actors[at].role == Role::Disruptive)
                    m_disruption.stop(); // removed, sent back, ended
            });
    return {};
}

void DemoCast::onAdmitted(Actor& actor)
{
    if (actor.role != Role::Disruptive)
        return;
    // Shares at once (where the meeting lets everyone share) and floods the chat.
    if (auto shared = actor.controller->setSharing(true); !shared)
        emit actorProblem(actor.name, shared.error());
    emit disruptionStarted(actor.name);
    disrupt();
    m_disruption.start();
}

void DemoCast::disrupt()
{
    const Actor* actor = find(Role::Disruptive);
    if (!actor || actor->controller->state() != ParticipantController::State::Member)
        return m_disruption.stop();
    ++m_disruptions;
    // Refused while chat is off or the meeting is suspended: that is the point of the demo.
    (void)actor->controller->sendChat(
        tr("LOOK AT MY SCREEN!!! %1").arg(QString(m_disruptions, QLatin1Char('!'))));
}

} // namespace conclave::conference
