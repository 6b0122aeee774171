// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/ChairControls.h"

#include "conference/MeetingController.h"

#include <QHBoxLayout>
#include <QPushButton>

#include <algorithm>

namespace conclave::ui {

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
    m_all = {m_lock, m_muteAll, m_chat, m_suspend, m_marking, m_invites, m_end};
    for (QPushButton* b : m_all)
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
    using meeting::ChairAction;
    m_lock->setText(m_meeting.locked() ? tr("Un&lock") : tr("&Lock"));
    m_chat->setText(m_meeting.chatEnabled() ? tr("C&hat off") : tr("C&hat on"));
    m_suspend->setText(m_meeting.suspended() ? tr("&Resume") : tr("&Suspend all activity"));
    // The one-action answer to a disruption stands out (white on dark red: 8.6:1).
    m_suspend->setStyleSheet(m_meeting.suspended()
                                 ? QString()
                                 : QStringLiteral("QPushButton { background-color: #8b0000; "
                                                  "color: #ffffff; font-weight: bold; }"));
    // Each button shows only for those the chair-command table lets give (or ask for) it.
    m_lock->setVisible(m_meeting.mayCommand(ChairAction::Lock, !m_meeting.locked()));
    m_muteAll->setVisible(m_meeting.mayCommand(ChairAction::MuteAll));
    m_chat->setVisible(m_meeting.mayCommand(ChairAction::Chat, !m_meeting.chatEnabled()));
    m_suspend->setVisible(m_meeting.mayCommand(ChairAction::Suspend, !m_meeting.suspended()));
    m_marking->setVisible(m_meeting.mayCommand(ChairAction::ChangeMarking));
    m_invites->setVisible(m_meeting.mayInvite());
    m_end->setVisible(m_meeting.mayCommand(ChairAction::End));
    setVisible(std::any_of(m_all.begin(), m_all.end(),
                           [](const QPushButton* b) { return !b->isHidden(); }));
}

void ChairControls::give(const meeting::ChairCommand& command)
{
    if (auto done = m_meeting.command(command); !done)
        emit actionFailed(done.error());
}

void ChairControls::toggleLock()
{
    give({meeting::ChairAction::Lock, !m_meeting.locked()});
}

void ChairControls::muteAll()
{
    give({meeting::ChairAction::MuteAll});
}

void ChairControls::toggleChat()
{
    give({meeting::ChairAction::Chat, !m_meeting.chatEnabled()});
}

void ChairControls::toggleSuspend()
{
    give({meeting::ChairAction::Suspend, !m_meeting.suspended()});
}

void ChairControls::end()
{
    give({meeting::ChairAction::End});
}

} // namespace conclave::ui
