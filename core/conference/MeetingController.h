// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "call/MeetingMedia.h"
#include "client/HubClient.h"
#include "conference/MeetingPeople.h"
#include "hub/HubNotice.h"
#include "media/MediaOptions.h"
#include "media/SinkFactory.h"
#include "meeting/ChairCommand.h"
#include "meeting/MediaView.h"
#include "meeting/MeetingEvent.h"
#include "turn/TurnCredentials.h"

#include <QObject>
#include <QTimer>

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>

namespace conclave::storage {
class AuditLog;
}

namespace conclave::conference {

/// How a meeting ended for this device.
enum class Ending {
    Running,
    Ended,            ///< the chair ended it (or this chair did)
    Left,             ///< this participant left
    Denied,           ///< the chair turned this knock away
    Removed,          ///< the chair removed this member
    Refused,          ///< the hub or this device's policy refused it (see endError)
    Replaced,         ///< this chair went silent and a co-chair took over
    ConnectionFailed, ///< the hub could not be reached or the connection was lost
};

/// The one meeting runtime every front-end drives (the desktop window, conclave-cli host and
/// join, the headless demo): the session's state on a live, pinned hub connection, this
/// member's media, the events to show, and the audit trail. ChairController and
/// ParticipantController fill in the session.
///
/// Every change comes out as `eventsOccurred` (what happened) followed by `changed` (redraw
/// from the accessors). Audited events are written to the device's audit log with the
/// marking in force. Chair actions go through command() whichever side this device is on.
class MeetingController : public QObject {
    Q_OBJECT

public:
    ~MeetingController() override;

    /// Connects (and, for a participant, knocks; for a chair, announces the meeting - or, for
    /// a co-chair that took over, goes on as chair). Connect to the signals first.
    virtual void start() = 0;
    /// Whether this device may give the command now (the chair), or ask the chair for it (a
    /// co-chair): what front-ends enable buttons and accept commands from. Read from the
    /// table in meeting/ChairCommand.
    virtual bool mayCommand(meeting::ChairAction action, bool on = true) const = 0;
    /// Runs a chair command: the chair carries it out, a co-chair sends it to the chair as a
    /// signed request, anyone else is refused (meeting.not_chair) with what would allow it.
    virtual Result<void> command(const meeting::ChairCommand& command) = 0;
    /// Whether this device can make invites (the chair who created the meeting).
    virtual bool mayInvite() const { return false; }
    /// A single-use invite link for one person, valid for a day.
    virtual Result<QString> makeInvite(const QString& name);
    /// A link for uninvited knocking, where the meeting allows it.
    virtual Result<QString> makeMeetingLink() const;

    virtual bool isChair() const = 0;
    /// A participant the chair named co-chair: sees the waiting room, sends requests.
    virtual bool isCoChair() const { return false; }
    /// A co-chair whose chair has gone silent (or whose connection is gone) may take over.
    virtual bool canTakeOver() const { return false; }
    virtual QString title() const = 0;
    /// The canonical marking text ("" until a participant has the signed descriptor).
    virtual QString marking() const = 0;
    /// The code members read aloud to check nobody sits in the middle ("" before a key).
    virtual QString securityCode() const = 0;
    virtual std::vector<Member> members() const = 0;
    virtual std::vector<Knocker> waiting() const = 0;
    virtual bool chatEnabled() const = 0;
    virtual bool suspended() const = 0;
    virtual bool locked() const = 0;
    virtual std::optional<meeting::MediaState> mediaState() const { return view().mediaState(); }
    virtual Result<void> sendChat(const QString& text) = 0;
    /// Leaves (a participant) or ends the meeting for everyone (the chair).
    virtual void leave() = 0;

    // This member's own media (only they can unmute or restart it).
    Result<void> setMuted(bool muted);
    Result<void> setVideo(bool on);
    Result<void> setSharing(bool on);

    /// This member's media, end-to-end encrypted; `sinks` receive decoded streams (video
    /// tiles). Without it the control plane still works (chat, roster, controls).
    Result<void> startMedia(const media::MediaOptions& options, media::SinkFactory sinks);
    media::MediaMesh* mesh() { return m_media ? &m_media->mesh() : nullptr; }
    bool finishedAlready() const { return m_finished; }
    /// The connection to the hub was lost and is being made again (docs/protocol.md §6,
    /// "Resume"): the meeting is not live here until the hub takes this device back.
    bool reconnecting() const { return m_reconnecting; }

    /// Waits between attempts to reconnect (the last one repeats), and how long to keep trying:
    /// less than the hub keeps a member's place (HubLimits::resumeGrace, 120 s).
    /// How long media waits for a hub's TURN credentials when the policy lists TURN servers
    /// (a hub without the TURN secret sends none: media then starts without a relay, or is
    /// refused if the policy demands relaying).
    static constexpr std::chrono::milliseconds kTurnCredentialsWait{5000};
    static constexpr std::array<std::chrono::milliseconds, 4> kReconnectDelays{
        std::chrono::milliseconds(500), std::chrono::milliseconds(1000),
        std::chrono::milliseconds(2000), std::chrono::milliseconds(4000)};
    static constexpr std::chrono::seconds kReconnectWindow{110};
    /// Messages held while reconnecting (sent after the rejoin); past it the oldest go.
    static constexpr size_t kMaxHeldFrames = 2000;
    /// How the meeting ended (Running until then) and, for Refused and ConnectionFailed, why.
    Ending ending() const { return m_ending; }
    const std::optional<Error>& endError() const { return m_endError; }

signals:
    /// The pinned hub connection is open (`pin`: the hub key's SPKI pin it matched).
    void connected(const QString& pin);
    void eventsOccurred(const conclave::meeting::MeetingEvents& events);
    void changed();
    /// The hub connection failed or was lost (code, reason).
    void connectionFailed(const conclave::Error& error);
    /// The hub or this device's policy refused the meeting (code, reason): shown as a dialog.
    void refused(const conclave::Error& error);
    /// The meeting is ending for this device: the last moment its media statistics can be read
    /// (finished() follows once the last messages have left).
    void finishing();
    /// The meeting is over for this device (ended, left, removed, refused, failed): see ending().
    void finished();

protected:
    MeetingController(std::unique_ptr<client::HubClient> client, storage::AuditLog* audit);

