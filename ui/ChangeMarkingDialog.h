// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "classification/Scheme.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QPushButton;

namespace conclave::ui {

class MarkingChooser;

/// Changing a meeting's marking: the new marking from the same chooser, and - when it is
/// lower than the current one - an explicit confirmation (the policy requires one). Raising
/// is checked against the policy when the chair applies it.
class ChangeMarkingDialog : public QDialog {
    Q_OBJECT

public:
    ChangeMarkingDialog(const classification::Scheme& scheme,
                        const classification::Marking& current, QWidget* parent = nullptr);

    const std::optional<classification::Marking>& chosen() const;
    bool loweringConfirmed() const;
    MarkingChooser& chooser() { return *m_chooser; }

private:
    void update();

    const classification::Scheme& m_scheme;
    classification::Marking m_current;
    MarkingChooser* m_chooser;
    QCheckBox* m_confirmLowering;
    QPushButton* m_apply;
};

} // namespace conclave::ui
