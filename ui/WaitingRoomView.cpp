// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/WaitingRoomView.h"

#include "ui/MarkingBanner.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace conclave::ui {

WaitingRoomView::WaitingRoomView(const classification::Scheme& scheme, QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("waitingRoom"));
    resize(560, 320);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_top = new MarkingBanner(scheme, this);
    layout->addWidget(m_top);
    auto* body = new QVBoxLayout;
    body->setContentsMargins(24, 24, 24, 24);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("waitingTitle"));
    m_title->setAlignment(Qt::AlignCenter);
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.3);
    m_title->setFont(f);
    m_message = new QLabel(tr("You are in the waiting room. The chair will let you in."), this);
    m_message->setObjectName(QStringLiteral("waitingMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    auto* leave = new QPushButton(tr("&Leave the waiting room"), this);
    leave->setObjectName(QStringLiteral("leaveWaitingRoom"));
    connect(leave, &QPushButton::clicked, this, &WaitingRoomView::leaveRequested);
    body->addStretch(1);
    body->addWidget(m_title);
    body->addWidget(m_message);
    body->addStretch(1);
    body->addWidget(leave, 0, Qt::AlignHCenter);
    layout->addLayout(body, 1);
    m_bottom = new MarkingBanner(scheme, this);
    layout->addWidget(m_bottom);
}

void WaitingRoomView::show(const QString& marking, const QString& title)
{
    m_top->setMarking(marking);
    m_bottom->setMarking(marking);
    m_title->setText(title);
    setWindowTitle(tr("[%1] Waiting room — Conclave").arg(marking));
    QWidget::show();
}

void WaitingRoomView::setMessage(const QString& message)
{
    m_message->setText(message);
}

QString WaitingRoomView::message() const
{
    return m_message->text();
}

QString WaitingRoomView::marking() const
{
    return m_top->marking();
}

} // namespace conclave::ui
