// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/ChairControls.h"

#include "conference/ChairController.h"
#include "conference/ParticipantController.h"

#include <QHBoxLayout>
#include <QPushButton>

namespace conclave::ui {

namespace {

using Chair = meeting::ChairSession;

/// Runs a chair action directly, or as a co-chair's request to the chair.
Result<void> perform(conference::MeetingController& meeting,
                     const conference::ChairController::Action& action,
                     std::optional<meeting::ChairRequest> asRequest)
{
    if (auto* chair = qobject_cast<conference::ChairController*>(&meeting))
        return chair->act(action);
    auto* participant = qobject_cast<conference::ParticipantController*>(&meeting);
    if (participant && asRequest)
        return participant->request(*asRequest, std::nullopt, QString());
    return Error{"meeting.not_chair", "Only the chair can do that."};
}

} // namespace

ChairControls::ChairControls(conference::MeetingController& meeting, QWidget* parent)
    : QWidget(parent), m_meeting(meeting)
{
    setObjectName(QStringLiteral("chairControls"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    m_lock = makeButton(QStringLiteral("lock"), tr("Lock or unlock the meeting to new knocks"));
    m_muteAll = makeButton(QStringLiteral("muteAll"), tr("Mute everyone"));
    m_muteAll->setText(tr("M&ute all"));
    m_chat = makeButton(QStringLiteral("chatToggle"), tr("Turn chat on or off"));
    m_suspend = makeButton(QStringLiteral("suspend"),
                           tr("Suspend all activity: stop all media, chat and sharing and lock"));
    m_marking = makeButton(QStringLiteral("changeMarking"), tr("Change the meeting's marking"));
    m_marking->setText(tr("Change &marking…"));
    m_invites = makeButton(QStringLiteral("invites"), tr("Show and make invites"));
    m_invites->setText(tr("In&vites…"));
    m_end = makeButton(QStringLiteral("end"), tr("End the meeting for everyone"));
    m_end->setText(tr("&End meeting"));
    for (QPushButton* b : {m_lock, m_muteAll, m_chat, m_suspend, m_marking, m_invites, m_end})
        row->addWidget(b);
    row->addStretch(1);

    connect(m_lock, &QPushButton::clicked, this, &ChairControls::toggleLock);
    connect(m_muteAll, &QPushButton::clicked, this, &ChairControls::muteAll);
    connect(m_chat, &QPushButton::clicked, this, &ChairControls::toggleChat);
    connect(m_suspend, &QPushButton::clicked, this, &ChairControls::toggleSuspend);
    connect(m_marking, &QPushButton::clicked, this, &ChairControls::changeMarkingRequested);
    connect(m_invites, &QPushButton::clicked, this, &ChairControls::invitesRequested);
    connect(m_end, &QPushButton::clicked, this, &ChairControls::end);
    refresh();
}

QPushButton* ChairControls::makeButton(const QString& name, const QString& accessible)
{
    auto* b = new QPushButton(this);
    b->setObjectName(name);
    b->setAccessibleName(accessible);
    b->setToolTip(accessible);
    return b;
}

void ChairControls::refresh()
{
    const bool chair = m_meeting.isChair();
    setVisible(chair || m_meeting.isCoChair());
    m_lock->setText(m_meeting.locked() ? tr("Un&lock") : tr("&Lock"));
    m_chat->setText(m_meeting.chatEnabled() ? tr("C&hat off") : tr("C&hat on"));
    m_suspend->setText(m_meeting.suspended() ? tr("&Resume") : tr("&Suspend all activity"));
    // The one-action answer to a disruption stands out (white on dark red: 8.6:1).
    m_suspend->setStyleSheet(m_meeting.suspended()
                                 ? QString()
                                 : QStringLiteral("QPushButton { background-color: #8b0000; "
                                                  "color: #ffffff; font-weight: bold; }"));
    for (QPushButton* b : {m_chat, m_end})
        b->setVisible(chair);
    // A successor cannot re-sign what the original chair signed (marking, invites).
    const auto* controller = qobject_cast<conference::ChairController*>(&m_meeting);
    const bool original = controller && !controller->session().isSuccessor();
    for (QPushButton* b : {m_marking, m_invites})
        b->setVisible(original);
}

void ChairControls::toggleLock()
{
    const bool lock = !m_meeting.locked();
    auto done = perform(
        m_meeting, [lock](Chair& c) { return lock ? c.lock() : c.unlock(); },
        lock ? meeting::ChairRequest::Lock : meeting::ChairRequest::Unlock);
    if (!done)
        emit actionFailed(done.error());
}

void ChairControls::muteAll()
{
    if (auto done = perform(
            m_meeting, [](Chair& c) { return c.muteAll(); }, meeting::ChairRequest::MuteAll);
        !done)
        emit actionFailed(done.error());
}

void ChairControls::toggleChat()
{
    const bool on = !m_meeting.chatEnabled();
    if (auto done = perform(
            m_meeting, [on](Chair& c) { return c.setChat(on); }, std::nullopt);
        !done)
        emit actionFailed(done.error());
}

void ChairControls::toggleSuspend()
{
    const bool suspend = !m_meeting.suspended();
    auto done = perform(
        m_meeting, [suspend](Chair& c) { return suspend ? c.suspend() : c.resume(); },
        suspend ? meeting::ChairRequest::Suspend : meeting::ChairRequest::Resume);
    if (!done)
        emit actionFailed(done.error());
}

void ChairControls::end()
{
    m_meeting.leave();
}

} // namespace conclave::ui
