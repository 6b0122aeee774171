// SPDX-License-Identifier: GPL-3.0-or-later
// `conclave --demo` driven to the end through its widgets, with real media: the embedded hub,
// three simulated participants on their own pinned connections, WebRTC with SFrame.
#include "UiKit.h"
#include "conference/DemoCast.h"
#include "media/MediaMesh.h"
#include "ui/ChatPanel.h"
#include "ui/MarkingBanner.h"
#include "ui/MeetingWindow.h"
#include "ui/RosterPanel.h"
#include "ui/VideoGrid.h"
#include "ui/VideoTile.h"

#include <QTreeWidget>
#include <QtTest>

using namespace conclave;
using testsupport::clickButton;
using Role = conference::DemoCast::Role;
using State = conference::ParticipantController::State;

class TestDemo : public QObject {
    Q_OBJECT

private slots:
    void aNewcomerAdmitsDeniesRemovesAndSuspends()
    {
        testsupport::UiDevice device;
        ui::DesktopFlow flow(device.device(), testsupport::quietOptions(true));
        QVERIFY(flow.startDemo());
        ui::MeetingWindow* window = flow.meetingWindow();
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QCOMPARE(window->topBanner().marking(), QStringLiteral("OFFICIAL"));
        // Every control can be reached by keyboard and has a name a screen reader can say.
        for (auto* button : window->findChildren<QAbstractButton*>()) {
            QVERIFY2(!button->text().isEmpty() || !button->accessibleName().isEmpty(),
                     qPrintable(button->objectName()));
            QVERIFY2(button->focusPolicy() & Qt::TabFocus, qPrintable(button->objectName()));
        }

        // The three knock: one invited, one without an invite, one invited disrupter.
        auto& roster = window->roster();
        QTRY_COMPARE_WITH_TIMEOUT(roster.waitingSection()->childCount(), 3, 20000);
        QVERIFY(flow.demo());
        const auto statusOf = [&](const QString& name) {
            for (int i = 0; i < roster.waitingSection()->childCount(); ++i)
                if (roster.waitingSection()->child(i)->text(0) == name)
                    return roster.waitingSection()->child(i)->text(1);
            return QString();
        };
        // Simulated people are new to this device: each row says so, beside the invite check.
        const QString firstContact = QStringLiteral(" · new key");
        QCOMPARE(statusOf(QStringLiteral("Amelia Hart")),
                 QStringLiteral("Invited (valid invite)") + firstContact);
        QCOMPARE(statusOf(QStringLiteral("Sam Walker")),
                 QStringLiteral("Not invited") + firstContact);
        QCOMPARE(statusOf(QStringLiteral("Jordan Reyes")),
                 QStringLiteral("Invited (valid invite)") + firstContact);
        testsupport::saveScreenshot(*window, "meeting-waiting-room");

        // Admit the invited person; turn the uninvited one away.
        QVERIFY(roster.select(QStringLiteral("Amelia")));
        QVERIFY(clickButton(*window, "admit"));
        QTRY_COMPARE_WITH_TIMEOUT(roster.memberSection()->childCount(), 2, 10000);
        QVERIFY(roster.select(QStringLiteral("Sam")));
        QVERIFY(clickButton(*window, "deny"));
        const auto* sam = flow.demo()->find(Role::Uninvited);
        QTRY_COMPARE_WITH_TIMEOUT(sam->controller->state(), State::Denied, 10000);
        QCOMPARE(roster.waitingSection()->childCount(), 1);

        // Admit the third: they share their screen and flood the chat.
        QVERIFY(roster.select(QStringLiteral("Jordan")));
        QVERIFY(clickButton(*window, "admit"));
        const auto* jordan = flow.demo()->find(Role::Disruptive);
        QTRY_COMPARE_WITH_TIMEOUT(jordan->controller->state(), State::Member, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window->chat().messageCount() >= 2, 10000);
        QVERIFY(window->chat().message(0).startsWith(QStringLiteral("[OFFICIAL] Jordan Reyes: ")));
        const auto jordanIndex = jordan->controller->mediaState()->ownIndex;
        QTRY_VERIFY_WITH_TIMEOUT(window->videoGrid().tile(jordanIndex, 2) &&
                                     window->videoGrid().tile(jordanIndex, 2)->framesShown() > 5,
                                 20000);
        const auto* amelia = flow.demo()->find(Role::Invited);
        const auto ameliaIndex = amelia->controller->mediaState()->ownIndex;
        QTRY_VERIFY_WITH_TIMEOUT(window->videoGrid().tile(ameliaIndex, 1)->framesShown() > 5,
                                 20000);
        // The chair's own tile shows its camera as it is sent (the self view).
        QTRY_VERIFY_WITH_TIMEOUT(window->videoGrid().tile(0, 1)->framesShown() > 5, 10000);
        testsupport::saveScreenshot(*window, "meeting-disruption");

        // Remove them: out at once, and banned.
        QVERIFY(roster.select(QStringLiteral("Jordan")));
        QVERIFY(clickButton(*window, "remove"));
        QTRY_COMPARE_WITH_TIMEOUT(jordan->controller->state(), State::Removed, 10000);
        QCOMPARE(roster.memberSection()->childCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(!window->videoGrid().tile(jordanIndex, 2), 5000);
        const int messagesAtRemoval = window->chat().messageCount();
        QTest::qWait(int(conference::DemoCast::kDisruptionEvery.count()) * 2);
        QCOMPARE(window->chat().messageCount(), messagesAtRemoval);

        auto link = flow.chair()->makeMeetingLink();
        QVERIFY(link);
        auto target = meeting::JoinTarget::fromLink(*link, device.clock().now());
        QVERIFY(target);
        conference::ParticipantController again(
            std::make_unique<meeting::ParticipantSession>(*jordan->identity, device.policy(),
                                                          device.clock(), *target,
                                                          QStringLiteral("Jordan again")),
            std::make_unique<client::HubClient>(target->hubUrl, target->hubPin), nullptr);
        again.start();
        QTRY_COMPARE_WITH_TIMEOUT(again.state(), State::Refused, 10000);
        QCOMPARE(roster.waitingSection()->childCount(), 0);

        // Suspend: everything stops, for everyone, in one action.
        QVERIFY(clickButton(*window, "suspend"));
        QVERIFY(flow.chair()->session().suspended());
        QTRY_VERIFY_WITH_TIMEOUT(amelia->controller->suspended(), 5000);
        QVERIFY(!amelia->controller->sendChat(QStringLiteral("hello?")));
        QTRY_VERIFY_WITH_TIMEOUT(!amelia->controller->mesh()->sending(media::StreamKind::Camera) &&
                                     !amelia->controller->mesh()->sending(media::StreamKind::Audio),
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!window->videoGrid().tile(ameliaIndex, 1)->hasFrame(), 5000);
        QVERIFY(window->findChild<QLabel*>(QStringLiteral("meetingStatus"))
                    ->text()
                    .contains(QStringLiteral("SUSPENDED")));
        testsupport::saveScreenshot(*window, "meeting-suspended");

        // End: everyone's meeting is over.
        QVERIFY(clickButton(*window, "end"));
        QTRY_COMPARE_WITH_TIMEOUT(amelia->controller->state(), State::Ended, 10000);
    }
};

QTEST_MAIN(TestDemo)
#include "tst_demo.moc"
