// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/DesktopFlow.h"

#include "classification/MarkingParser.h"
#include "conference/EmbeddedHost.h"
#include "conference/MeetingAudit.h"
#include "crypto/Fingerprint.h"
#include "media/DeviceList.h"
#include "meeting/DisplayName.h"
#include "ui/BackendList.h"
#include "ui/FrameRouter.h"
#include "ui/InvitesDialog.h"
#include "ui/MeetingWindow.h"
#include "ui/PolicyStatusWindow.h"
#include "ui/PreJoinDialog.h"
#include "ui/RefusalDialog.h"
#include "ui/StartWindow.h"
#include "ui/WaitingRoomView.h"

#include <QUrl>

namespace conclave::ui {

namespace {

using State = conference::ParticipantController::State;

/// A meeting whose hub is on this computer's loopback keeps its media there too: ICE then
/// offers only 127.0.0.1, which is what a one-machine meeting (the demo) needs.
QStringList mediaAddressesFor(const QString& hubUrl)
{
    const QHostAddress host(QUrl(hubUrl).host());
    return host.isLoopback() ? QStringList{QStringLiteral("127.0.0.1")} : QStringList{};
}

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

DesktopFlow::DesktopFlow(Device device, Options options)
    : m_device(std::move(device)), m_options(options),
      m_frames(std::make_unique<FrameRouter>(options.playAudio))
{
    if (m_device.database)
        m_contacts =
            std::make_unique<conference::StoredContactBook>(*m_device.database, m_device.clock);
}

DesktopFlow::~DesktopFlow()
{
    closeMeeting(); // before the sinks' router: queued frames are addressed to it
}

void DesktopFlow::closeMeeting()
{
    // Simulated people and windows first (they refer to the meeting), then the meeting and
    // its media.
    m_demo.reset();
    delete m_preJoin;
    m_meetingWindow.reset();
    m_waiting.reset();
    m_chair.reset();
    m_participant.reset();
    m_startInvites.clear();
    m_acknowledged = false;
    m_joinMedia.reset();
    m_joinCameraOff = false;
    m_joinMicrophoneOff = false;
}

PreJoinDialog* DesktopFlow::preJoin() const
{
    return m_preJoin.data();
}

void DesktopFlow::showStart()
{
    if (!m_start) {
        m_start = std::make_unique<StartWindow>(m_device.policy, m_device.policyProblem,
                                                conference::EmbeddedHost::candidateAddresses());
        connect(m_start.get(), &StartWindow::startRequested, this,
                [this](const NewMeetingRequest& request) { (void)startMeeting(request); });
        connect(m_start.get(), &StartWindow::joinRequested, this,
                [this](const QString& link, const QString& name) { (void)join(link, name); });
        connect(m_start.get(), &StartWindow::policyDetailsRequested, this, [this] {
            if (!m_policyWindow)
                m_policyWindow = std::make_unique<PolicyStatusWindow>(
                    m_device.policy,
                    m_device.policyProblem.isEmpty()
                        ? std::nullopt
                        : std::optional<std::string>(m_device.policyProblem.toStdString()),
                    qs(crypto::publicKeyFingerprint(m_device.identity.publicKey().view())));
            m_policyWindow->show();
            m_policyWindow->raise();
        });
    }
    m_start->show();
}

Result<void> DesktopFlow::startMeeting(const NewMeetingRequest& request)
{
    meeting::ChairSetup setup;
    setup.title = request.title;
    setup.marking = request.marking;
    setup.backendId = request.backendId;
    setup.chairName = request.chairName;
    setup.options.chat = request.chat;
    setup.options.openKnocking = request.openLink;
    setup.options.invitesRequired = !request.openLink;
    return host(setup, request.listenAddress, request.invitees, false);
}

Result<void> DesktopFlow::startDemo()
{
    auto setup = conference::DemoCast::meetingSetup(m_device.policy);
    if (!setup)
        return setup.error();
    return host(*setup, QHostAddress(QHostAddress::LocalHost), {}, true);
}

Result<std::unique_ptr<conference::ChairController>>
DesktopFlow::connectChair(meeting::ChairSetup setup, const QHostAddress& listenAddress)
{
    const policy::Backend* backend = m_device.policy.findBackend(setup.backendId.toStdString());
    const bool embedded = setup.backendId == QLatin1String(BackendList::kThisComputer) ||
                          (backend && backend->kind == policy::BackendKind::Embedded);
    if (embedded)
        return conference::EmbeddedHost::hostMeeting(m_device.dataDirectory, listenAddress, 0,
                                                     m_device.identity, m_device.policy,
                                                     m_device.clock, setup, m_device.audit);
    for (const auto& endpoint : backend ? backend->endpoints : std::vector<policy::Endpoint>{})
        if (endpoint.role == policy::Endpoint::Role::Hub && !endpoint.spkiSha256.empty()) {
            setup.hubUrl = qs(endpoint.url);
            setup.hubPin = qs(endpoint.spkiSha256.front());
            break;
        }
    if (setup.hubUrl.isEmpty())
        return Error{"policy.no_hub_endpoint",
                     tr("The policy lists no hub address with a key pin for backend '%1', so "
                        "this computer cannot reach it. Choose another backend or ask your "
                        "security team to add the hub's endpoint.")
                         .arg(setup.backendId)
                         .toStdString()};
    return conference::ChairController::onHub(m_device.identity, m_device.policy, m_device.clock,
                                              setup, m_device.audit);
}

Result<void> DesktopFlow::host(const meeting::ChairSetup& setup, const QHostAddress& listenAddress,
                               const QStringList& invitees, bool demo)
{
    closeMeeting(); // one meeting at a time: a new one replaces whatever ended before
    auto chair = connectChair(setup, listenAddress);
    if (!chair) {
        // What the policy refused is part of the record, as in a running meeting.
        if (m_device.audit && chair.error().isPolicyRefusal())
            (void)conference::auditEvent(*m_device.audit, qs(setup.marking.canonical),
                                         conference::refusalEvent(chair.error()));
        showRefusal(m_start.get(), tr("The meeting was not started."), chair.error());
        return chair.error();
    }
    m_chair = std::move(chair).value();
    m_chair->setContactBook(m_contacts.get());
    showMeetingWindow(*m_chair);
    connect(m_chair.get(), &conference::ChairController::created, this, [this, invitees, demo] {
        for (const QString& name : invitees) {
            auto link = m_chair->makeInvite(name);
            if (!link) {
                showRefusal(m_meetingWindow.get(), tr("No invite was made for %1.").arg(name),
                            link.error());
                continue;
            }
            m_startInvites.append({name, *link});
            m_meetingWindow->invites().addInvite(name, *link);
        }
        if (!invitees.isEmpty())
            m_meetingWindow->invites().open();
        if (demo && !m_demo)
            startDemoCast();
    });
    if (m_options.media) {
        media::MediaOptions options;
        options.testSources = demo || m_options.testSources;
        options.localAddresses = mediaAddressesFor(m_chair->session().hubUrl());
        startOwnMedia(*m_chair, options);
    }
    m_chair->start();
    if (m_start)
        m_start->hide();
    return {};
}

void DesktopFlow::startDemoCast()
{
    std::optional<media::MediaOptions> actorMedia;
    if (m_options.media) {
        actorMedia = media::MediaOptions{};
        actorMedia->localAddresses = {QStringLiteral("127.0.0.1")};
    }
    m_demo = std::make_unique<conference::DemoCast>(*m_chair, m_device.policy, m_device.clock,
                                                    actorMedia);
    m_meetingWindow->setGuide(
        tr("Practice run: three people will knock. 1. Select Amelia Hart (invited) and Admit. "
           "2. Select Sam Walker (not invited) and Deny. 3. Admit Jordan Reyes - they will start "
           "disrupting: Remove them, or press Suspend all activity to stop everything at once. "
           "Nothing here leaves this computer."));
    // The simulated people are not the user's business: what they could not do goes to the log.
    connect(m_demo.get(), &conference::DemoCast::actorProblem, this,
            [](const QString& name, const Error& error) {
                qWarning("demo: %s could not act: %s", qPrintable(name), error.message.c_str());
            });
    if (auto started = m_demo->start(); !started)
        showRefusal(m_meetingWindow.get(), tr("The demo's participants could not start."),
                    started.error());
}

Result<void> DesktopFlow::join(const QString& link, const QString& name)
{
    auto target = meeting::JoinTarget::fromLink(link, m_device.clock.now());
    if (!target) {
        showRefusal(m_start.get(), tr("This invite cannot be used."), target.error());
        return target.error();
    }
    auto shownName =
        meeting::checkDisplayName(name.trimmed().isEmpty() ? tr("Participant") : name, "your name");
    if (!shownName) {
        showRefusal(m_start.get(), tr("This name cannot be used."), shownName.error());
        return shownName.error();
    }
    closeMeeting();
    auto session = std::make_unique<meeting::ParticipantSession>(
        m_device.identity, m_device.policy, m_device.clock, *target, *shownName);
    m_participant = std::make_unique<conference::ParticipantController>(
        std::move(session), std::make_unique<client::HubClient>(target->hubUrl, target->hubPin),
        m_device.audit);
    connect(m_participant.get(), &conference::ParticipantController::stateChanged, this,
            &DesktopFlow::onParticipantState);
    connect(m_participant.get(), &conference::MeetingController::refused, this,
            [this](const Error& error) {
                showRefusal(m_start.get(), tr("You cannot join this meeting."), error);
            });
    connect(m_participant.get(), &conference::MeetingController::connectionFailed, this,
            [this](const Error& error) {
                if (!m_meetingWindow)
                    showRefusal(m_start.get(), tr("The meeting could not be reached."), error);
            });
    m_participant->start();
    return {};
}

void DesktopFlow::onParticipantState(State state)
{
    switch (state) {
    case State::Waiting:
        if (!m_acknowledged)
            return askToAcknowledge();
        if (m_meetingWindow) // sent back to the waiting room: nothing of the meeting stays up
            m_meetingWindow->hide();
        if (!m_waiting)
            m_waiting = std::make_unique<WaitingRoomView>(m_device.policy.scheme);
        connect(m_waiting.get(), &WaitingRoomView::leaveRequested, m_participant.get(),
                &conference::ParticipantController::leave, Qt::UniqueConnection);
        m_waiting->show(m_participant->marking(), m_participant->title());
        if (m_start)
            m_start->hide();
        break;
    case State::Member:
        if (!m_acknowledged)
            return; // shown once the marking is acknowledged
        if (m_waiting)
            m_waiting->hide();
        // "No camera" / "No microphone" at pre-join: this member starts with them off (each
        // admission starts afresh, so again after a return from the waiting room).
        if (m_joinCameraOff)
            (void)m_participant->setVideo(false);
        if (m_joinMicrophoneOff)
            (void)m_participant->setMuted(true);
        if (!m_meetingWindow) {
            showMeetingWindow(*m_participant);
        } else if (m_joinMedia) {
            // Back from the waiting room: the old media stopped for good with the old keys
            // (docs/e2ee.md §3); a fresh mesh joins under the new epoch.
            startOwnMedia(*m_participant, *m_joinMedia);
        }
        m_meetingWindow->show();
        break;
    default: { // denied, removed, refused, ended, left
        const QString why =
            m_participant->session().endReason()
                ? qs(m_participant->session().endReason()->message)
                : (state == State::Ended ? tr("The meeting has ended.") : tr("You have left."));
        if (m_preJoin)
            m_preJoin->reject();
        if (m_waiting && m_waiting->isVisible())
            m_waiting->setMessage(why);
        break;
    }
    }
}

void DesktopFlow::askToAcknowledge()
{
    if (m_preJoin)
        return;
    const auto& descriptor = m_participant->session().descriptor();
    auto marking = classification::MarkingParser(m_device.policy.scheme)
                       .parse(m_participant->marking().toStdString());
    if (!descriptor || !marking)
        return; // the session refuses such a meeting itself
    const policy::Backend* backend =
        m_device.policy.findBackend(descriptor->backendId.toStdString());
    PreJoinDialog::Details details{
        descriptor->title, qs(crypto::publicKeyFingerprint(descriptor->chair.view())),
        backend ? tr("%1 (%2)").arg(qs(backend->name), descriptor->backendId)
                : descriptor->backendId};
    m_preJoin = new PreJoinDialog(m_device.policy.scheme, marking->marking, details,
                                  m_options.media ? media::DeviceList::list()
                                                  : std::vector<media::MediaDevice>{},
                                  *m_frames, m_options.testSources);
    m_preJoin->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_preJoin, &QDialog::accepted, this, [this] {
        m_acknowledged = true;
        m_joinCameraOff = m_preJoin->cameraOff();
        m_joinMicrophoneOff = m_preJoin->microphoneOff();
        if (m_options.media) {
            media::MediaOptions options = m_preJoin->mediaChoice();
            options.testSources = options.testSources || m_options.testSources;
            options.localAddresses = mediaAddressesFor(m_participant->session().target().hubUrl);
            m_joinMedia = options;
            startOwnMedia(*m_participant, options);
        }
        onParticipantState(m_participant->state());
    });
    connect(m_preJoin, &QDialog::rejected, this, [this] {
        if (!m_acknowledged && m_participant->state() != State::Refused)
            m_participant->leave();
        showStart();
    });
    if (m_start)
        m_start->hide();
    m_preJoin->open();
}

void DesktopFlow::startOwnMedia(conference::MeetingController& meeting,
                                const media::MediaOptions& options)
{
    if (auto started = meeting.startMedia(options, m_frames->sinkFactory()); !started) {
        showRefusal(m_meetingWindow.get(),
                    tr("Audio and video could not start; chat and "
                       "controls still work."),
                    started.error());
        return;
    }
}

void DesktopFlow::showMeetingWindow(conference::MeetingController& meeting)
{
    m_meetingWindow = std::make_unique<MeetingWindow>(
        meeting, m_device.policy, m_frames.get(), m_device.audit, m_device.identity.publicKey());
    connect(m_meetingWindow.get(), &MeetingWindow::takeOverRequested, this,
            [this] { (void)takeOver(); });
    m_meetingWindow->show();
}

Result<void> DesktopFlow::takeOver()
{
    if (!m_participant)
        return Error{"meeting.not_co_chair", "Only a co-chair in a meeting can take over."};
    auto chair = m_participant->takeOver();
    if (!chair) {
        showRefusal(m_meetingWindow.get(), tr("You did not take over."), chair.error());
        return chair.error();
    }
    // The participant's window is on the call stack (its button): it goes once control
    // returns; the meeting goes on in a chair's window on the same connection.
    const QRect where = m_meetingWindow->geometry();
    m_meetingWindow->hide();
    m_meetingWindow.release()->deleteLater();
    m_participant.release()->deleteLater();
    m_chair = std::move(chair).value();
    m_chair->setContactBook(m_contacts.get());
    showMeetingWindow(*m_chair);
    m_meetingWindow->setGeometry(where);
    m_chair->start(); // the takeover goes out; the window shows the roster and the new epoch
    return {};
}

} // namespace conclave::ui
