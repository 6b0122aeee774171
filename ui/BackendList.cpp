// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/BackendList.h"

#include "policy/ApprovalEngine.h"

namespace conclave::ui {

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

BackendList::BackendList(const policy::PolicyDocument& policy, QWidget* parent)
    : QListWidget(parent), m_policy(policy)
{
    setObjectName(QStringLiteral("backends"));
    setAccessibleName(tr("Where the meeting runs"));
    setWordWrap(true);
    setMinimumHeight(170);
    setMarking(std::nullopt);
}

void BackendList::setMarking(const std::optional<classification::Marking>& marking)
{
    const QString previous = selectedBackend().value_or(QString());
    clear();
    std::vector<policy::BackendOption> options;
    const policy::ApprovalEngine engine(m_policy);
    if (m_policy.builtin || m_policy.backends.empty()) {
        policy::BackendOption here{kThisComputer, tr("Host on this computer").toStdString(),
                                   policy::Decision::refuse("marking.none", "")};
        if (marking)
            here.decision = engine.decideStart(kThisComputer, *marking);
        options.push_back(here);
    } else if (marking) {
        options = engine.backendOptions(*marking);
    } else {
        for (const auto& b : m_policy.backends)
            options.push_back({b.id, b.name, policy::Decision::refuse("marking.none", "")});
    }
    for (const auto& option : options) {
        const bool allowed = marking && option.decision.allowed;
        const QString reason =
            !marking ? tr("Choose a classification first.") : qs(option.decision.reason);
        auto* item = new QListWidgetItem(
            !marking ? QStringLiteral("%1\n%2").arg(qs(option.backendName), reason)
                     : QStringLiteral("%1\n%2 %3")
                           .arg(qs(option.backendName),
                                allowed ? tr("Allowed:") : tr("Not allowed:"), reason),
            this);
        item->setData(kBackendIdRole, qs(option.backendId));
        item->setData(kReasonRole, reason);
        item->setToolTip(reason);
        item->setData(Qt::AccessibleDescriptionRole, reason);
        if (!allowed)
            item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
    }
    // Keep the chair's choice if it is still allowed; otherwise offer this computer.
    for (const QString& wanted : {previous, QString::fromLatin1(kThisComputer)})
        for (int i = 0; i < count() && !selectedBackend(); ++i)
            if (item(i)->data(kBackendIdRole).toString() == wanted &&
                (item(i)->flags() & Qt::ItemIsEnabled))
                setCurrentItem(item(i));
}

std::optional<QString> BackendList::selectedBackend() const
{
    const QListWidgetItem* item = currentItem();
    if (!item || !item->isSelected() || !(item->flags() & Qt::ItemIsEnabled))
        return std::nullopt;
    return item->data(kBackendIdRole).toString();
}

} // namespace conclave::ui
