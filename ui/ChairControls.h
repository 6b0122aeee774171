// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "meeting/ChairCommand.h"

#include <QWidget>

#include <vector>

class QPushButton;

namespace conclave::conference {
class MeetingController;
}

namespace conclave::ui {

/// The chair's meeting-wide controls, each one chair command: lock, mute all, chat on/off,
/// **suspend all activity** (media, chat and screen share stop, and the meeting locks - the
/// answer to a disruption), change marking, invites, end. Which show is read from the
/// chair-command table (MeetingController::mayCommand): a co-chair sees lock, mute all and
/// suspend, sent to the chair as requests.
class ChairControls : public QWidget {
    Q_OBJECT

public:
    explicit ChairControls(conference::MeetingController& meeting, QWidget* parent = nullptr);

    void refresh();
    QPushButton* suspendButton() const { return m_suspend; }

signals:
    void changeMarkingRequested();
    void invitesRequested();
    void actionFailed(const conclave::Error& error);

private:
    QPushButton* makeButton(const QString& name, const QString& accessible);
    void give(const meeting::ChairCommand& command);
    void toggleLock();
    void muteAll();
    void toggleChat();
    void toggleSuspend();
    void end();

    conference::MeetingController& m_meeting;
    QPushButton* m_lock;
    QPushButton* m_muteAll;
    QPushButton* m_chat;
    QPushButton* m_suspend;
    QPushButton* m_marking;
    QPushButton* m_invites;
    QPushButton* m_end;
    std::vector<QPushButton*> m_all;
};

} // namespace conclave::ui
