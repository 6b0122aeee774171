// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/PolicyStatusWindow.h"

#include "classification/MarkingParser.h"
#include "policy/ApprovalEngine.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QVBoxLayout>

namespace conclave::ui {
namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QTableWidgetItem* readOnlyItem(const QString& text)
{
    auto* item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    item->setToolTip(text);
    return item;
}

} // namespace

PolicyStatusWindow::PolicyStatusWindow(const policy::PolicyDocument& policy,
                                       std::optional<std::string> problem,
                                       QString identityFingerprint, QWidget* parent)
    : QWidget(parent), m_policy(policy)
{
    setWindowTitle(tr("Conclave - policy and backends"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makeHeader(problem, identityFingerprint));

    auto* backendsLabel = new QLabel(tr("<b>Backends in this policy</b>"), this);
    layout->addWidget(backendsLabel);
    if (m_policy.backends.empty()) {
        auto* none = new QLabel(tr("The built-in policy lists no backends: OFFICIAL meetings may "
                                   "be held on any backend, and nothing above OFFICIAL on any."),
                                this);
        none->setWordWrap(true);
        layout->addWidget(none);
    } else {
        layout->addWidget(makeBackendTable());
    }

    auto* checkLabel = new QLabel(tr("<b>Check a marking</b> - where may a meeting with this "
                                     "marking be held?"),
                                  this);
    layout->addWidget(checkLabel);
    m_markingEdit = new QLineEdit(this);
    m_markingEdit->setPlaceholderText(tr("e.g. OFFICIAL-SENSITIVE PERSONAL DATA"));
    m_markingEdit->setAccessibleName(tr("Marking to check"));
    checkLabel->setBuddy(m_markingEdit);
    layout->addWidget(m_markingEdit);
    m_markingResult = new QLabel(this);
    m_markingResult->setWordWrap(true);
    m_markingResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_markingResult);
    m_decisions = new QTableWidget(0, 2, this);
    m_decisions->setObjectName(QStringLiteral("decisions"));
    m_decisions->setHorizontalHeaderLabels({tr("Backend"), tr("Decision")});
    m_decisions->horizontalHeader()->setStretchLastSection(true);
    m_decisions->verticalHeader()->hide();
    // Rows follow their wrapped text whenever the column width changes.
    m_decisions->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_decisions->setWordWrap(true);
    m_decisions->setAccessibleName(tr("Decision per backend"));
    layout->addWidget(m_decisions, 1);

    connect(m_markingEdit, &QLineEdit::textChanged, this, &PolicyStatusWindow::checkMarking);
    checkMarking(QString());
    resize(900, 620);
}

QWidget* PolicyStatusWindow::makeHeader(const std::optional<std::string>& problem,
                                        const QString& fingerprint)
{
    QString text = tr("<h2>Conclave</h2><p>Policy in force: <b>%1</b></p>")
                       .arg(qs(m_policy.describe()).toHtmlEscaped());
    if (problem)
        text += tr("<p><b>Only OFFICIAL meetings are possible:</b> %1</p>")
                    .arg(qs(*problem).toHtmlEscaped());
    text += tr("<p>This device's identity: <tt>%1</tt></p>").arg(fingerprint.toHtmlEscaped());
    auto* header = new QLabel(text, this);
    header->setWordWrap(true);
    header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return header;
}

QTableWidget* PolicyStatusWindow::makeBackendTable()
{
    auto* table = new QTableWidget(static_cast<int>(m_policy.backends.size()), 5, this);
    table->setHorizontalHeaderLabels(
        {tr("Id"), tr("Name"), tr("Kind"), tr("Approved up to"), tr("Jurisdiction")});
    table->setAccessibleName(tr("Backends in this policy"));
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    for (int row = 0; row < table->rowCount(); ++row) {
        const auto& b = m_policy.backends[static_cast<size_t>(row)];
        table->setItem(row, 0, readOnlyItem(qs(b.id)));
        table->setItem(row, 1, readOnlyItem(qs(b.name)));
        table->setItem(row, 2, readOnlyItem(qs(std::string(toString(b.kind)))));
        table->setItem(row, 3, readOnlyItem(qs(b.maxMarking.canonical)));
        table->setItem(row, 4, readOnlyItem(qs(b.jurisdiction)));
    }
    table->resizeColumnsToContents();
    return table;
}

void PolicyStatusWindow::checkMarking(const QString& text)
{
    m_decisions->setRowCount(0);
    if (text.trimmed().isEmpty()) {
        m_markingResult->setText(tr("Type a marking to see where it may be used."));
        return;
    }
    auto parsed = classification::MarkingParser(m_policy.scheme).parse(text.toStdString());
    if (!parsed) {
        m_markingResult->setText(tr("Not a valid marking: %1").arg(qs(parsed.error().message)));
        return;
    }
    QString result = tr("Canonical marking: %1").arg(qs(parsed->marking.canonical));
    QStringList corrections;
    for (const auto& c : parsed->corrections)
        corrections << qs(c);
    if (!corrections.isEmpty())
        result += tr(" (corrected: %1)").arg(corrections.join(QStringLiteral("; ")));
    m_markingResult->setText(result);

    const policy::ApprovalEngine engine(m_policy);
    std::vector<policy::BackendOption> options = engine.backendOptions(parsed->marking);
    if (m_policy.builtin)
        options.push_back({"(any backend)", "", engine.decideStart("", parsed->marking)});
    for (const auto& option : options) {
        const int row = m_decisions->rowCount();
        m_decisions->insertRow(row);
        m_decisions->setItem(row, 0, readOnlyItem(qs(option.backendId)));
        auto* decision =
            readOnlyItem((option.decision.allowed ? tr("Allowed: ") : tr("Refused: ")) +
                         qs(option.decision.reason));
        m_decisions->setItem(row, 1, decision);
    }
}

QString PolicyStatusWindow::checkResultText() const
{
    return m_markingResult->text();
}

} // namespace conclave::ui
