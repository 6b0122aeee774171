// SPDX-License-Identifier: GPL-3.0-or-later
#include "UiKit.h"
#include "policy/BuiltinPolicy.h"
#include "ui/PolicyStatusWindow.h"

#include <QLayout>
#include <QLineEdit>
#include <QTableWidget>
#include <QtTest>

using namespace conclave;
using testsupport::referencePolicy;

namespace {

QStringList decisionColumn(const QWidget& window)
{
    QStringList out;
    const auto* decisions = window.findChild<QTableWidget*>(QStringLiteral("decisions"));
    for (int row = 0; row < decisions->rowCount(); ++row)
        out << decisions->item(row, 0)->text() + QStringLiteral(" => ") +
                   decisions->item(row, 1)->text();
    return out;
}

} // namespace

class TestPolicyStatusWindow : public QObject {
    Q_OBJECT

private slots:
    void showsEveryBackendAndDecidesPerMarking()
    {
        const auto policy = referencePolicy();
        ui::PolicyStatusWindow window(policy, std::nullopt, QStringLiteral("12345 67890"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.findChildren<QTableWidget*>().first()->rowCount(), 4);

        auto* edit = window.findChild<QLineEdit*>();
        QVERIFY(edit);
        QTest::keyClicks(edit, QStringLiteral("secret uk eyes only"));
        QVERIFY(window.checkResultText().contains(QStringLiteral("SECRET UK EYES ONLY")));
        QVERIFY(window.checkResultText().contains(QStringLiteral("capitals")));
        const QStringList rows = decisionColumn(window);
        QCOMPARE(rows.size(), 4);
        QVERIFY(rows.filter(QStringLiteral("secret-hub => Allowed")).size() == 1);
        QVERIFY(rows.filter(QStringLiteral("dept-hub-1 => Refused")).size() == 1);
        QVERIFY(
            rows.filter(QStringLiteral("ally-hub => Refused: The caveat UK EYES ONLY")).size() ==
            1);
        testsupport::saveScreenshot(window, "policy-status");

        edit->setText(QStringLiteral("OFFICIAL SECRET"));
        QVERIFY(window.checkResultText().startsWith(QStringLiteral("Not a valid marking")));
        QCOMPARE(decisionColumn(window).size(), 0);
    }

    void builtinPolicyExplainsWhyOnlyOfficial()
    {
        const auto policy = policy::publicBusinessOnlyPolicy("no signed policy is installed");
        ui::PolicyStatusWindow window(policy, std::string("no signed policy is installed"),
                                      QStringLiteral("12345"));
        window.checkMarking(QStringLiteral("OFFICIAL-SENSITIVE"));
        const QStringList rows = decisionColumn(window);
        QCOMPARE(rows.size(), 1);
        QVERIFY(rows.first().contains(QStringLiteral("Refused")));
        QVERIFY(rows.first().contains(QStringLiteral("no signed policy is installed")));
        window.checkMarking(QStringLiteral("OFFICIAL"));
        QVERIFY(decisionColumn(window).first().contains(QStringLiteral("Allowed")));
        testsupport::saveScreenshot(window, "policy-status-builtin");
    }
};

QTEST_MAIN(TestPolicyStatusWindow)
#include "tst_policystatuswindow.moc"
