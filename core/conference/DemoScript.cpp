// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/DemoScript.h"

namespace conclave::conference {

using Role = DemoCast::Role;
using meeting::ChairAction;

namespace {

meeting::ChairCommand on(ChairAction action, const DemoCast::Actor* who, const QString& reason = {})
{
    meeting::ChairCommand command{action};
    if (who)
        command.target = who->identity->publicKey();
    command.reason = reason;
    return command;
}

} // namespace

DemoScript::DemoScript(ChairController& chair, DemoCast& cast) : m_chair(chair), m_cast(cast)
{
    m_poll.setInterval(200);
    connect(&m_poll, &QTimer::timeout, this, &DemoScript::advance);
    connect(&cast, &DemoCast::disruptionStarted, this, [this] { m_disrupted = true; });
}

void DemoScript::start()
{
    m_elapsed.start();
    m_sinceStep.start();
    m_poll.start();
}

bool DemoScript::run(const meeting::ChairCommand& command, const DemoCast::Actor* who)
{
    const QString action =
        QString::fromLatin1(command.name().data(), qsizetype(command.name().size()));
    if (auto done = m_chair.command(command); !done) {
        stop(false, QStringLiteral("%1 was refused: %2")
                        .arg(action, QString::fromStdString(done.error().message)));
        return false;
    }
    emit acted(action, who ? who->name : QString());
    m_sinceStep.restart();
    return true;
}

void DemoScript::advance()
{
    if (std::chrono::milliseconds(m_elapsed.elapsed()) > kDeadline)
        return stop(false,
                    QStringLiteral("the demo did not finish within %1 s").arg(kDeadline.count()));
    const bool paused = std::chrono::milliseconds(m_sinceStep.elapsed()) < kPause;
    const DemoCast::Actor* invited = m_cast.find(Role::Invited);
    const DemoCast::Actor* uninvited = m_cast.find(Role::Uninvited);
    const DemoCast::Actor* disrupter = m_cast.find(Role::Disruptive);
    if (!invited || !uninvited || !disrupter)
        return;
    switch (m_stage) {
    case Stage::AwaitKnocks:
        if (m_chair.waiting().size() == 3 && run(on(ChairAction::Admit, invited), invited))
            m_stage = Stage::Deny;
        break;
    case Stage::Deny:
        if (!paused && run(on(ChairAction::Deny, uninvited, tr("Not invited")), uninvited))
            m_stage = Stage::AdmitDisrupter;
        break;
    case Stage::AdmitDisrupter:
        if (!paused && run(on(ChairAction::Admit, disrupter), disrupter))
            m_stage = Stage::AwaitDisruption;
        break;
    case Stage::AwaitDisruption:
        if (m_disrupted) {
            m_sinceStep.restart();
            m_stage = Stage::Remove;
        }
        break;
    case Stage::Remove:
        if (!paused &&
            run(on(ChairAction::Remove, disrupter, tr("Disrupting the meeting")), disrupter))
            m_stage = Stage::Suspend;
        break;
    case Stage::Suspend:
        if (!paused && run(on(ChairAction::Suspend, nullptr), nullptr))
            m_stage = Stage::Resume;
        break;
    case Stage::Resume:
        if (!paused && run(meeting::ChairCommand{ChairAction::Suspend, false}, nullptr))
            m_stage = Stage::End;
        break;
    case Stage::End:
        if (!paused && run(on(ChairAction::End, nullptr), nullptr))
            stop(true, QString());
        break;
    case Stage::Done:
        break;
    }
}

void DemoScript::stop(bool ok, const QString& reason)
{
    m_poll.stop();
    m_stage = Stage::Done;
    emit finished(ok, reason);
}

} // namespace conclave::conference
