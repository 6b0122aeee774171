// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MarkingBanner.h"

#include "classification/MarkingParser.h"

#include <QColor>
#include <QtMath>

namespace conclave::ui {

namespace {

double luminance(const QColor& c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : qPow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

} // namespace

MarkingBanner::MarkingBanner(const classification::Scheme& scheme, QWidget* parent)
    : QLabel(parent), m_scheme(scheme)
{
    setAlignment(Qt::AlignCenter);
    setTextFormat(Qt::PlainText);
    setMargin(4);
    QFont f = font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.25);
    setFont(f);
    setAutoFillBackground(true);
    setMarking({});
}

double MarkingBanner::contrastRatio(const QColor& a, const QColor& b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

void MarkingBanner::setMarking(const QString& canonical)
{
    m_marking = canonical;
    QColor background(Qt::darkGray);
    QColor foreground(Qt::white);
    if (auto parsed = classification::MarkingParser(m_scheme).parse(canonical.toStdString())) {
        const auto& level = classification::levelOf(m_scheme, parsed->marking);
        background = QColor(QString::fromStdString(level.background));
        foreground = QColor(QString::fromStdString(level.foreground));
    }
    if (contrastRatio(background, foreground) < 4.5)
        foreground = contrastRatio(background, Qt::black) >= contrastRatio(background, Qt::white)
                         ? QColor(Qt::black)
                         : QColor(Qt::white);
    QPalette p = palette();
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, foreground);
    setPalette(p);
    // A stylesheet too: some platform styles ignore the palette of a plain label.
    setStyleSheet(QStringLiteral("QLabel { background-color: %1; color: %2; }")
                      .arg(background.name(), foreground.name()));
    setText(canonical.isEmpty() ? tr("Marking not yet known") : canonical);
    setAccessibleName(canonical.isEmpty() ? tr("Classification not yet known")
                                          : tr("Classification: %1").arg(canonical));
}

} // namespace conclave::ui
