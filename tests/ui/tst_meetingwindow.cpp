// SPDX-License-Identifier: GPL-3.0-or-later
// A chair and a participant, each a DesktopFlow with its own device, on the chair's embedded
// hub: the joiner acknowledges the marking, waits, is admitted; banners follow a marking
// change on both sides; a refused change is a dialog with the policy's reason.
#include "StallingProxy.h"
#include "UiKit.h"
#include "classification/MarkingParser.h"
#include "conference/StoredContactBook.h"
#include "crypto/Fingerprint.h"
#include "hub/HubServer.h"
#include "media/MediaMesh.h"
#include "storage/AuditLog.h"
#include "tls/TlsIdentity.h"
#include "ui/AuditDialog.h"
#include "ui/ChairControls.h"
#include "ui/ChangeMarkingDialog.h"
#include "ui/ChatPanel.h"
#include "ui/InvitesDialog.h"
#include "ui/MarkingBanner.h"
#include "ui/MarkingChooser.h"
#include "ui/MeetingWindow.h"
#include "ui/PreJoinDialog.h"
#include "ui/RosterPanel.h"
#include "ui/StartWindow.h"
#include "ui/VideoGrid.h"
#include "ui/VideoTile.h"
#include "ui/WaitingRoomView.h"

#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

using namespace conclave;
using testsupport::clickButton;
using testsupport::referencePolicy;
using State = conference::ParticipantController::State;

namespace {

ui::NewMeetingRequest officialMeeting(const policy::PolicyDocument& policy)
{
    ui::NewMeetingRequest request;
    request.title = QStringLiteral("Select Committee pre-brief");
    request.marking = classification::MarkingParser(policy.scheme).parse("OFFICIAL")->marking;
    request.backendId = QStringLiteral("this-computer");
    request.listenAddress = QHostAddress(QHostAddress::LocalHost);
    request.invitees = {QStringLiteral("Alex Member")};
    request.chairName = QStringLiteral("Clerk");
    request.chat = true;
    return request;
}

void bannersShow(ui::MeetingWindow& window, const QString& marking)
{
    QCOMPARE(window.topBanner().text(), marking);
    QCOMPARE(window.bottomBanner().text(), marking);
    QVERIFY(window.windowTitle().startsWith(QLatin1Char('[') + marking + QLatin1Char(']')));
    // Top and bottom of the window, full width.
    QCOMPARE(window.topBanner().geometry().top(), 0);
    QCOMPARE(window.bottomBanner().geometry().bottom(), window.height() - 1);
    QCOMPARE(window.topBanner().width(), window.width());
}

/// The departmental hub of the reference policy, here on loopback with its own TLS key; the
/// policy names its address and pin, as a security authority would.
struct DepartmentalHub {
    QTemporaryDir dir;
    SystemClock clock;
    std::unique_ptr<hub::HubServer> server;
    policy::PolicyDocument policy = referencePolicy();

    DepartmentalHub()
    {
        auto identity = tls::TlsIdentity::loadOrCreate(dir.path(), QStringLiteral("dept-hub"));
        hub::HubLimits limits;
        limits.allowAnyChair = true; // chairs are made per test
        server =
            std::make_unique<hub::HubServer>(std::move(identity).value(), std::move(limits), clock);
        if (!server->listen(QHostAddress(QHostAddress::LocalHost), 0))
            qFatal("the departmental hub cannot listen");
        for (auto& backend : policy.backends)
            if (backend.id == "dept-hub-1")
                backend.endpoints.front() = {policy::Endpoint::Role::Hub,
                                             server->url().toString().toStdString(),
                                             {server->spkiPin().toStdString()}};
    }
};

/// Joins through the pre-join dialog (acknowledging the marking) and waits in the lobby.
bool joinAndAcknowledge(ui::DesktopFlow& flow, const QString& link)
{
    if (!flow.join(link, QString()) || !QTest::qWaitFor([&] { return flow.preJoin(); }, 10000))
        return false;
    flow.preJoin()->acknowledgement()->setChecked(true);
    QTest::mouseClick(flow.preJoin()->joinButton(), Qt::LeftButton);
    return true;
}

} // namespace

