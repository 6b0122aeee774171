// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MarkingChooser.h"

#include "classification/MarkingParser.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>

#include <algorithm>

namespace conclave::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

MarkingChooser::MarkingChooser(const classification::Scheme& scheme, QWidget* parent)
    : QWidget(parent), m_scheme(scheme)
{
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);

    m_level = new QComboBox(this);
    m_level->setObjectName(QStringLiteral("markingLevel"));
    m_level->setPlaceholderText(tr("Choose a classification…"));
    for (const auto& level : scheme.levels)
        m_level->addItem(qs(level.name));
    m_level->setCurrentIndex(-1); // no preselection: the chair must choose
    m_level->setAccessibleName(tr("Classification level"));
    form->addRow(tr("&Classification:"), m_level);

    m_sensitive = new QCheckBox(
        scheme.sensitiveSuffix.empty() ? QString() : tr("Add -%1").arg(qs(scheme.sensitiveSuffix)),
        this);
    m_sensitive->setObjectName(QStringLiteral("markingSensitive"));
    m_sensitive->setAccessibleName(tr("Sensitive"));
    m_sensitive->setVisible(!scheme.sensitiveSuffix.empty());
    form->addRow(QString(), m_sensitive);

    m_caveat = new QComboBox(this);
    m_caveat->setObjectName(QStringLiteral("markingCaveat"));
    m_caveat->addItem(tr("No national caveat"));
    for (const auto& caveat : scheme.caveats)
        m_caveat->addItem(qs(caveat.phrase));
    m_caveat->setAccessibleName(tr("National caveat"));
    m_caveat->setVisible(!scheme.caveats.empty());
    form->addRow(tr("National ca&veat:"), m_caveat);

    const auto addGroup = [&](const QString& title, const std::vector<std::string>& phrases,
                              std::vector<Part>& parts, const char* name) {
        if (phrases.empty())
            return;
        auto* group = new QGroupBox(title, this);
        group->setObjectName(QLatin1String(name));
        auto* grid = new QGridLayout(group);
        for (size_t i = 0; i < phrases.size(); ++i) {
            auto* box = new QCheckBox(qs(phrases[i]), group);
            box->setAccessibleName(qs(phrases[i]));
            grid->addWidget(box, int(i / 2), int(i % 2));
            parts.push_back({box, phrases[i]});
        }
        form->addRow(group);
    };
    std::vector<std::string> handling;
    for (const auto& h : scheme.handlingInstructions)
        handling.push_back(h.phrase);
    addGroup(tr("Handling instructions"), handling, m_handling, "markingHandling");
    addGroup(tr("Descriptors"), scheme.descriptors, m_descriptors, "markingDescriptors");

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("markingResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    form->addRow(tr("Marking:"), m_result);

    connect(m_level, &QComboBox::currentIndexChanged, this, &MarkingChooser::refresh);
    connect(m_caveat, &QComboBox::currentIndexChanged, this, &MarkingChooser::refresh);
    connect(m_sensitive, &QCheckBox::toggled, this, &MarkingChooser::refresh);
    for (auto* parts : {&m_handling, &m_descriptors})
        for (const Part& part : *parts)
            connect(part.box, &QCheckBox::toggled, this, &MarkingChooser::refresh);
    refresh();
}

std::string MarkingChooser::compose(const QCheckBox* toggled) const
{
    const int level = m_level->currentIndex();
    if (level < 0)
        return {};
    const auto on = [toggled](const QCheckBox* box) {
        return box == toggled ? !box->isChecked() : box->isChecked();
    };
    std::string text = m_scheme.levels[size_t(level)].name;
    if (on(m_sensitive))
        text += "-" + m_scheme.sensitiveSuffix;
    if (m_caveat->currentIndex() > 0)
        text += " " + m_scheme.caveats[size_t(m_caveat->currentIndex() - 1)].phrase;
    for (auto* parts : {&m_handling, &m_descriptors})
        for (const Part& part : *parts)
            if (on(part.box))
                text += " " + part.phrase;
    return text;
}

void MarkingChooser::refresh()
{
    if (m_refreshing)
        return;
    m_refreshing = true;
    const classification::MarkingParser parser(m_scheme);
    const int level = m_level->currentIndex();
    const auto fits = [&](const QCheckBox* toggled) {
        return level >= 0 && parser.parse(compose(toggled)).ok();
    };
    // A caveat that no longer fits the level goes first, then any part that stopped fitting.
    if (level >= 0 && size_t(level) < m_scheme.caveatMinLevel)
        m_caveat->setCurrentIndex(0);
    m_caveat->setEnabled(level >= 0 && size_t(level) >= m_scheme.caveatMinLevel);
    std::vector<QCheckBox*> boxes{m_sensitive};
    for (auto* parts : {&m_handling, &m_descriptors})
        for (const Part& part : *parts)
            boxes.push_back(part.box);
    for (QCheckBox* box : boxes)
        if (box->isChecked() && !parser.parse(compose(nullptr)).ok())
            box->setChecked(false);
    for (QCheckBox* box : boxes) {
        // Offered when switching it keeps the marking valid (unchecking always does).
        const bool allowed = box->isChecked() || fits(box);
        box->setEnabled(allowed);
        box->setToolTip(
            allowed
                ? QString()
                : tr("Not allowed with the rest of this marking under %1.").arg(qs(m_scheme.name)));
    }
    m_marking.reset();
    if (level < 0) {
        m_result->setText(tr("Choose a classification. There is no default."));
    } else if (auto parsed = parser.parse(compose(nullptr))) {
        m_marking = parsed->marking;
        m_result->setText(
            QStringLiteral("<b>%1</b>").arg(qs(m_marking->canonical).toHtmlEscaped()));
    } else {
        m_result->setText(qs(parsed.error().message));
    }
    m_result->setAccessibleName(m_result->text());
    m_refreshing = false;
    emit markingChanged();
}

void MarkingChooser::choose(const classification::Marking& marking)
{
    m_refreshing = true;
    m_level->setCurrentIndex(int(marking.level));
    m_sensitive->setChecked(marking.sensitive);
    m_caveat->setCurrentIndex(0);
    for (size_t i = 0; i < m_scheme.caveats.size(); ++i)
        if (marking.caveat == m_scheme.caveats[i].phrase)
            m_caveat->setCurrentIndex(int(i + 1));
    const auto has = [](const std::vector<std::string>& list, const std::string& p) {
        return std::find(list.begin(), list.end(), p) != list.end();
    };
    for (const Part& part : m_handling)
        part.box->setChecked(has(marking.handlingInstructions, part.phrase));
    for (const Part& part : m_descriptors)
        part.box->setChecked(has(marking.descriptors, part.phrase));
    m_refreshing = false;
    refresh();
}

} // namespace conclave::ui
