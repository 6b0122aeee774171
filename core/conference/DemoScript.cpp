// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/DemoScript.h"

namespace conclave::conference {

using Role = DemoCast::Role;
using Chair = meeting::ChairSession;

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

bool DemoScript::run(const QString& action, const DemoCast::Actor* who,
                     const ChairController::Action& step)
{
    if (auto done = m_chair.act(step); !done) {
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
        if (m_chair.waiting().size() == 3 && run(QStringLiteral("admit"), invited, [&](Chair& c) {
                return c.admit(invited->identity->publicKey());
            }))
            m_stage = Stage::Deny;
        break;
    case Stage::Deny:
        if (!paused && run(QStringLiteral("deny"), uninvited, [&](Chair& c) {
                return c.deny(uninvited->identity->publicKey(), tr("Not invited"));
            }))
            m_stage = Stage::AdmitDisrupter;
        break;
    case Stage::AdmitDisrupter:
        if (!paused && run(QStringLiteral("admit"), disrupter,
                           [&](Chair& c) { return c.admit(disrupter->identity->publicKey()); }))
            m_stage = Stage::AwaitDisruption;
        break;
    case Stage::AwaitDisruption:
        if (m_disrupted) {
            m_sinceStep.restart();
            m_stage = Stage::Remove;
        }
        break;
    case Stage::Remove:
        if (!paused && run(QStringLiteral("remove"), disrupter, [&](Chair& c) {
                return c.remove(disrupter->identity->publicKey(), tr("Disrupting the meeting"));
            }))
            m_stage = Stage::Suspend;
        break;
    case Stage::Suspend:
        if (!paused &&
            run(QStringLiteral("suspend"), nullptr, [](Chair& c) { return c.suspend(); }))
            m_stage = Stage::Resume;
        break;
    case Stage::Resume:
        if (!paused && run(QStringLiteral("resume"), nullptr, [](Chair& c) { return c.resume(); }))
            m_stage = Stage::End;
        break;
    case Stage::End:
        if (!paused && run(QStringLiteral("end"), nullptr, [](Chair& c) { return c.end(); }))
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
