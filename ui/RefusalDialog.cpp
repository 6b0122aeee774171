// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/RefusalDialog.h"

#include <QMessageBox>

namespace conclave::ui {

QMessageBox* showRefusal(QWidget* parent, const QString& what, const Error& error)
{
    const bool policy = error.isPolicyRefusal(); // the category its producer gave it
    auto* box = new QMessageBox(policy ? QMessageBox::Critical : QMessageBox::Warning,
                                policy ? QMessageBox::tr("Not allowed by policy")
                                       : QMessageBox::tr("Not done"),
                                what, QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("refusalDialog"));
    box->setInformativeText(QString::fromStdString(error.message));
    box->setDetailedText(QMessageBox::tr("Code: %1").arg(QString::fromStdString(error.code)));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->open();
    return box;
}

} // namespace conclave::ui