class TestMeetingWindow : public QObject {
    Q_OBJECT

private slots:
    void aJoinerAcknowledgesWaitsIsAdmittedAndBannersFollowTheMarking()
    {
        testsupport::UiDevice chairDevice(referencePolicy());
        testsupport::UiDevice memberDevice(referencePolicy());
        ui::DesktopFlow chairFlow(chairDevice.device(), testsupport::quietOptions(false));
        ui::DesktopFlow memberFlow(memberDevice.device(), testsupport::quietOptions(false));
        QVERIFY(chairFlow.startMeeting(officialMeeting(chairDevice.policy())));
        ui::MeetingWindow* chairWindow = chairFlow.meetingWindow();
        QVERIFY(QTest::qWaitForWindowExposed(chairWindow));
        QTRY_COMPARE_WITH_TIMEOUT(chairFlow.startInvites().size(), 1, 10000);
        bannersShow(*chairWindow, QStringLiteral("OFFICIAL"));

        // The joiner sees the marking first and must acknowledge it.
        QVERIFY(memberFlow.join(chairFlow.startInvites().first().second, QString()));
        QTRY_VERIFY_WITH_TIMEOUT(memberFlow.preJoin(), 10000);
        ui::PreJoinDialog* preJoin = memberFlow.preJoin();
        QCOMPARE(preJoin->findChild<ui::MarkingBanner*>()->text(), QStringLiteral("OFFICIAL"));
        QVERIFY(!preJoin->joinButton()->isEnabled());
        QVERIFY(!memberFlow.meetingWindow());
        testsupport::saveScreenshot(*preJoin, "prejoin");
        preJoin->acknowledgement()->setChecked(true);
        QVERIFY(preJoin->joinButton()->isEnabled());
        QTest::mouseClick(preJoin->joinButton(), Qt::LeftButton);

        // Waiting: the marking and the title, nothing else of the meeting.
        QTRY_VERIFY_WITH_TIMEOUT(memberFlow.waitingRoom() && memberFlow.waitingRoom()->isVisible(),
                                 5000);
        QCOMPARE(memberFlow.waitingRoom()->marking(), QStringLiteral("OFFICIAL"));
        QVERIFY(!memberFlow.meetingWindow());
        testsupport::saveScreenshot(*memberFlow.waitingRoom(), "waiting-room");

        // The chair sees them waiting, with the verified fingerprint, and admits them.
        auto& roster = chairWindow->roster();
        QTRY_COMPARE_WITH_TIMEOUT(roster.waitingSection()->childCount(), 1, 5000);
        QTreeWidgetItem* knocker = roster.waitingSection()->child(0);
        QCOMPARE(knocker->text(0), QStringLiteral("Alex Member"));
        QCOMPARE(knocker->text(1), QStringLiteral("Invited (valid invite) · new key"));
        QVERIFY(knocker->toolTip(1).contains(QStringLiteral("compare the fingerprint")));
        QCOMPARE(knocker->text(2), QString::fromStdString(crypto::publicKeyFingerprint(
                                       memberDevice.context().identity().publicKey().view())));
        QVERIFY(roster.select(QStringLiteral("Alex")));
        QVERIFY(clickButton(*chairWindow, "admit"));
        QTRY_VERIFY_WITH_TIMEOUT(memberFlow.meetingWindow(), 5000);
        ui::MeetingWindow* memberWindow = memberFlow.meetingWindow();
        QVERIFY(QTest::qWaitForWindowExposed(memberWindow));
        QVERIFY(!memberFlow.waitingRoom()->isVisible());
        QCOMPARE(roster.memberSection()->childCount(), 2);
        QCOMPARE(roster.waitingSection()->childCount(), 0);
        bannersShow(*memberWindow, QStringLiteral("OFFICIAL"));
        QTRY_COMPARE_WITH_TIMEOUT(memberWindow->securityCodeText(), chairWindow->securityCodeText(),
                                  5000);
        QVERIFY(
            chairWindow->securityCodeText().contains(QRegularExpression(QStringLiteral("\\d{5}"))));
        // A participant has no chair controls and no waiting room.
        QVERIFY(!memberWindow->chairControls().isVisible());
        QVERIFY(memberWindow->roster().waitingSection()->isHidden());

        // Chat carries the marking.
        memberWindow->chat().send(QStringLiteral("Papers are in the shared folder."));
        QTRY_COMPARE_WITH_TIMEOUT(chairWindow->chat().messageCount(), 1, 5000);
        QCOMPARE(chairWindow->chat().message(0),
                 QStringLiteral("[OFFICIAL] Alex Member: Papers are in the shared folder."));

        // The chair raises the marking: both windows' banners follow.
        chairWindow->changeMarking();
        auto* dialog = chairWindow->findChild<ui::ChangeMarkingDialog*>();
        QVERIFY(dialog);
        dialog->findChild<QCheckBox*>(QStringLiteral("markingSensitive"))->setChecked(true);
        QVERIFY(clickButton(*dialog, "applyMarking"));
        // In force once the hub has taken the revision (and everyone's banners follow).
        QTRY_COMPARE_WITH_TIMEOUT(chairWindow->topBanner().text(),
                                  QStringLiteral("OFFICIAL-SENSITIVE"), 5000);
        bannersShow(*chairWindow, QStringLiteral("OFFICIAL-SENSITIVE"));
        QTRY_COMPARE_WITH_TIMEOUT(memberWindow->topBanner().text(),
                                  QStringLiteral("OFFICIAL-SENSITIVE"), 5000);
        bannersShow(*memberWindow, QStringLiteral("OFFICIAL-SENSITIVE"));
        auto* notice =
            memberWindow->findChild<QMessageBox*>(QStringLiteral("markingChangedNotice"));
        QVERIFY(notice);
        QVERIFY(notice->text().contains(QStringLiteral("OFFICIAL-SENSITIVE")));
        notice->close();
        testsupport::saveScreenshot(*memberWindow, "meeting-participant");

        // SECRET is not approved on this computer: a dialog says why; nothing changes.
        chairWindow->changeMarking();
        QTRY_VERIFY(chairWindow->findChild<ui::ChangeMarkingDialog*>());
        dialog = chairWindow->findChild<ui::ChangeMarkingDialog*>();
        dialog->findChild<QComboBox*>(QStringLiteral("markingLevel"))->setCurrentIndex(1);
        QVERIFY(clickButton(*dialog, "applyMarking"));
        auto* refusal = chairWindow->findChild<QMessageBox*>(QStringLiteral("refusalDialog"));
        QVERIFY(refusal);
        QVERIFY2(refusal->informativeText().contains(QStringLiteral("not approved")),
                 qPrintable(refusal->informativeText()));
        QCOMPARE(refusal->windowTitle(), QStringLiteral("Not allowed by policy"));
        testsupport::saveScreenshot(*refusal, "refusal");
        refusal->close();
        bannersShow(*chairWindow, QStringLiteral("OFFICIAL-SENSITIVE"));

        // The audit view shows the meeting's decisions, and the chain verifies.
        chairWindow->showAudit();
        auto* audit = chairWindow->findChild<ui::AuditDialog*>();
        QVERIFY(audit);
        QVERIFY(audit->rowCount() >= 3);
        QVERIFY2(audit->verificationText().contains(QStringLiteral("intact")),
                 qPrintable(audit->verificationText()));
        testsupport::saveScreenshot(*audit, "audit");
        audit->close();

        // Back to the waiting room: nothing of the meeting stays on the member's screen.
        QVERIFY(roster.select(QStringLiteral("Alex")));
        QVERIFY(clickButton(*chairWindow, "toLobby"));
        QTRY_VERIFY_WITH_TIMEOUT(memberFlow.waitingRoom()->isVisible(), 5000);
        QVERIFY(!memberWindow->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(roster.waitingSection()->childCount(), 1, 5000);

        QVERIFY(clickButton(*chairWindow, "end"));
        QTRY_COMPARE_WITH_TIMEOUT(memberFlow.participant()->state(), State::Ended, 5000);
    }

    void aDroppedConnectionIsShownAsReconnectingNeverAsLive()
    {
        using namespace std::chrono_literals;
        testsupport::UiDevice chairDevice(referencePolicy());
        testsupport::UiDevice memberDevice(referencePolicy());
        ui::DesktopFlow chairFlow(chairDevice.device(), testsupport::quietOptions(false));
        QVERIFY(chairFlow.startMeeting(officialMeeting(chairDevice.policy())));
        QTRY_COMPARE_WITH_TIMEOUT(chairFlow.startInvites().size(), 1, 10000);
        const QString link = chairFlow.startInvites().first().second;
        auto target = meeting::JoinTarget::fromLink(link, memberDevice.clock().now());
        QVERIFY(target);
        testsupport::StallingProxy proxy(QHostAddress(QHostAddress::LocalHost),
                                         quint16(QUrl(target->hubUrl).port()));
        QVERIFY(proxy.listen());
        const auto& identity = memberDevice.context().identity();
        conference::ParticipantController member(
            std::make_unique<meeting::ParticipantSession>(identity, memberDevice.policy(),
                                                          memberDevice.clock(), *target,
                                                          QStringLiteral("Alex")),
            std::make_unique<client::HubClient>(
                QStringLiteral("wss://127.0.0.1:%1").arg(proxy.port()), target->hubPin,
                client::Liveness{200ms, 1000ms, 1500ms}),
            nullptr);
        member.start();
        QTRY_COMPARE_WITH_TIMEOUT(chairFlow.chair()->waiting().size(), size_t(1), 10000);
        QVERIFY(
            chairFlow.chair()->command({meeting::ChairAction::Admit, true, identity.publicKey()}));
        QTRY_COMPARE_WITH_TIMEOUT(member.state(), meeting::ParticipantSession::State::Member,
                                  10000);
        ui::MeetingWindow window(member, memberDevice.policy(), nullptr, nullptr,
                                 identity.publicKey());
        window.resize(1024, 700);
        window.show();
        auto* status = window.findChild<QLabel*>(QStringLiteral("meetingStatus"));
        QVERIFY(!status->text().contains(QStringLiteral("RECONNECTING")));

        proxy.stall();
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("RECONNECTING")), 5000);
        QVERIFY(window.activityText().contains(QStringLiteral("Reconnecting")));
        testsupport::saveScreenshot(window, "meeting-reconnecting");

