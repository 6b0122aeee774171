// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/MeetingWindow.h"

#include "classification/MarkingParser.h"
#include "conference/MeetingController.h"
#include "ui/AuditDialog.h"
#include "ui/ChairControls.h"
#include "ui/ChangeMarkingDialog.h"
#include "ui/ChatPanel.h"
#include "ui/EventText.h"
#include "ui/FrameRouter.h"
#include "ui/InvitesDialog.h"
#include "ui/MarkingBanner.h"
#include "ui/RefusalDialog.h"
#include "ui/RosterPanel.h"
#include "ui/VideoGrid.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace conclave::ui {

MeetingWindow::MeetingWindow(conference::MeetingController& meeting,
                             const policy::PolicyDocument& policy, FrameRouter* frames,
                             storage::AuditLog* audit, crypto::Ed25519PublicKey deviceKey,
                             QWidget* parent)
    : QWidget(parent), m_meeting(meeting), m_policy(policy), m_audit(audit), m_deviceKey(deviceKey)
{
    setObjectName(QStringLiteral("meetingWindow"));
    resize(1180, 760);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    m_topBanner = new MarkingBanner(policy.scheme, this);
    m_topBanner->setObjectName(QStringLiteral("topBanner"));
    layout->addWidget(m_topBanner);

    auto* body = new QWidget(this);
    auto* bodyLayout = new QVBoxLayout(body);
    auto* header = new QHBoxLayout;
    m_title = new QLabel(body);
    m_title->setObjectName(QStringLiteral("meetingTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_securityCode = new QLabel(body);
    m_securityCode->setObjectName(QStringLiteral("securityCode"));
    m_securityCode->setTextInteractionFlags(Qt::TextSelectableByMouse |
                                            Qt::TextSelectableByKeyboard);
    QFont codeFont = m_securityCode->font();
    codeFont.setBold(true);
    m_securityCode->setFont(codeFont);
    m_securityCode->setToolTip(tr("Read this code aloud: everyone in the meeting must see the "
                                  "same digits. If not, someone is in the middle."));
    m_status = new QLabel(body);
    m_status->setObjectName(QStringLiteral("meetingStatus"));
    header->addWidget(m_title, 1);
    header->addWidget(m_status);
    header->addSpacing(16);
    header->addWidget(m_securityCode);
    bodyLayout->addLayout(header);

    auto* splitter = new QSplitter(body);
    m_grid = new VideoGrid(splitter);
    m_side = new QTabWidget(splitter);
    m_guide = new QLabel(body);
    m_guide->setObjectName(QStringLiteral("guide"));
    m_guide->setWordWrap(true);
    m_guide->setFrameShape(QFrame::StyledPanel);
    m_guide->setStyleSheet(QStringLiteral("QLabel { background-color: #fff8c5; color: #1f1f1f; "
                                          "padding: 6px; }")); // 16:1
    m_guide->hide();
    bodyLayout->addWidget(m_guide);
    m_roster = new RosterPanel(meeting, m_side);
    m_chat = new ChatPanel(meeting, m_side);
    m_side->addTab(m_roster, tr("&People"));
    m_side->addTab(m_chat, tr("C&hat"));
    connect(m_side, &QTabWidget::currentChanged, this, [this] {
        if (m_side->currentWidget() == m_chat) {
            m_unreadChat = 0;
            m_side->setTabText(m_side->indexOf(m_chat), tr("C&hat"));
        }
    });
    splitter->addWidget(m_grid);
    splitter->addWidget(m_side);
    m_side->setMinimumWidth(440); // names, roles and fingerprints without scrolling
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    bodyLayout->addWidget(splitter, 1);

    m_controls = new ChairControls(meeting, body);
    bodyLayout->addWidget(m_controls);
    bodyLayout->addWidget(makeOwnMediaBar());
    m_activity = new QLabel(body);
    m_activity->setObjectName(QStringLiteral("activity"));
    m_activity->setWordWrap(true);
    m_activity->setAccessibleName(tr("Latest meeting activity"));
    bodyLayout->addWidget(m_activity);
    layout->addWidget(body, 1);

    m_bottomBanner = new MarkingBanner(policy.scheme, this);
    m_bottomBanner->setObjectName(QStringLiteral("bottomBanner"));
    layout->addWidget(m_bottomBanner);

    connect(&meeting, &conference::MeetingController::changed, this, &MeetingWindow::refresh);
    connect(&meeting, &conference::MeetingController::eventsOccurred, this,
            &MeetingWindow::onEvents);
    connect(&meeting, &conference::MeetingController::refused, this,
            [this](const Error& e) { showRefusal(this, tr("The meeting was refused."), e); });
    connect(&meeting, &conference::MeetingController::connectionFailed, this,
            [this](const Error& e) { m_activity->setText(QString::fromStdString(e.message)); });
    connect(m_roster, &RosterPanel::actionFailed, this, &MeetingWindow::onActionFailed);
    connect(m_chat, &ChatPanel::actionFailed, this, &MeetingWindow::onActionFailed);
    connect(m_controls, &ChairControls::actionFailed, this, &MeetingWindow::onActionFailed);
    connect(m_controls, &ChairControls::changeMarkingRequested, this,
            &MeetingWindow::changeMarking);
    connect(m_controls, &ChairControls::invitesRequested, this, [this] { invites().open(); });
    if (frames)
        connect(frames, &FrameRouter::frame, m_grid, &VideoGrid::showFrame);
    refresh();
}

MeetingWindow::~MeetingWindow() = default;

QWidget* MeetingWindow::makeOwnMediaBar()
{
    auto* bar = new QWidget(this);
    auto* row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    const auto make = [&](const char* name, const QString& accessible) {
        auto* b = new QPushButton(bar);
        b->setObjectName(QLatin1String(name));
        b->setAccessibleName(accessible);
        b->setToolTip(accessible);
        row->addWidget(b);
        return b;
    };
    m_mic = make("microphone", tr("Mute or unmute yourself"));
    m_camera = make("camera", tr("Turn your camera on or off"));
    m_share = make("share", tr("Share your screen or stop sharing"));
    auto* audit = make("audit", tr("Show this device's audit log"));
    audit->setText(tr("A&udit log…"));
    audit->setVisible(m_audit != nullptr);
    row->addStretch(1);
    m_takeOver = make("takeOver", tr("Take the chair over: the chair has gone silent"));
    m_takeOver->setText(tr("&Take over as chair"));
    m_takeOver->setStyleSheet(QStringLiteral("QPushButton { background-color: #8b0000; color: "
                                             "#ffffff; font-weight: bold; }"));
    connect(m_takeOver, &QPushButton::clicked, this, &MeetingWindow::takeOverRequested);
    m_leave = make("leave", m_meeting.isChair() ? tr("End the meeting for everyone")
                                                : tr("Leave the meeting"));
    m_leave->setText(m_meeting.isChair() ? tr("End meeting") : tr("Leave"));
    m_leave->setVisible(!m_meeting.isChair()); // the chair's End is with the controls
    const auto report = [this](const Result<void>& r) {
        if (!r)
            onActionFailed(r.error());
    };
    connect(m_mic, &QPushButton::clicked, this, [this, report] {
        const auto s = m_meeting.mediaState();
        report(m_meeting.setMuted(s && s->audio));
    });
    connect(m_camera, &QPushButton::clicked, this, [this, report] {
        const auto s = m_meeting.mediaState();
        report(m_meeting.setVideo(!(s && s->video)));
    });
    connect(m_share, &QPushButton::clicked, this, [this, report] {
        const auto s = m_meeting.mediaState();
        report(m_meeting.setSharing(!(s && s->screen)));
    });
    connect(audit, &QPushButton::clicked, this, &MeetingWindow::showAudit);
    connect(m_leave, &QPushButton::clicked, this, [this] { m_meeting.leave(); });
    return bar;
}

void MeetingWindow::refresh()
{
    const QString marking = m_meeting.marking();
    m_topBanner->setMarking(marking);
    m_bottomBanner->setMarking(marking);
    setWindowTitle(tr("[%1] %2 — Conclave").arg(marking, m_meeting.title()));
    m_title->setText(m_meeting.title());
    const QString code = m_meeting.securityCode();
    m_securityCode->setText(code.isEmpty() ? tr("Security code: waiting for the meeting key")
                                           : tr("Security code: %1").arg(code));
    m_securityCode->setAccessibleName(m_securityCode->text());
    QStringList status;
    const bool reconnecting = m_meeting.reconnecting() && !m_meeting.finishedAlready();
    if (reconnecting)
        status << tr("RECONNECTING… not in the meeting until the connection is back");
    if (m_meeting.suspended())
        status << tr("SUSPENDED");
    if (m_meeting.locked())
        status << tr("Locked");
    if (m_meeting.finishedAlready())
        status << tr("Ended");
    m_status->setText(status.join(QStringLiteral(" · ")));
    // Suspension must be impossible to miss: white on dark red (8.6:1), bold.
    // Nor may a connection being made again pass for a live meeting: black on amber (10.7:1).
    m_status->setStyleSheet(
        m_meeting.suspended() ? QStringLiteral("QLabel { background-color: #8b0000; color: "
                                               "#ffffff; font-weight: bold; padding: 2px 8px; }")
        : reconnecting ? QStringLiteral("QLabel { background-color: #ffbf00; color: #000000; "
                                        "font-weight: bold; padding: 2px 8px; }")
                       : QString());
    m_status->setAccessibleName(m_status->text());
    const auto s = m_meeting.mediaState();
    const bool in = s.has_value() && !m_meeting.finishedAlready();
    m_mic->setText(s && s->audio ? tr("&Mute me") : tr("Un&mute me"));
    m_camera->setText(s && s->video ? tr("Stop my &camera") : tr("Start my &camera"));
    m_share->setText(s && s->screen ? tr("Stop &sharing") : tr("&Share screen"));
    for (QPushButton* b : {m_mic, m_camera, m_share})
        b->setEnabled(in && !m_meeting.suspended() && m_meeting.mesh());
    m_takeOver->setVisible(m_meeting.canTakeOver());
    m_roster->refresh();
    m_controls->refresh();
    m_chat->refresh();
    m_grid->setSelfNote(!m_meeting.mesh() ? tr("No audio or video in this meeting")
                        : s && s->video   ? tr("Your camera is on: the others see you")
                                          : tr("Your camera is off"));
    m_grid->setMembers(in ? m_meeting.members() : std::vector<conference::Member>{});
}

void MeetingWindow::onEvents(const meeting::MeetingEvents& events)
{
    m_chat->onEvents(events);
    for (const auto& e : events) {
        if (e.is<meeting::ev::Chat>() && m_side->currentWidget() != m_chat)
            m_side->setTabText(m_side->indexOf(m_chat), tr("C&hat (%1 new)").arg(++m_unreadChat));
        const QString text = describeEvent(e);
        if (!text.isEmpty())
            m_activity->setText(text);
        if (e.is<meeting::ev::Knock>())
            m_side->setCurrentWidget(m_roster); // someone to decide about
        if (const auto* changed = e.as<meeting::ev::MarkingChanged>();
            changed && !m_meeting.isChair())
            announceMarkingChange(changed->from, changed->to);
    }
}

void MeetingWindow::announceMarkingChange(const QString& from, const QString& to)
{
    // Members did not choose this: they are told in words as well as by the banners.
    auto* box = new QMessageBox(QMessageBox::Information, tr("The marking has changed"),
                                tr("This meeting is now marked %1 (it was %2).").arg(to, from),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("markingChangedNotice"));
    box->setInformativeText(tr("Handle everything you see and hear from now on as %1.").arg(to));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal);
    box->open();
}

void MeetingWindow::onActionFailed(const Error& error)
{
    showRefusal(this, tr("That was not done."), error);
}

void MeetingWindow::setGuide(const QString& text)
{
    m_guide->setText(text);
    m_guide->setVisible(!text.isEmpty());
}

QString MeetingWindow::securityCodeText() const
{
    return m_securityCode->text();
}

QString MeetingWindow::activityText() const
{
    return m_activity->text();
}

InvitesDialog& MeetingWindow::invites()
{
    if (!m_invites)
        m_invites = new InvitesDialog(m_meeting, this);
    return *m_invites;
}

void MeetingWindow::showAudit()
{
    if (!m_audit)
        return;
    if (!m_auditDialog)
        m_auditDialog = new AuditDialog(*m_audit, m_deviceKey, this);
    m_auditDialog->reload();
    m_auditDialog->open();
}

void MeetingWindow::changeMarking()
{
    if (!m_meeting.mayCommand(meeting::ChairAction::ChangeMarking))
        return;
    const auto current =
        classification::MarkingParser(m_policy.scheme).parse(m_meeting.marking().toStdString());
    if (!current)
        return; // the marking in force always parses: the session checked it
    auto* dialog = new ChangeMarkingDialog(m_policy.scheme, current->marking, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        meeting::ChairCommand change{meeting::ChairAction::ChangeMarking};
        change.marking = dialog->chosen();
        change.confirmed = dialog->loweringConfirmed();
        if (!change.marking)
            return;
        if (auto done = m_meeting.command(change); !done)
            showRefusal(this, tr("The marking was not changed."), done.error());
    });
    dialog->open();
}

void MeetingWindow::closeEvent(QCloseEvent* event)
{
    if (!m_meeting.finishedAlready())
        m_meeting.leave();
    event->accept();
}

} // namespace conclave::ui
