// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Scheme.h"

#include <QLabel>

namespace conclave::ui {

/// The classification banner: the exact canonical marking, in the scheme's colours for its
/// level, across the full width of a meeting window (top and bottom). Where the scheme's
/// colours would make the text hard to read, the text turns black or white instead: the
/// marking must always be legible, including in high-contrast themes.
class MarkingBanner : public QLabel {
    Q_OBJECT

public:
    explicit MarkingBanner(const classification::Scheme& scheme, QWidget* parent = nullptr);

    /// Canonical marking text as the signed descriptor carries it; "" shows nothing yet.
    void setMarking(const QString& canonical);
    QString marking() const { return m_marking; }
    /// Contrast of text on background (WCAG ratio, 1-21); readable at >= 4.5.
    static double contrastRatio(const QColor& a, const QColor& b);

private:
    const classification::Scheme& m_scheme;
    QString m_marking;
};

} // namespace conclave::ui
