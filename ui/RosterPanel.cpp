// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/RosterPanel.h"

#include "conference/MeetingController.h"

#include <QColor>
#include <QGridLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace conclave::ui {

namespace {

constexpr int kIdentityRole = Qt::UserRole;

QString inviteText(meeting::InviteMatch match, const QString& problem)
{
    switch (match) {
    case meeting::InviteMatch::Invited:
        return RosterPanel::tr("Invited (valid invite)");
    case meeting::InviteMatch::Uninvited:
        return RosterPanel::tr("Not invited");
    case meeting::InviteMatch::InviteInvalid:
        return RosterPanel::tr("Invite not valid: %1").arg(problem);
    case meeting::InviteMatch::Returning:
        return RosterPanel::tr("Sent back to the waiting room earlier");
    }
    return {};
}

/// Whether the chair already trusts the knocker's key: what "admit all invited" goes by. Short
/// in the row; the tooltip (and what a screen reader says) tells the chair what to do.
QString keyText(const conference::Knocker& k)
{
    if (k.contact == QLatin1String("key_changed"))
        return RosterPanel::tr("KEY CHANGED");
    return k.keyVerified ? RosterPanel::tr("key known") : RosterPanel::tr("new key");
}

QString keyAdvice(const conference::Knocker& k)
{
    if (k.contact == QLatin1String("key_changed"))
        return RosterPanel::tr("This name was seen before with a different key: check with them "
                               "through another channel before admitting.");
    if (k.keyVerified)
        return RosterPanel::tr("This device knows this key for this person.");
    return RosterPanel::tr("First contact: compare the fingerprint with them (phone, in the "
                           "room) before admitting. \"Admit all invited\" leaves them waiting.");
}

QString roleText(const conference::Member& m)
{
    QStringList parts;
    if (m.index == 0)
        parts << RosterPanel::tr("Chair");
    else if (m.coChair)
        parts << RosterPanel::tr("Co-chair");
    else if (m.role == crypto::MemberRole::Observer)
        parts << RosterPanel::tr("Observer");
    else
        parts << RosterPanel::tr("Participant");
    if (m.isSelf)
        parts << RosterPanel::tr("you");
    return parts.join(QStringLiteral(", "));
}

QByteArray keyBytes(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), qsizetype(key.bytes.size()));
}

} // namespace

RosterPanel::RosterPanel(conference::MeetingController& meeting, QWidget* parent)
    : QWidget(parent), m_meeting(meeting)
{
    setObjectName(QStringLiteral("roster"));
    auto* layout = new QVBoxLayout(this);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("people"));
    m_tree->setAccessibleName(tr("People: waiting room and members"));
    m_tree->setHeaderLabels({tr("Name"), tr("Status"), tr("Fingerprint")});
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_waiting = new QTreeWidgetItem(m_tree, {tr("Waiting room")});
    m_members = new QTreeWidgetItem(m_tree, {tr("In the meeting")});
    for (auto* section : {m_waiting, m_members}) {
        section->setFlags(Qt::ItemIsEnabled);
        QFont f = section->font(0);
        f.setBold(true);
        section->setFont(0, f);
        section->setExpanded(true);
    }
    layout->addWidget(m_tree, 1);

    auto* buttons = new QGridLayout;
    const auto add = [&](int row, int column, const char* name, const QString& text,
                         const QString& accessible, Action action) {
        buttons->addWidget(addButton(name, text, accessible, action), row, column);
    };
    add(0, 0, "admit", tr("&Admit"), tr("Admit the selected person"), Action::Admit);
    add(0, 1, "deny", tr("&Deny"), tr("Turn the selected person away"), Action::Deny);
    add(0, 2, "admitAll", tr("Admit all &invited"),
        tr("Admit everyone with a valid invite whose key this device already knows"),
        Action::AdmitAllInvited);
    add(1, 0, "remove", tr("&Remove"), tr("Remove the selected member and ban them"),
        Action::Remove);
    add(1, 1, "toLobby", tr("Back to &waiting room"),
        tr("Send the selected member back to the waiting room"), Action::ToLobby);
    add(1, 2, "mute", tr("&Mute"), tr("Mute the selected member"), Action::Mute);
    add(2, 0, "stopVideo", tr("Stop &video"), tr("Stop the selected member's video"),
        Action::StopVideo);
    add(2, 1, "share", tr("Allow/revoke s&hare"),
        tr("Allow or revoke screen sharing for the selected member"), Action::Share);
    add(2, 2, "coChair", tr("Co-c&hair"), tr("Name or withdraw the selected member as co-chair"),
        Action::CoChair);
    layout->addLayout(buttons);
    connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &RosterPanel::updateButtons);
    refresh();
}

QPushButton* RosterPanel::addButton(const char* name, const QString& text,
                                    const QString& accessible, Action action)
{
    auto* button = new QPushButton(text, this);
    button->setObjectName(QLatin1String(name));
    button->setAccessibleName(accessible);
    button->setToolTip(accessible);
    connect(button, &QPushButton::clicked, this, [this, action] { run(action); });
    m_buttons[action] = button;
    return button;
}

