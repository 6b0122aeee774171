// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "policy/PolicyDocument.h"

#include <QWidget>

#include <optional>
#include <string>

class QLabel;
class QLineEdit;
class QTableWidget;

namespace conclave::ui {

/// What this computer may do under the policy in force: which policy, why (if it is the
/// built-in one), every backend and the highest marking it is approved for, and a marking
/// checker that shows, per backend, whether a meeting with that marking may start there.
/// The meeting screens of later versions grow from here.
class PolicyStatusWindow : public QWidget {
    Q_OBJECT

public:
    PolicyStatusWindow(const policy::PolicyDocument& policy, std::optional<std::string> problem,
                       QString identityFingerprint, QWidget* parent = nullptr);

    /// Re-evaluates the marking typed into the checker (also runs on every edit).
    void checkMarking(const QString& text);
    QString checkResultText() const;

private:
    QWidget* makeHeader(const std::optional<std::string>& problem, const QString& fingerprint);
    QTableWidget* makeBackendTable();

    const policy::PolicyDocument& m_policy;
    QLineEdit* m_markingEdit = nullptr;
    QLabel* m_markingResult = nullptr;
    QTableWidget* m_decisions = nullptr;
};

} // namespace conclave::ui
