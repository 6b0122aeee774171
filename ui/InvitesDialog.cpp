// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/InvitesDialog.h"

#include "conference/MeetingController.h"
#include "ui/RefusalDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace conclave::ui {

InvitesDialog::InvitesDialog(conference::MeetingController& chair, QWidget* parent)
    : QDialog(parent), m_chair(chair)
{
    setObjectName(QStringLiteral("invitesDialog"));
    setWindowTitle(tr("Invites — Conclave"));
    resize(760, 320);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Send each person their own link: it works once, for a "
                                    "day, and only under the name it was made for."),
                                 this));
    m_table = new QTableWidget(0, 3, this);
    m_table->setObjectName(QStringLiteral("inviteTable"));
    m_table->setAccessibleName(tr("Invites"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Link"), QString()});
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_table, 1);
    auto* row = new QHBoxLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("inviteName"));
    m_name->setPlaceholderText(tr("Name of the person to invite"));
    m_name->setAccessibleName(tr("Name of the person to invite"));
    auto* add = new QPushButton(tr("&Invite"), this);
    add->setObjectName(QStringLiteral("addInvite"));
    row->addWidget(m_name, 1);
    row->addWidget(add);
    layout->addLayout(row);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(add, &QPushButton::clicked, this, &InvitesDialog::invite);
    connect(m_name, &QLineEdit::returnPressed, this, &InvitesDialog::invite);
    if (auto link = chair.makeMeetingLink())
        addInvite(tr("Anyone (waits to be admitted)"), *link);
}

void InvitesDialog::addInvite(const QString& name, const QString& link)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(name));
    m_table->setItem(row, 1, new QTableWidgetItem(link));
    auto* copy = new QPushButton(tr("Copy"), m_table);
    copy->setAccessibleName(tr("Copy the invite for %1").arg(name));
    connect(copy, &QPushButton::clicked, this,
            [link] { QApplication::clipboard()->setText(link); });
    m_table->setCellWidget(row, 2, copy);
}

int InvitesDialog::inviteCount() const
{
    return m_table->rowCount();
}

QString InvitesDialog::linkAt(int row) const
{
    return m_table->item(row, 1)->text();
}

void InvitesDialog::invite()
{
    const QString name = m_name->text().trimmed();
    if (name.isEmpty())
        return;
    auto link = m_chair.makeInvite(name);
    if (!link) {
        showRefusal(this, tr("No invite was made for %1.").arg(name), link.error());
        return;
    }
    addInvite(name, *link);
    m_name->clear();
}

} // namespace conclave::ui
