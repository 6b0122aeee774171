// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "crypto/Ed25519.h"
#include "meeting/ChairCommand.h"

#include <QWidget>

#include <map>
#include <optional>
#include <vector>

class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace conclave::conference {
class MeetingController;
struct Member;
} // namespace conclave::conference

namespace conclave::ui {

/// The people: a waiting-room section (name, verified fingerprint, how their invite checked
/// out) and the members (name, role, fingerprint). The chair (or a co-chair, through its
/// requests) acts on the selected person: admit, deny, admit all invited, remove (banned),
/// back to the waiting room, mute, stop video, allow or revoke screen share, co-chair. Each
/// button is one chair command; which show is read from the chair-command table.
class RosterPanel : public QWidget {
    Q_OBJECT

public:
    explicit RosterPanel(conference::MeetingController& meeting, QWidget* parent = nullptr);

    /// Redraws from the meeting (keeps the selection where the person is still there).
    void refresh();
    QTreeWidgetItem* waitingSection() const { return m_waiting; }
    QTreeWidgetItem* memberSection() const { return m_members; }
    /// Selects the first person whose name contains `name`; false if nobody does.
    bool select(const QString& name);

signals:
    /// An action was refused (code, reason): shown to the user by the window.
    void actionFailed(const conclave::Error& error);

private:
    using Action = meeting::ChairAction;
    QPushButton* addButton(const char* name, const QString& text, const QString& accessible,
                           Action action);
    void run(Action action);
    /// The command a button gives for the current selection (two-way ones flip its state).
    meeting::ChairCommand commandFor(Action action) const;
    std::optional<crypto::Ed25519PublicKey> selected(bool inWaitingRoom) const;
    const conference::Member* selectedMember() const;
    void updateButtons();

    conference::MeetingController& m_meeting;
    QTreeWidget* m_tree;
    QTreeWidgetItem* m_waiting;
    QTreeWidgetItem* m_members;
    std::map<Action, QPushButton*> m_buttons;
    std::vector<conference::Member> m_shownMembers;
};

} // namespace conclave::ui