void RosterPanel::refresh()
{
    const QByteArray keep = m_tree->currentItem()
                                ? m_tree->currentItem()->data(0, kIdentityRole).toByteArray()
                                : QByteArray();
    const bool seesWaitingRoom = m_meeting.isChair() || m_meeting.isCoChair();
    qDeleteAll(m_waiting->takeChildren());
    qDeleteAll(m_members->takeChildren());
    QTreeWidgetItem* reselect = nullptr;
    const auto add = [&](QTreeWidgetItem* section, const QStringList& columns,
                         const crypto::Ed25519PublicKey& who, const QString& advice = {}) {
        auto* item = new QTreeWidgetItem(section, columns);
        item->setData(0, kIdentityRole, keyBytes(who));
        item->setData(0, Qt::AccessibleTextRole,
                      columns.join(QStringLiteral(", ")) +
                          (advice.isEmpty() ? QString() : QStringLiteral(". ") + advice));
        if (!advice.isEmpty())
            item->setToolTip(1, advice);
        if (keyBytes(who) == keep)
            reselect = item;
        return item;
    };
    const auto waiting = m_meeting.waiting();
    for (const auto& k : waiting) {
        QTreeWidgetItem* row =
            add(m_waiting,
                {k.name, inviteText(k.invite, k.inviteProblem) + QStringLiteral(" · ") + keyText(k),
                 k.fingerprint},
                k.identity, keyAdvice(k));
        if (k.contact == QLatin1String("key_changed"))
            row->setForeground(1, QColor(Qt::darkRed));
    }
    m_shownMembers = m_meeting.members();
    const auto& members = m_shownMembers;
    for (const auto& m : members)
        add(m_members, {m.name, roleText(m), m.fingerprint}, m.identity);
    m_waiting->setText(0, tr("Waiting room (%1)").arg(waiting.size()));
    m_members->setText(0, tr("In the meeting (%1)").arg(members.size()));
    m_waiting->setHidden(!seesWaitingRoom);
    if (reselect)
        m_tree->setCurrentItem(reselect);
    for (auto& [action, button] : m_buttons)
        button->setVisible(m_meeting.mayCommand(action));
    updateButtons();
}

bool RosterPanel::select(const QString& name)
{
    for (auto* section : {m_waiting, m_members})
        for (int i = 0; i < section->childCount(); ++i)
            if (section->child(i)->text(0).contains(name)) {
                m_tree->setCurrentItem(section->child(i));
                return true;
            }
    return false;
}

std::optional<crypto::Ed25519PublicKey> RosterPanel::selected(bool inWaitingRoom) const
{
    const QTreeWidgetItem* item = m_tree->currentItem();
    if (!item || item->parent() != (inWaitingRoom ? m_waiting : m_members))
        return std::nullopt;
    return conference::identityIn(item->data(0, kIdentityRole).toByteArray());
}

const conference::Member* RosterPanel::selectedMember() const
{
    const auto who = selected(false);
    for (const conference::Member& m : m_shownMembers)
        if (who && m.identity == *who)
            return &m;
    return nullptr;
}

void RosterPanel::updateButtons()
{
    const bool knocker = selected(true).has_value();
    const conference::Member* member = selectedMember();
    const bool other = member && !member->isSelf;
    // Two-way buttons say which way they go for the person selected.
    const bool shares = member && member->mayShare;
    m_buttons[Action::Share]->setText(shares ? tr("Revoke s&hare") : tr("Allow s&hare"));
    const bool coChair = member && member->coChair;
    m_buttons[Action::CoChair]->setText(coChair ? tr("Withdraw co-c&hair") : tr("Co-c&hair"));
    for (auto& [action, button] : m_buttons)
        switch (meeting::ruleOf(action).target) {
        case meeting::CommandTarget::Knocker:
            button->setEnabled(knocker);
            break;
        case meeting::CommandTarget::Member:
            button->setEnabled(other);
            break;
        case meeting::CommandTarget::Meeting:
            button->setEnabled(m_waiting->childCount() > 0); // admit all invited
            break;
        }
}

meeting::ChairCommand RosterPanel::commandFor(Action action) const
{
    meeting::ChairCommand command{action};
    const auto target = meeting::ruleOf(action).target;
    if (target != meeting::CommandTarget::Meeting)
        command.target = selected(target == meeting::CommandTarget::Knocker);
    const conference::Member* member = selectedMember();
    switch (action) {
    case Action::Deny:
        command.reason = tr("Turned away by the chair");
        break;
    case Action::Remove:
        command.reason = tr("Removed by the chair");
        break;
    case Action::ToLobby:
        command.reason = tr("Sent back to the waiting room");
        break;
    case Action::Share:
        command.on = !(member && member->mayShare);
        break;
    case Action::CoChair:
        command.on = !(member && member->coChair);
        break;
    default:
        break;
    }
    return command;
}

void RosterPanel::run(Action action)
{
    const meeting::ChairCommand command = commandFor(action);
    if (meeting::ruleOf(action).target != meeting::CommandTarget::Meeting && !command.target)
        return; // the selection went away since the button was enabled
    if (auto done = m_meeting.command(command); !done)
        emit actionFailed(done.error());
}

} // namespace conclave::ui
