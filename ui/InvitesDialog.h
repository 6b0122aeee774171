// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

class QLineEdit;
class QTableWidget;

namespace conclave::conference {
class MeetingController;
}

namespace conclave::ui {

/// The meeting's invites: one single-use link per person (valid a day, bound to their name)
/// to copy into a message, the meeting link where uninvited knocking is allowed, and a field
/// to invite someone else.
class InvitesDialog : public QDialog {
    Q_OBJECT

public:
    InvitesDialog(conference::MeetingController& chair, QWidget* parent = nullptr);

    /// Adds a row for an invite made elsewhere (at start).
    void addInvite(const QString& name, const QString& link);
    int inviteCount() const;
    QString linkAt(int row) const;

private:
    void invite();

    conference::MeetingController& m_chair;
    QTableWidget* m_table;
    QLineEdit* m_name;
};

} // namespace conclave::ui
