// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/ChatPanel.h"

#include "conference/MeetingController.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace conclave::ui {

ChatPanel::ChatPanel(conference::MeetingController& meeting, QWidget* parent)
    : QWidget(parent), m_meeting(meeting)
{
    setObjectName(QStringLiteral("chatPanel"));
    auto* layout = new QVBoxLayout(this);
    m_markingNote = new QLabel(this);
    m_markingNote->setObjectName(QStringLiteral("chatMarking"));
    m_markingNote->setWordWrap(true);
    layout->addWidget(m_markingNote);
    m_messages = new QListWidget(this);
    m_messages->setObjectName(QStringLiteral("chatMessages"));
    m_messages->setAccessibleName(tr("Chat messages"));
    m_messages->setWordWrap(true);
    layout->addWidget(m_messages, 1);
    auto* row = new QHBoxLayout;
    m_input = new QLineEdit(this);
    m_input->setObjectName(QStringLiteral("chatInput"));
    m_input->setAccessibleName(tr("Chat message"));
    m_send = new QPushButton(tr("Sen&d"), this);
    m_send->setAccessibleName(tr("Send chat message"));
    row->addWidget(m_input, 1);
    row->addWidget(m_send);
    layout->addLayout(row);
    connect(m_send, &QPushButton::clicked, this, [this] { send(m_input->text()); });
    connect(m_input, &QLineEdit::returnPressed, this, [this] { send(m_input->text()); });
    refresh();
}

void ChatPanel::refresh()
{
    const bool on = m_meeting.chatEnabled() && !m_meeting.suspended();
    m_markingNote->setText(
        on ? tr("Messages here are %1: they carry that marking.").arg(m_meeting.marking())
           : tr("Chat is off in this meeting (the chair can turn it on)."));
    m_input->setEnabled(on);
    m_send->setEnabled(on);
}

void ChatPanel::onEvents(const meeting::MeetingEvents& events)
{
    for (const auto& e : events) {
        const auto* chat = e.as<meeting::ev::Chat>();
        if (!chat)
            continue;
        const QString line =
            QStringLiteral("[%1] %2: %3").arg(chat->marking, chat->from, chat->text);
        m_messages->addItem(line);
        m_messages->scrollToBottom();
    }
}

int ChatPanel::messageCount() const
{
    return m_messages->count();
}

QString ChatPanel::message(int row) const
{
    return m_messages->item(row)->text();
}

void ChatPanel::send(const QString& text)
{
    if (text.trimmed().isEmpty())
        return;
    if (auto sent = m_meeting.sendChat(text.trimmed()); !sent)
        emit actionFailed(sent.error());
    else
        m_input->clear();
}

} // namespace conclave::ui
