// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "policy/PolicyDocument.h"
#include "ui/NewMeetingRequest.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace conclave::ui {

class BackendList;
class MarkingChooser;

/// The first window: *New meeting* (title, a marking chooser with nothing preselected, where
/// it runs - refused backends disabled with the reason - and who is invited) and *Join*
/// (paste an invite or meeting link). "Start meeting" stays disabled until there is a title,
/// a chosen marking and a backend the policy allows for it; the reason is always shown.
class StartWindow : public QWidget {
    Q_OBJECT

public:
    StartWindow(const policy::PolicyDocument& policy, QString policyProblem,
                QList<QHostAddress> hostAddresses, QWidget* parent = nullptr);

    /// Why "Start meeting" is disabled, or "" when it is enabled.
    QString whyNotReady() const;
    MarkingChooser& markingChooser() { return *m_marking; }
    BackendList& backendList() { return *m_backends; }

signals:
    void startRequested(const conclave::ui::NewMeetingRequest& request);
    void joinRequested(const QString& link, const QString& name);
    void policyDetailsRequested();

private:
    QWidget* makeNewMeetingPage(const QList<QHostAddress>& hostAddresses);
    QWidget* makeJoinPage();
    void updateReadiness();
    void submit();

    const policy::PolicyDocument& m_policy;
    QTabWidget* m_tabs;
    QLineEdit* m_title = nullptr;
    MarkingChooser* m_marking = nullptr;
    BackendList* m_backends = nullptr;
    QComboBox* m_address = nullptr;
    QPlainTextEdit* m_invitees = nullptr;
    QLineEdit* m_chairName = nullptr;
    QCheckBox* m_chat = nullptr;
    QCheckBox* m_openLink = nullptr;
    QLabel* m_readiness = nullptr;
    QPushButton* m_start = nullptr;
    QLineEdit* m_link = nullptr;
    QLineEdit* m_joinName = nullptr;
    QPushButton* m_join = nullptr;
};

} // namespace conclave::ui
