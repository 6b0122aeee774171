// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "meeting/MeetingEvent.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace conclave::conference {
class MeetingController;
}

namespace conclave::ui {

/// The meeting's chat, end-to-end encrypted with the epoch key. Every message is shown with
/// the marking it was sent under, and the panel says which marking its messages carry.
class ChatPanel : public QWidget {
    Q_OBJECT

public:
    explicit ChatPanel(conference::MeetingController& meeting, QWidget* parent = nullptr);

    void onEvents(const meeting::MeetingEvents& events);
    void refresh();
    int messageCount() const;
    QString message(int row) const;
    void send(const QString& text);

signals:
    void actionFailed(const conclave::Error& error);

private:
    conference::MeetingController& m_meeting;
    QLabel* m_markingNote;
    QListWidget* m_messages;
    QLineEdit* m_input;
    QPushButton* m_send;
};

} // namespace conclave::ui
