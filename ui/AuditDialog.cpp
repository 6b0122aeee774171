// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/AuditDialog.h"

#include "storage/AuditLog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace conclave::ui {

AuditDialog::AuditDialog(storage::AuditLog& log, crypto::Ed25519PublicKey deviceKey,
                         QWidget* parent)
    : QDialog(parent), m_log(log), m_deviceKey(deviceKey)
{
    setObjectName(QStringLiteral("auditDialog"));
    setWindowTitle(tr("Audit log — Conclave"));
    resize(900, 480);
    auto* layout = new QVBoxLayout(this);
    m_verification = new QLabel(this);
    m_verification->setObjectName(QStringLiteral("auditVerification"));
    m_verification->setWordWrap(true);
    layout->addWidget(m_verification);
    m_table = new QTableWidget(0, 4, this);
    m_table->setObjectName(QStringLiteral("auditEntries"));
    m_table->setAccessibleName(tr("Audit entries, newest first"));
    m_table->setHorizontalHeaderLabels({tr("When (UTC)"), tr("What"), tr("Marking"), tr("Detail")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_table, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* refresh = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    connect(refresh, &QPushButton::clicked, this, &AuditDialog::reload);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    reload();
}

void AuditDialog::reload()
{
    const auto verified = m_log.verify(m_deviceKey);
    if (!verified)
        m_verification->setText(tr("The audit log could not be checked: %1")
                                    .arg(QString::fromStdString(verified.error().message)));
    else if (verified->intact && !verified->gaps.empty())
        m_verification->setText(tr("The audit log is intact but not complete: %1 events could "
                                   "not be recorded (the disk was full or failing; see the "
                                   "audit.gap entries). %2 entries, %3 seals, signed by this "
                                   "device.")
                                    .arg(verified->unrecordedEvents)
                                    .arg(verified->entries)
                                    .arg(verified->seals));
    else if (verified->intact)
        m_verification->setText(tr("The audit log is intact: %1 entries, %2 seals, signed by "
                                   "this device.")
                                    .arg(verified->entries)
                                    .arg(verified->seals));
    else
        m_verification->setText(tr("THE AUDIT LOG HAS BEEN ALTERED at entry %1: %2. Report this "
                                   "to your security team.")
                                    .arg(verified->firstBrokenEntry.value_or(0))
                                    .arg(QString::fromStdString(verified->reason)));
    const int64_t total = verified ? verified->entries : 0;
    const auto entries =
        m_log.entries(std::max<int64_t>(1, total - kShownEntries + 1), kShownEntries);
    m_table->setRowCount(0);
    if (!entries)
        return;
    m_table->setRowCount(int(entries->size()));
    int row = 0;
    for (auto it = entries->rbegin(); it != entries->rend(); ++it, ++row) {
        const QStringList cells{
            QString::fromStdString(it->at), QString::fromStdString(it->category),
            QString::fromStdString(it->marking), QString::fromStdString(it->detail)};
        for (int column = 0; column < cells.size(); ++column)
            m_table->setItem(row, column, new QTableWidgetItem(cells[column]));
    }
    m_table->resizeColumnsToContents();
}

int AuditDialog::rowCount() const
{
    return m_table->rowCount();
}

QString AuditDialog::verificationText() const
{
    return m_verification->text();
}

} // namespace conclave::ui
