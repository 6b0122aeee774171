// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "conference/ChairController.h"
#include "conference/DemoCast.h"
#include "conference/ParticipantController.h"
#include "conference/StoredContactBook.h"
#include "crypto/Ed25519.h"
#include "policy/PolicyDocument.h"
#include "ui/NewMeetingRequest.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace conclave::storage {
class AuditLog;
}

namespace conclave::ui {

class FrameRouter;
class MeetingWindow;
class PolicyStatusWindow;
class PreJoinDialog;
class StartWindow;
class WaitingRoomView;

/// The desktop app's screens and what connects them: start window → (host) meeting window,
/// or (join) pre-join acknowledgement → waiting room → meeting window; and the demo.
/// It owns the meeting (controller, embedded hub, media) and the windows showing it.
class DesktopFlow : public QObject {
    Q_OBJECT

public:
    struct Device {
        const crypto::Ed25519SigningKey& identity;
        const policy::PolicyDocument& policy;
        QString policyProblem; ///< why the built-in policy is in force, if it is
        const Clock& clock;
        QString dataDirectory;
        storage::AuditLog* audit = nullptr;
        /// The device database: the waiting room tells known keys from first contacts by it.
        storage::Database* database = nullptr;
    };
    struct Options {
        /// Send and receive audio and video (off: control plane only, e.g. quick tests).
        bool media = true;
        /// Play received audio (the demo and tests keep quiet).
        bool playAudio = true;
        /// Use the test pattern and tone instead of devices for this member.
        bool testSources = false;
    };

    DesktopFlow(Device device, Options options);
    ~DesktopFlow() override;

    void showStart();
    /// Hosts a meeting as the start window asks; a refusal is shown and nothing starts.
    Result<void> startMeeting(const NewMeetingRequest& request);
    /// `conclave --demo`: an OFFICIAL meeting on this computer with three simulated knockers.
    Result<void> startDemo();
    /// Joins with an invite or meeting link: the marking is acknowledged before anything shows.
    Result<void> join(const QString& link, const QString& name);
    /// A co-chair takes over from a chair that went silent: same meeting, same connection and
    /// media, now in a chair's window. Refused (with a dialog) unless allowed.
    Result<void> takeOver();

    StartWindow* startWindow() const { return m_start.get(); }
    MeetingWindow* meetingWindow() const { return m_meetingWindow.get(); }
    WaitingRoomView* waitingRoom() const { return m_waiting.get(); }
    PreJoinDialog* preJoin() const;
    conference::ChairController* chair() const { return m_chair.get(); }
    conference::ParticipantController* participant() const { return m_participant.get(); }
    conference::DemoCast* demo() const { return m_demo.get(); }
    /// Invites made at start (name, link), for the invites dialog and tests.
    const QList<QPair<QString, QString>>& startInvites() const { return m_startInvites; }

private:
    Result<std::unique_ptr<conference::ChairController>>
    connectChair(meeting::ChairSetup setup, const QHostAddress& listenAddress);
    Result<void> host(const meeting::ChairSetup& setup, const QHostAddress& listenAddress,
                      const QStringList& invitees, bool demo);
    void startDemoCast();
    /// Ends this device's part in the current meeting (if any) and closes its windows.
    void closeMeeting();
    void showMeetingWindow(conference::MeetingController& meeting);
    void onParticipantState(conference::ParticipantController::State state);
    void askToAcknowledge();
    void startOwnMedia(conference::MeetingController& meeting, const media::MediaOptions& options);

    Device m_device;
    Options m_options;
    std::unique_ptr<FrameRouter> m_frames;
    std::unique_ptr<conference::StoredContactBook> m_contacts; ///< null without a database
    std::unique_ptr<conference::ChairController> m_chair;
    std::unique_ptr<conference::ParticipantController> m_participant;
    std::unique_ptr<conference::DemoCast> m_demo;
    std::unique_ptr<StartWindow> m_start;
    std::unique_ptr<PolicyStatusWindow> m_policyWindow;
    std::unique_ptr<MeetingWindow> m_meetingWindow;
    std::unique_ptr<WaitingRoomView> m_waiting;
    QPointer<PreJoinDialog> m_preJoin;
    QList<QPair<QString, QString>> m_startInvites;
    bool m_acknowledged = false;
    std::optional<media::MediaOptions> m_joinMedia;
    bool m_joinCameraOff = false;
    bool m_joinMicrophoneOff = false;
};

} // namespace conclave::ui
