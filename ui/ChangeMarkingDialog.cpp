// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/ChangeMarkingDialog.h"

#include "ui/MarkingChooser.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace conclave::ui {

ChangeMarkingDialog::ChangeMarkingDialog(const classification::Scheme& scheme,
                                         const classification::Marking& current, QWidget* parent)
    : QDialog(parent), m_scheme(scheme), m_current(current)
{
    setObjectName(QStringLiteral("changeMarkingDialog"));
    setWindowTitle(tr("Change marking — Conclave"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(
        tr("Now: <b>%1</b>").arg(QString::fromStdString(current.canonical).toHtmlEscaped()), this));
    m_chooser = new MarkingChooser(scheme, this);
    m_chooser->choose(current);
    layout->addWidget(m_chooser);
    m_confirmLowering = new QCheckBox(
        tr("I confirm the meeting may be marked lower than before (everyone is told)"), this);
    m_confirmLowering->setObjectName(QStringLiteral("confirmLowering"));
    layout->addWidget(m_confirmLowering);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_apply = buttons->addButton(tr("&Apply"), QDialogButtonBox::AcceptRole);
    m_apply->setObjectName(QStringLiteral("applyMarking"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_chooser, &MarkingChooser::markingChanged, this, &ChangeMarkingDialog::update);
    connect(m_confirmLowering, &QCheckBox::toggled, this, &ChangeMarkingDialog::update);
    update();
}

const std::optional<classification::Marking>& ChangeMarkingDialog::chosen() const
{
    return m_chooser->marking();
}

bool ChangeMarkingDialog::loweringConfirmed() const
{
    return m_confirmLowering->isChecked();
}

void ChangeMarkingDialog::update()
{
    const auto& chosen = m_chooser->marking();
    const bool lower = chosen && classification::approvalGrade(m_scheme, *chosen) <
                                     classification::approvalGrade(m_scheme, m_current);
    m_confirmLowering->setVisible(lower);
    m_apply->setEnabled(chosen && !(*chosen == m_current) &&
                        (!lower || m_confirmLowering->isChecked()));
}

} // namespace conclave::ui
