// SPDX-License-Identifier: GPL-3.0-or-later
#include "UiKit.h"
#include "policy/BuiltinPolicy.h"
#include "ui/BackendList.h"
#include "ui/MarkingChooser.h"
#include "ui/StartWindow.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

using namespace conclave;
using testsupport::referencePolicy;

namespace {

QCheckBox* partBox(QWidget& root, const QString& phrase)
{
    for (auto* box : root.findChildren<QCheckBox*>())
        if (box->text() == phrase)
            return box;
    return nullptr;
}

QListWidgetItem* backendItem(ui::BackendList& list, const QString& id)
{
    for (int i = 0; i < list.count(); ++i)
        if (list.item(i)->data(ui::BackendList::kBackendIdRole).toString() == id)
            return list.item(i);
    return nullptr;
}

} // namespace

class TestStartWindow : public QObject {
    Q_OBJECT

private slots:
    void newMeetingStaysDisabledUntilAMarkingIsChosen()
    {
        const auto policy = referencePolicy();
        ui::StartWindow window(policy, QString(), {QHostAddress(QHostAddress::LocalHost)});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* start = window.findChild<QPushButton*>(QStringLiteral("startMeeting"));
        auto* level = window.findChild<QComboBox*>(QStringLiteral("markingLevel"));
        QTest::keyClicks(window.findChild<QLineEdit*>(QStringLiteral("title")),
                         QStringLiteral("Select Committee pre-brief"));

        // Nothing is preselected, and nothing can start without a choice.
        QCOMPARE(level->currentIndex(), -1);
        QVERIFY(!window.markingChooser().marking());
        QVERIFY(!start->isEnabled());
        QVERIFY(window.whyNotReady().contains(QStringLiteral("no default")));
        for (int i = 0; i < window.backendList().count(); ++i)
            QVERIFY(!(window.backendList().item(i)->flags() & Qt::ItemIsEnabled));
        testsupport::saveScreenshot(window, "start-no-marking");

        level->setCurrentIndex(0); // OFFICIAL
        QCOMPARE(QString::fromStdString(window.markingChooser().marking()->canonical),
                 QStringLiteral("OFFICIAL"));
        QCOMPARE(window.backendList().selectedBackend(), QStringLiteral("this-computer"));
        QVERIFY(start->isEnabled());

        QSignalSpy requested(&window, &ui::StartWindow::startRequested);
        QTest::mouseClick(start, Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        const auto request = requested.first().first().value<ui::NewMeetingRequest>();
        QCOMPARE(QString::fromStdString(request.marking.canonical), QStringLiteral("OFFICIAL"));
        QCOMPARE(request.backendId, QStringLiteral("this-computer"));
        QCOMPARE(request.title, QStringLiteral("Select Committee pre-brief"));
    }

    void anInvalidCombinationCannotBeChosen()
    {
        const auto policy = referencePolicy();
        ui::MarkingChooser chooser(policy.scheme);
        auto* level = chooser.findChild<QComboBox*>(QStringLiteral("markingLevel"));
        auto* sensitive = chooser.findChild<QCheckBox*>(QStringLiteral("markingSensitive"));
        auto* caveat = chooser.findChild<QComboBox*>(QStringLiteral("markingCaveat"));
        auto* publicRelease = partBox(chooser, QStringLiteral("FOR PUBLIC RELEASE"));
        auto* personalData = partBox(chooser, QStringLiteral("PERSONAL DATA"));
        QVERIFY(sensitive && caveat && publicRelease && personalData);

        level->setCurrentIndex(0); // OFFICIAL: no caveat (UK caveats start above OFFICIAL)
        QVERIFY(!caveat->isEnabled());
        QVERIFY(sensitive->isEnabled());
        sensitive->setChecked(true);
        QCOMPARE(QString::fromStdString(chooser.marking()->canonical),
                 QStringLiteral("OFFICIAL-SENSITIVE"));
        // Public release contradicts OFFICIAL-SENSITIVE: it is not offered at all.
        QVERIFY(!publicRelease->isEnabled());
        QVERIFY(publicRelease->toolTip().contains(QStringLiteral("Not allowed")));
        personalData->setChecked(true);
        QCOMPARE(QString::fromStdString(chooser.marking()->canonical),
                 QStringLiteral("OFFICIAL-SENSITIVE PERSONAL DATA"));

        // SECRET cannot be -SENSITIVE: choosing it takes the suffix off rather than making an
        // invalid marking; a caveat is now offered.
        level->setCurrentIndex(1);
        QVERIFY(!sensitive->isChecked());
        QVERIFY(!sensitive->isEnabled());
        QVERIFY(caveat->isEnabled());
        caveat->setCurrentIndex(caveat->findText(QStringLiteral("UK EYES ONLY")));
        QVERIFY(chooser.marking());
        QVERIFY(QString::fromStdString(chooser.marking()->canonical)
                    .startsWith(QStringLiteral("SECRET UK EYES ONLY")));
        // Back to OFFICIAL: the caveat goes too.
        level->setCurrentIndex(0);
        QCOMPARE(caveat->currentIndex(), 0);
        QVERIFY(QString::fromStdString(chooser.marking()->canonical)
                    .startsWith(QStringLiteral("OFFICIAL")));
    }

    void aRefusedBackendCannotBeChosenAndSaysWhy()
    {
        const auto policy = referencePolicy();
        ui::StartWindow window(policy, QString(), {QHostAddress(QHostAddress::LocalHost)});
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClicks(window.findChild<QLineEdit*>(QStringLiteral("title")),
                         QStringLiteral("Budget"));
        auto* level = window.findChild<QComboBox*>(QStringLiteral("markingLevel"));
        level->setCurrentIndex(1); // SECRET
        auto& backends = window.backendList();

        // This computer and the departmental hub are approved only up to OFFICIAL-SENSITIVE.
        for (const char* id : {"this-computer", "dept-hub-1"}) {
            QListWidgetItem* item = backendItem(backends, QLatin1String(id));
            QVERIFY(item);
            QVERIFY(!(item->flags() & Qt::ItemIsEnabled));
            QVERIFY(!(item->flags() & Qt::ItemIsSelectable));
            QVERIFY2(item->text().contains(QStringLiteral("Not allowed:")),
                     qPrintable(item->text()));
            QVERIFY(item->toolTip().contains(QStringLiteral("OFFICIAL-SENSITIVE")));
            // Clicking it does not choose it.
            QTest::mouseClick(backends.viewport(), Qt::LeftButton, {},
                              backends.visualItemRect(item).center());
            QVERIFY(backends.selectedBackend() != QLatin1String(id));
        }
        auto* start = window.findChild<QPushButton*>(QStringLiteral("startMeeting"));
        QVERIFY(!start->isEnabled());
        QVERIFY(window.whyNotReady().contains(QStringLiteral("backends the policy allows")));

        // The accredited hub may carry SECRET: choosing it enables the start.
        QListWidgetItem* secret = backendItem(backends, QStringLiteral("secret-hub"));
        QVERIFY(secret && (secret->flags() & Qt::ItemIsEnabled));
        QVERIFY(secret->text().contains(QStringLiteral("Allowed:")));
        QTest::mouseClick(backends.viewport(), Qt::LeftButton, {},
                          backends.visualItemRect(secret).center());
        QCOMPARE(backends.selectedBackend(), QStringLiteral("secret-hub"));
        QVERIFY(start->isEnabled());
        testsupport::saveScreenshot(window, "start-secret-backends");
    }

    void underTheBuiltInPolicyOnlyOfficialMayBeHosted()
    {
        const auto policy = policy::publicBusinessOnlyPolicy("no signed policy is installed");
        ui::StartWindow window(policy, QStringLiteral("No signed policy is installed."),
                               {QHostAddress(QHostAddress::LocalHost)});
        auto* level = window.findChild<QComboBox*>(QStringLiteral("markingLevel"));
        level->setCurrentIndex(1); // SECRET
        QListWidgetItem* here = backendItem(window.backendList(), QStringLiteral("this-computer"));
        QVERIFY(here && !(here->flags() & Qt::ItemIsEnabled));
        QVERIFY2(here->toolTip().contains(QStringLiteral("OFFICIAL")), qPrintable(here->toolTip()));
        level->setCurrentIndex(0);
        here = backendItem(window.backendList(), QStringLiteral("this-computer"));
        QVERIFY(here->flags() & Qt::ItemIsEnabled);
        QCOMPARE(window.backendList().selectedBackend(), QStringLiteral("this-computer"));
    }

    void joinTakesAPastedInvite()
    {
        const auto policy = referencePolicy();
        ui::StartWindow window(policy, QString(), {QHostAddress(QHostAddress::LocalHost)});
        auto* join = window.findChild<QPushButton*>(QStringLiteral("join"));
        QVERIFY(!join->isEnabled()); // nothing pasted yet
        QSignalSpy requested(&window, &ui::StartWindow::joinRequested);
        window.findChild<QLineEdit*>(QStringLiteral("inviteLink"))
            ->setText(QStringLiteral("  conclave:invite:abc  "));
        window.findChild<QLineEdit*>(QStringLiteral("joinName"))->setText(QStringLiteral("Alex"));
        QVERIFY(join->isEnabled());
        QTest::mouseClick(join, Qt::LeftButton);
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().at(0).toString(), QStringLiteral("conclave:invite:abc"));
        QCOMPARE(requested.first().at(1).toString(), QStringLiteral("Alex"));
    }

    void everyControlHasAnAccessibleNameAndIsReachableByKeyboard()
    {
        const auto policy = referencePolicy();
        ui::StartWindow window(policy, QString(), {QHostAddress(QHostAddress::LocalHost)});
        for (QWidget* w : window.findChildren<QWidget*>()) {
            const bool control = qobject_cast<QComboBox*>(w) || qobject_cast<QLineEdit*>(w) ||
                                 qobject_cast<QAbstractButton*>(w);
            if (!control || qobject_cast<QLineEdit*>(w->parentWidget()) ||
                qobject_cast<QComboBox*>(w->parentWidget()))
                continue;
            const auto* button = qobject_cast<QAbstractButton*>(w);
            const bool named =
                !w->accessibleName().isEmpty() || (button && !button->text().isEmpty());
            QVERIFY2(named, qPrintable(w->objectName()));
            QVERIFY2(w->focusPolicy() & Qt::TabFocus, qPrintable(w->objectName()));
        }
    }
};

QTEST_MAIN(TestStartWindow)
#include "tst_startwindow.moc"