        proxy.resume();
        QTRY_VERIFY_WITH_TIMEOUT(!status->text().contains(QStringLiteral("RECONNECTING")), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(window.securityCodeText(),
                                  chairFlow.meetingWindow()->securityCodeText(), 10000);
    }

    void aMemberSentBackAndReadmittedSendsVideoAgain()
    {
        testsupport::UiDevice chairDevice(referencePolicy());
        testsupport::UiDevice memberDevice(referencePolicy());
        ui::DesktopFlow chairFlow(chairDevice.device(), testsupport::quietOptions(true));
        ui::DesktopFlow memberFlow(memberDevice.device(), testsupport::quietOptions(true));
        QVERIFY(chairFlow.startMeeting(officialMeeting(chairDevice.policy())));
        QTRY_COMPARE_WITH_TIMEOUT(chairFlow.startInvites().size(), 1, 10000);
        QVERIFY(memberFlow.join(chairFlow.startInvites().first().second, QString()));
        QTRY_VERIFY_WITH_TIMEOUT(memberFlow.preJoin(), 10000);
        // The device check works before joining: the camera preview shows pictures and the
        // microphone level moves (test pattern and tone here; nothing is sent).
        const auto* preview =
            memberFlow.preJoin()->findChild<ui::VideoTile*>(QStringLiteral("cameraPreview"));
        QTRY_VERIFY_WITH_TIMEOUT(preview->framesShown() > 3, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(memberFlow.preJoin()->microphoneLevel() > 0, 10000);
        memberFlow.preJoin()->acknowledgement()->setChecked(true);
        QTest::mouseClick(memberFlow.preJoin()->joinButton(), Qt::LeftButton);
        ui::MeetingWindow* chairWindow = chairFlow.meetingWindow();
        auto& roster = chairWindow->roster();
        const auto memberVideoArrives = [&] {
            const auto members = chairFlow.chair()->members();
            const auto* tile = chairWindow->videoGrid().tile(members.back().index, 1);
            return members.size() == 2 && tile && tile->framesShown() > 5;
        };

        const auto mediaReport = [&] { // what each side received, for a failure message
            QStringList out;
            for (auto* meeting :
                 {static_cast<conference::MeetingController*>(chairFlow.chair()),
                  static_cast<conference::MeetingController*>(memberFlow.participant())})
                for (const auto& st : meeting->mesh()->stats())
                    out << QStringLiteral("%1 from %2/%3: %4 decoded")
                               .arg(meeting->isChair() ? "chair" : "member")
                               .arg(st.peer)
                               .arg(int(st.kind))
                               .arg(st.framesDecoded);
            return out.join(QStringLiteral("; "));
        };
        for (int round = 0; round < 2; ++round) {
            QTRY_COMPARE_WITH_TIMEOUT(roster.waitingSection()->childCount(), 1, 10000);
            QVERIFY(roster.select(QStringLiteral("Alex")));
            QVERIFY(clickButton(*chairWindow, "admit"));
            QTRY_VERIFY2_WITH_TIMEOUT(memberVideoArrives(), qPrintable(mediaReport()), 20000);
            QVERIFY(roster.select(QStringLiteral("Alex")));
            QVERIFY(clickButton(*chairWindow, "toLobby"));
            QTRY_COMPARE_WITH_TIMEOUT(memberFlow.participant()->state(), State::Waiting, 10000);
        }
    }

    void theStartWindowStartsAMeetingAndItsInvitesCanBeCopied()
    {
        testsupport::UiDevice device(referencePolicy());
        ui::DesktopFlow flow(device.device(), testsupport::quietOptions(false));
        flow.showStart();
        ui::StartWindow* start = flow.startWindow();
        QVERIFY(QTest::qWaitForWindowExposed(start));
        QTest::keyClicks(start->findChild<QLineEdit*>(QStringLiteral("title")),
                         QStringLiteral("Estimates day"));
        start->findChild<QComboBox*>(QStringLiteral("markingLevel"))->setCurrentIndex(0);
        start->findChild<QCheckBox*>(QStringLiteral("markingSensitive"))->setChecked(true);
        start->findChild<QPlainTextEdit*>(QStringLiteral("invitees"))
            ->setPlainText(QStringLiteral("Alex Member\nBea Clerk\n"));
        QVERIFY(clickButton(*start, "startMeeting"));

        ui::MeetingWindow* window = flow.meetingWindow();
        QVERIFY(window);
        QVERIFY(QTest::qWaitForWindowExposed(window));
        QVERIFY(!start->isVisible());
        bannersShow(*window, QStringLiteral("OFFICIAL-SENSITIVE"));
        QCOMPARE(window->windowTitle(),
                 QStringLiteral("[OFFICIAL-SENSITIVE] Estimates day — Conclave"));

        // One single-use invite per person, shown to copy, naming this computer's hub pin.
        QTRY_COMPARE_WITH_TIMEOUT(flow.startInvites().size(), 2, 10000);
        auto& invites = window->invites();
        QTRY_VERIFY(invites.isVisible());
        QCOMPARE(invites.inviteCount(), 2); // the meeting needs invites: no open link row
        QCOMPARE(invites.linkAt(0), flow.startInvites().at(0).second);
        auto target = meeting::JoinTarget::fromLink(invites.linkAt(1), device.clock().now());
        QVERIFY(target);
        QCOMPARE(target->inviteName, QStringLiteral("Bea Clerk"));
        QCOMPARE(target->hubPin, flow.chair()->embeddedHub()->spkiPin());
        auto* copy =
            qobject_cast<QPushButton*>(invites.findChild<QTableWidget*>()->cellWidget(1, 2));
        QVERIFY(copy);
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), invites.linkAt(1));
        testsupport::saveScreenshot(invites, "invites");
    }

    void aMeetingOnAStandaloneHubFromThePolicy()
    {
        DepartmentalHub dept;
        testsupport::UiDevice chairDevice(dept.policy);
        testsupport::UiDevice memberDevice(dept.policy);
        ui::DesktopFlow chairFlow(chairDevice.device(), testsupport::quietOptions(false));
        ui::DesktopFlow memberFlow(memberDevice.device(), testsupport::quietOptions(false));
        auto request = officialMeeting(dept.policy);
        request.backendId = QStringLiteral("dept-hub-1");
        QVERIFY(chairFlow.startMeeting(request));
        QVERIFY(!chairFlow.chair()->embeddedHub()); // nothing hosted here
        QTRY_COMPARE_WITH_TIMEOUT(chairFlow.startInvites().size(), 1, 10000);
        QCOMPARE(dept.server->state().meetingCount(), size_t(1));

        QVERIFY(joinAndAcknowledge(memberFlow, chairFlow.startInvites().first().second));
        auto& roster = chairFlow.meetingWindow()->roster();
        QTRY_COMPARE_WITH_TIMEOUT(roster.waitingSection()->childCount(), 1, 10000);
        QVERIFY(roster.select(QStringLiteral("Alex")));
        QVERIFY(clickButton(*chairFlow.meetingWindow(), "admit"));
        QTRY_VERIFY_WITH_TIMEOUT(memberFlow.meetingWindow(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(memberFlow.meetingWindow()->securityCodeText(),
                                  chairFlow.meetingWindow()->securityCodeText(), 5000);
        QVERIFY(clickButton(*chairFlow.meetingWindow(), "end"));
        QTRY_COMPARE_WITH_TIMEOUT(memberFlow.participant()->state(), State::Ended, 5000);
    }

    void aCoChairTakesOverWhenTheChairIsGone()
    {
        DepartmentalHub dept;
        testsupport::UiDevice chairDevice(dept.policy);
        testsupport::UiDevice alexDevice(dept.policy);
        testsupport::UiDevice beaDevice(dept.policy);
        auto chairFlow = std::make_unique<ui::DesktopFlow>(chairDevice.device(),
                                                           testsupport::quietOptions(false));
        ui::DesktopFlow alexFlow(alexDevice.device(), testsupport::quietOptions(false));
        ui::DesktopFlow beaFlow(beaDevice.device(), testsupport::quietOptions(false));
        auto request = officialMeeting(dept.policy);
        request.backendId = QStringLiteral("dept-hub-1");
        request.invitees = {QStringLiteral("Alex Member"), QStringLiteral("Bea Member")};
        QVERIFY(chairFlow->startMeeting(request));
        QTRY_COMPARE_WITH_TIMEOUT(chairFlow->startInvites().size(), 2, 10000);
        conference::StoredContactBook(chairDevice.context().database(), chairDevice.clock())
            .remember(QStringLiteral("Alex Member"), alexDevice.context().identity().publicKey());
        QVERIFY(joinAndAcknowledge(alexFlow, chairFlow->startInvites().at(0).second));
        QTRY_COMPARE_WITH_TIMEOUT(
            chairFlow->meetingWindow()->roster().waitingSection()->childCount(), 1, 10000);
        QVERIFY(joinAndAcknowledge(beaFlow, chairFlow->startInvites().at(1).second));
        ui::MeetingWindow* chairWindow = chairFlow->meetingWindow();
        QTRY_COMPARE_WITH_TIMEOUT(chairWindow->roster().waitingSection()->childCount(), 2, 10000);
        // Alex's key is known to the chair's device from an earlier meeting; Bea's is a
        // first contact: "Admit all invited" lets Alex in and leaves Bea for a fingerprint check.
        QVERIFY(chairWindow->roster().waitingSection()->child(1)->text(1).contains(
            QStringLiteral("new key")));
        QVERIFY(chairWindow->roster().waitingSection()->child(0)->text(1).contains(
            QStringLiteral("key known")));
        QVERIFY(clickButton(*chairWindow, "admitAll"));
        QTRY_VERIFY_WITH_TIMEOUT(alexFlow.meetingWindow(), 10000);
        QCOMPARE(chairWindow->roster().waitingSection()->childCount(), 1);
        QVERIFY(chairWindow->roster().select(QStringLiteral("Bea")));
        QVERIFY(clickButton(*chairWindow, "admit"));
        QTRY_VERIFY_WITH_TIMEOUT(alexFlow.meetingWindow() && beaFlow.meetingWindow(), 10000);

        // The chair names Alex co-chair; Alex cannot take over while the chair is there.
        QVERIFY(chairWindow->roster().select(QStringLiteral("Alex")));
        auto* coChairButton = chairWindow->findChild<QPushButton*>(QStringLiteral("coChair"));
        QCOMPARE(coChairButton->text(), QStringLiteral("Co-c&hair"));
        QVERIFY(clickButton(*chairWindow, "coChair"));
        QTRY_VERIFY_WITH_TIMEOUT(alexFlow.participant()->isCoChair(), 5000);
        // The two-way button now offers the way back for the member it names.
        QCOMPARE(coChairButton->text(), QStringLiteral("Withdraw co-c&hair"));
        QVERIFY(!alexFlow.meetingWindow()
                     ->findChild<QPushButton*>(QStringLiteral("takeOver"))
                     ->isVisible());
        QVERIFY(!alexFlow.takeOver());

        // The chair's computer goes away: Alex may take over, and does.
        chairFlow.reset();
        QTRY_VERIFY_WITH_TIMEOUT(alexFlow.participant()->canTakeOver(), 10000);
        ui::MeetingWindow* alexWindow = alexFlow.meetingWindow();
        QTRY_VERIFY(alexWindow->findChild<QPushButton*>(QStringLiteral("takeOver"))->isVisible());
        QVERIFY(clickButton(*alexWindow, "takeOver"));
        QVERIFY(alexFlow.chair());
        ui::MeetingWindow* newChairWindow = alexFlow.meetingWindow();
        QVERIFY(newChairWindow != alexWindow);
        QVERIFY(QTest::qWaitForWindowExposed(newChairWindow));
        QVERIFY(newChairWindow->chairControls().isVisible());
        // What needs the original chair's signature is not offered to a successor.
        QVERIFY(
            !newChairWindow->findChild<QPushButton*>(QStringLiteral("changeMarking"))->isVisible());
        QVERIFY(!newChairWindow->findChild<QPushButton*>(QStringLiteral("invites"))->isVisible());
        QVERIFY(!newChairWindow->findChild<QPushButton*>(QStringLiteral("coChair"))->isVisible());
        bannersShow(*newChairWindow, QStringLiteral("OFFICIAL"));

        // Bea follows the new chair: same key, and the new chair's controls work on her.
        QTRY_COMPARE_WITH_TIMEOUT(beaFlow.meetingWindow()->securityCodeText(),
                                  newChairWindow->securityCodeText(), 10000);
        QCOMPARE(alexFlow.chair()->members().size(), size_t(2));
        QVERIFY(clickButton(*newChairWindow, "muteAll"));
        QTRY_VERIFY_WITH_TIMEOUT(beaFlow.participant()->session().muted(), 5000);
        QVERIFY(clickButton(*newChairWindow, "end"));
        QTRY_COMPARE_WITH_TIMEOUT(beaFlow.participant()->state(), State::Ended, 5000);
    }

    void aMeetingThePolicyRefusesDoesNotStart()
    {
        testsupport::UiDevice chairDevice; // the built-in policy: OFFICIAL only
        ui::DesktopFlow flow(chairDevice.device(), testsupport::quietOptions(false));
        auto request = officialMeeting(chairDevice.policy());
        request.marking = classification::MarkingParser(chairDevice.policy().scheme)
                              .parse("OFFICIAL-SENSITIVE")
                              ->marking;
        flow.showStart();
        const auto started = flow.startMeeting(request);
        QVERIFY(!started);
        QVERIFY2(started.error().code.rfind("policy.", 0) == 0, started.error().code.c_str());
        QVERIFY(started.error().isPolicyRefusal());
        QVERIFY(!flow.meetingWindow());
        auto* refusal =
            flow.startWindow()->findChild<QMessageBox*>(QStringLiteral("refusalDialog"));
        QVERIFY(refusal);
        QVERIFY(!refusal->informativeText().isEmpty());
        QCOMPARE(refusal->windowTitle(), QStringLiteral("Not allowed by policy"));
        // What the policy refused is on the record, as a refusal in a running meeting is.
        const auto entries = chairDevice.device().audit->entries(1, 100).value();
        QVERIFY(std::any_of(entries.begin(), entries.end(), [](const storage::AuditEntry& e) {
            return e.category == "meeting.refused" && e.marking == "OFFICIAL-SENSITIVE";
        }));
    }
};

QTEST_MAIN(TestMeetingWindow)
#include "tst_meetingwindow.moc"
