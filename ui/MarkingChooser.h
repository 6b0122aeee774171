// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "classification/Scheme.h"

#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;

namespace conclave::ui {

/// Chooses a marking from the scheme's parts: a level (nothing preselected - a meeting cannot
/// be created until someone chooses), the sensitive suffix, a national caveat, handling
/// instructions and descriptors. A part is offered only where adding it keeps the marking
/// valid under the scheme's rules (the parser decides), so an invalid combination cannot be
/// chosen; parts that stop fitting when the level changes are taken off.
class MarkingChooser : public QWidget {
    Q_OBJECT

public:
    explicit MarkingChooser(const classification::Scheme& scheme, QWidget* parent = nullptr);

    /// The chosen marking, nullopt until a level is chosen.
    const std::optional<classification::Marking>& marking() const { return m_marking; }
    /// Chooses the parts of an existing marking (e.g. to start a change from the current one).
    void choose(const classification::Marking& marking);

signals:
    void markingChanged();

private:
    struct Part {
        QCheckBox* box;
        std::string phrase;
    };
    std::string compose(const QCheckBox* toggled) const;
    void refresh();

    const classification::Scheme& m_scheme;
    QComboBox* m_level;
    QCheckBox* m_sensitive;
    QComboBox* m_caveat;
    std::vector<Part> m_handling;
    std::vector<Part> m_descriptors;
    QLabel* m_result;
    std::optional<classification::Marking> m_marking;
    bool m_refreshing = false;
};

} // namespace conclave::ui