    virtual meeting::MediaView& view() = 0;
    virtual const meeting::MediaView& view() const = 0;
    virtual std::vector<QByteArray> takeOutgoing() = 0;
    virtual meeting::MeetingEvents onTick() = 0;
    /// The pinned connection is open for the first time (`pin`: the key it matched).
    virtual void opened(const QString& pin) = 0;
    /// Whether a lost connection is to be made again: the meeting still runs here, and this
    /// device can take its place back (a member, or the chair that created the meeting).
    virtual bool mayReconnect() const = 0;
    /// The connection is open again after it was lost: queue what takes this device's place
    /// back (a member's resume, the chair's create, a knocker's knock). It is sent before
    /// anything held meanwhile.
    virtual void rejoin(const QString& pin) = 0;
    /// The hub took this device back (resumed, created, or the knock was queued): reconnecting
    /// is over.
    void reconnected();

    /// Shows, audits and sends whatever an action or message produced.
    void deliver(const meeting::MeetingEvents& events);
    Result<void> deliver(const Result<meeting::MeetingEvents>& result);
    void flush();
    /// A notice the hub sends when it dropped one of this device's messages.
    void deliverHubWarning(const hub::HubNotice& notice);
    /// The hub's `media_room` notice (hub+janus): where this member's media goes. Kept until
    /// media starts; a room the policy does not list is refused with a warning.
    void onMediaRoom(const hub::HubNotice& notice);
    /// The hub's `turn_credentials` notice: kept (the latest wins) for the TURN servers the
    /// policy lists for the meeting's backend; the hub can name no server (call::TransportChoice).
    void onTurnCredentials(const hub::HubNotice& notice);
    /// True while the meeting's backend lists TURN servers, the hub has sent no credentials
    /// yet and kTurnCredentialsWait since startMedia has not passed: the media transport is
    /// made with the first epoch and takes the credentials there, and a chair holds its first
    /// epoch before the hub's `created` (and its credentials) arrive.
    bool waitingForTurn() const;
    /// Stops the ticks and media, lets the last frames leave, closes the connection; the
    /// first reason given is the one that stands.
    void finish(Ending why, std::optional<Error> error = std::nullopt);
    /// A signed chair message the hub could not use (e.g. malformed), or a dropped message.
    void deliverWarning(const Error& error);
    client::HubClient& client() { return *m_client; }
    void startTicking() { m_ticker.start(); }
    /// What a co-chair's participant controller hands to the chair controller it becomes on
    /// a takeover: the open, pinned connection and the running media.
    struct Handover {
        std::unique_ptr<client::HubClient> client;
        std::unique_ptr<media::MediaMesh> mesh;
        std::optional<turn::TurnCredentials> turnCredentials; ///< the hub's latest
    };
    /// Gives up the connection and media; this controller is finished and has no connection
    /// any more (sends nothing).
    Handover handOver();
    /// Goes on with a mesh that ran under another session (after a takeover).
    void adoptMesh(std::unique_ptr<media::MediaMesh> mesh);
    /// The TURN credentials the hub gave the session this one takes over from (after a
    /// takeover; kept unless this one has its own): the hub renews them only 10 min before they
    /// expire, and links made until then need them.
    void adoptTurnCredentials(std::optional<turn::TurnCredentials> credentials);
    storage::AuditLog* auditLog() const { return m_audit; }
    /// Derived destructors call this first: the media and the connection must stop calling
    /// into the session before the session (and the derived object) is gone.
    void detach();

private:
    void record(const meeting::MeetingEvent& event);
    void onLost(const Error& error);
    void onReopened(const QString& pin);
    void retry();

    std::unique_ptr<client::HubClient> m_client;
    bool m_everConnected = false;
    bool m_reconnecting = false;
    int m_attempt = 0;
    std::chrono::steady_clock::time_point m_lostAt{}; ///< steady: a wait, not a rule
    /// This machine's addresses when media started or the connection last came back: others
    /// at a resume mean a new network, so media links are made anew (call::hostAddresses).
    QStringList m_mediaAddresses;
    std::deque<QByteArray> m_held; ///< sent while reconnecting, in order
    QTimer m_retry;
    Ending m_ending = Ending::Running;
    std::optional<Error> m_endError;
    storage::AuditLog* m_audit;
    std::unique_ptr<call::MeetingMedia> m_media;
    std::optional<hub::HubNotice> m_mediaRoom;              ///< the latest, for media started later
    std::optional<turn::TurnCredentials> m_turnCredentials; ///< the hub's latest
    /// Until when media waits for the hub's first TURN credentials (see waitingForTurn).
    std::chrono::steady_clock::time_point m_turnWaitUntil{};
    QTimer m_ticker;
    bool m_finished = false;
};

} // namespace conclave::conference
