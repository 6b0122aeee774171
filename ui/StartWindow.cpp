// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/StartWindow.h"

#include "ui/BackendList.h"
#include "ui/MarkingChooser.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace conclave::ui {

StartWindow::StartWindow(const policy::PolicyDocument& policy, QString policyProblem,
                         QList<QHostAddress> hostAddresses, QWidget* parent)
    : QWidget(parent), m_policy(policy)
{
    setWindowTitle(tr("Conclave"));
    setObjectName(QStringLiteral("startWindow"));
    auto* layout = new QVBoxLayout(this);

    auto* policyRow = new QHBoxLayout;
    auto* policyLabel =
        new QLabel(policyProblem.isEmpty()
                       ? tr("Policy in force: %1.").arg(QString::fromStdString(policy.describe()))
                       : tr("Policy in force: %1. %2")
                             .arg(QString::fromStdString(policy.describe()), policyProblem),
                   this);
    policyLabel->setObjectName(QStringLiteral("policySummary"));
    policyLabel->setWordWrap(true);
    auto* details = new QPushButton(tr("&Policy details…"), this);
    details->setAccessibleName(tr("Show the policy in force"));
    connect(details, &QPushButton::clicked, this, &StartWindow::policyDetailsRequested);
    policyRow->addWidget(policyLabel, 1);
    policyRow->addWidget(details);
    layout->addLayout(policyRow);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(makeNewMeetingPage(hostAddresses), tr("&New meeting"));
    m_tabs->addTab(makeJoinPage(), tr("&Join a meeting"));
    layout->addWidget(m_tabs, 1);
    updateReadiness();
}

QWidget* StartWindow::makeNewMeetingPage(const QList<QHostAddress>& hostAddresses)
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);

    m_title = new QLineEdit(page);
    m_title->setObjectName(QStringLiteral("title"));
    m_title->setPlaceholderText(tr("e.g. Select Committee pre-brief"));
    m_title->setAccessibleName(tr("Meeting title"));
    form->addRow(tr("&Title:"), m_title);

    m_marking = new MarkingChooser(m_policy.scheme, page);
    form->addRow(m_marking);

    m_backends = new BackendList(m_policy, page);
    auto* where = new QLabel(tr("&Where it runs:"), page);
    where->setBuddy(m_backends);
    form->addRow(where, m_backends);

    m_address = new QComboBox(page);
    m_address->setObjectName(QStringLiteral("hostAddress"));
    m_address->setAccessibleName(tr("Address others join on"));
    for (const QHostAddress& a : hostAddresses)
        m_address->addItem(a.isLoopback() ? tr("This computer only (%1)").arg(a.toString())
                                          : tr("Network: %1").arg(a.toString()),
                           a.toString());
    form->addRow(tr("Others &join on:"), m_address);

    m_invitees = new QPlainTextEdit(page);
    m_invitees->setObjectName(QStringLiteral("invitees"));
    m_invitees->setPlaceholderText(tr("One name per line; each gets a single-use invite."));
    m_invitees->setAccessibleName(tr("Invitees, one per line"));
    m_invitees->setTabChangesFocus(true);
    m_invitees->setFixedHeight(70);
    form->addRow(tr("&Invite:"), m_invitees);

    m_chairName = new QLineEdit(tr("Chair"), page);
    m_chairName->setObjectName(QStringLiteral("chairName"));
    m_chairName->setAccessibleName(tr("Your name"));
    form->addRow(tr("Your &name:"), m_chairName);

    m_chat = new QCheckBox(tr("C&hat (where the policy allows it)"), page);
    m_chat->setObjectName(QStringLiteral("chat"));
    m_openLink = new QCheckBox(tr("Also make a meeting &link for people without an invite "
                                  "(where the policy allows it; they wait to be admitted)"),
                               page);
    m_openLink->setObjectName(QStringLiteral("openLink"));
    form->addRow(m_chat);
    form->addRow(m_openLink);

    m_readiness = new QLabel(page);
    m_readiness->setObjectName(QStringLiteral("readiness"));
    m_readiness->setWordWrap(true);
    m_start = new QPushButton(tr("&Start meeting"), page);
    m_start->setObjectName(QStringLiteral("startMeeting"));
    m_start->setDefault(true);
    form->addRow(m_readiness);
    form->addRow(m_start);

    connect(m_title, &QLineEdit::textChanged, this, &StartWindow::updateReadiness);
    connect(m_marking, &MarkingChooser::markingChanged, this, [this] {
        m_backends->setMarking(m_marking->marking());
        updateReadiness();
    });
    connect(m_backends, &QListWidget::itemSelectionChanged, this, &StartWindow::updateReadiness);
    connect(m_start, &QPushButton::clicked, this, &StartWindow::submit);
    return page;
}

QWidget* StartWindow::makeJoinPage()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_link = new QLineEdit(page);
    m_link->setObjectName(QStringLiteral("inviteLink"));
    m_link->setPlaceholderText(tr("conclave:invite:… or conclave:meeting:…"));
    m_link->setAccessibleName(tr("Invite or meeting link"));
    form->addRow(tr("&Invite:"), m_link);
    m_joinName = new QLineEdit(page);
    m_joinName->setObjectName(QStringLiteral("joinName"));
    m_joinName->setAccessibleName(tr("Your name (a per-person invite's name is used instead)"));
    form->addRow(tr("Your &name:"), m_joinName);
    auto* note = new QLabel(tr("You will see the meeting's classification and acknowledge it "
                               "before anything is shown. The chair admits you from the "
                               "waiting room."),
                            page);
    note->setWordWrap(true);
    form->addRow(note);
    m_join = new QPushButton(tr("&Join"), page);
    m_join->setObjectName(QStringLiteral("join"));
    m_join->setEnabled(false);
    form->addRow(m_join);
    connect(m_link, &QLineEdit::textChanged, this,
            [this](const QString& text) { m_join->setEnabled(!text.trimmed().isEmpty()); });
    connect(m_join, &QPushButton::clicked, this,
            [this] { emit joinRequested(m_link->text().trimmed(), m_joinName->text().trimmed()); });
    return page;
}

QString StartWindow::whyNotReady() const
{
    if (!m_marking->marking())
        return tr("Choose the meeting's classification: there is no default.");
    if (!m_backends->selectedBackend())
        return tr("Choose where the meeting runs from the backends the policy allows for %1.")
            .arg(QString::fromStdString(m_marking->marking()->canonical));
    if (m_title->text().trimmed().isEmpty())
        return tr("Give the meeting a title.");
    return {};
}

void StartWindow::updateReadiness()
{
    const QString why = whyNotReady();
    m_start->setEnabled(why.isEmpty());
    m_readiness->setText(why);
    m_readiness->setVisible(!why.isEmpty());
    const bool embedded = m_backends->selectedBackend().value_or(QString()) ==
                          QLatin1String(BackendList::kThisComputer);
    m_address->setEnabled(embedded);
}

void StartWindow::submit()
{
    if (!whyNotReady().isEmpty())
        return;
    NewMeetingRequest request;
    request.title = m_title->text().trimmed();
    request.marking = *m_marking->marking();
    request.backendId = *m_backends->selectedBackend();
    request.listenAddress = QHostAddress(m_address->currentData().toString());
    for (const QString& line : m_invitees->toPlainText().split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty())
            request.invitees << line.trimmed();
    request.chairName =
        m_chairName->text().trimmed().isEmpty() ? tr("Chair") : m_chairName->text().trimmed();
    request.chat = m_chat->isChecked();
    request.openLink = m_openLink->isChecked();
    emit startRequested(request);
}

} // namespace conclave::ui
