// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "policy/PolicyDocument.h"

#include <QListWidget>

#include <optional>

namespace conclave::ui {

/// Where a new meeting may run: every backend of the policy in force, each with the policy's
/// decision for the chosen marking. A refused backend stays in the list, disabled, with the
/// reason written under its name (and as its tooltip and accessible description), so the
/// chair sees what would make it allowed. Under the built-in policy the only backend is this
/// computer. "This computer" is preselected when it is allowed; nothing else is.
class BackendList : public QListWidget {
    Q_OBJECT

public:
    static constexpr const char* kThisComputer = "this-computer";
    static constexpr int kBackendIdRole = Qt::UserRole;
    static constexpr int kReasonRole = Qt::UserRole + 1;

    explicit BackendList(const policy::PolicyDocument& policy, QWidget* parent = nullptr);

    /// Re-decides every backend for the marking (nullopt: nothing can be chosen yet).
    void setMarking(const std::optional<classification::Marking>& marking);
    /// The chosen, allowed backend id.
    std::optional<QString> selectedBackend() const;

private:
    const policy::PolicyDocument& m_policy;
};

} // namespace conclave::ui
