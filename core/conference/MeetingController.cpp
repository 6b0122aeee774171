// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/MeetingController.h"

#include "call/HostAddresses.h"
#include "call/TransportChoice.h"
#include "conference/MeetingAudit.h"
#include "media/MediaMesh.h"

#include <QPointer>

namespace conclave::conference {

MeetingController::MeetingController(std::unique_ptr<client::HubClient> client,
                                     storage::AuditLog* audit)
    : m_client(std::move(client)), m_audit(audit)
{
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, [this] { deliver(onTick()); });
    m_everConnected = m_client->isOpen(); // a connection handed over by a takeover
    m_retry.setSingleShot(true);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (!m_finished)
            m_client->open();
    });
    connect(m_client.get(), &client::HubClient::connected, this, [this](const QString& pin) {
        if (m_everConnected)
            return onReopened(pin);
        m_everConnected = true;
        emit connected(pin);
        opened(pin);
    });
    connect(m_client.get(), &client::HubClient::frameRejected, this,
            &MeetingController::deliverWarning);
    connect(m_client.get(), &client::HubClient::failed, this, [this](const Error& error) {
        // A hub that answers with another key is never retried past: someone may be in the
        // middle. Anything else while reconnecting is one more attempt.
        if (m_reconnecting && error.code != "tls.pin_mismatch")
            return retry();
        emit connectionFailed(error);
        finish(Ending::ConnectionFailed, error);
    });
    connect(m_client.get(), &client::HubClient::lost, this, &MeetingController::onLost);
}

void MeetingController::onLost(const Error& error)
{
    if (m_finished)
        return;
    if (!mayReconnect()) {
        emit connectionFailed(error);
        return finish(Ending::ConnectionFailed, error);
    }
    if (!m_reconnecting) {
        m_reconnecting = true;
        m_attempt = 0;
        m_lostAt = std::chrono::steady_clock::now();
    }
    deliver({meeting::ev::Connection{QStringLiteral("reconnecting"),
                                     QString::fromStdString(error.message), m_attempt + 1}});
    retry();
}

void MeetingController::retry()
{
    if (m_finished)
        return;
    if (std::chrono::steady_clock::now() - m_lostAt >= kReconnectWindow) {
        const Error gone{"connection.lost",
                         "the hub could not be reached again within " +
                             std::to_string(kReconnectWindow.count()) +
                             " s; the meeting's place for this device is given up"};
        emit connectionFailed(gone);
        return finish(Ending::ConnectionFailed, gone);
    }
    const size_t step = std::min<size_t>(size_t(m_attempt), kReconnectDelays.size() - 1);
    ++m_attempt;
    m_retry.start(kReconnectDelays[step]);
}

void MeetingController::onReopened(const QString& pin)
{
    if (m_finished)
        return;
    if (!m_reconnecting) { // opened again by someone else's call: nothing was held
        rejoin(pin);
        return flush();
    }
    rejoin(pin);
    // What takes the place back goes first; then what was said meanwhile, in order.
    for (const QByteArray& frame : takeOutgoing())
        m_client->send(frame);
    while (!m_held.empty()) {
        m_client->send(m_held.front());
        m_held.pop_front();
    }
}

void MeetingController::reconnected()
{
    if (!m_reconnecting)
        return;
    m_reconnecting = false;
    m_attempt = 0;
    deliver({meeting::ev::Connection{QStringLiteral("resumed"), {}, 0}});
    // Back on another network: the links' old paths are gone for good (ICE here neither
    // notices nor restarts), while the same network's come back by themselves within a second
    // - so links are made anew only when the addresses changed (docs/media.md).
    if (QStringList now = call::hostAddresses(); m_media && now != m_mediaAddresses) {
        m_mediaAddresses = std::move(now);
        m_media->restartLinks();
        flush();
    }
}

MeetingController::~MeetingController()
{
    detach();
}

void MeetingController::detach()
{
    m_finished = true;
    m_ticker.stop();
    if (m_client)
        m_client->disconnect(this);
    m_media.reset();
}

Result<QString> MeetingController::makeInvite(const QString&)
{
    return Error{"meeting.not_original_chair",
                 "only the chair who created the meeting can make invites: an invite carries "
                 "that chair's signature"};
}

Result<QString> MeetingController::makeMeetingLink() const
{
    return Error{"meeting.not_chair", "only the chair can make a meeting link"};
}

Result<void> MeetingController::setMuted(bool muted)
{
    return deliver(view().setMuted(muted));
}

Result<void> MeetingController::setVideo(bool on)
{
    return deliver(view().setVideo(on));
}

Result<void> MeetingController::setSharing(bool on)
{
    return deliver(view().setSharing(on));
}

Result<void> MeetingController::startMedia(const media::MediaOptions& options,
                                           media::SinkFactory sinks)
{
    // The backend is read when the first epoch comes, from whichever session then runs the
    // meeting here (a successor after a takeover adopts the mesh; then it is this one's no more).
    QPointer<MeetingController> self(this);
    auto backend = [self]() -> const policy::Backend* {
        return self && !self->m_finished ? self->view().meetingBackend() : nullptr;
    };
    auto turnCredentials = [self]() -> std::optional<turn::TurnCredentials> {
        return self ? self->m_turnCredentials : std::nullopt;
    };
    auto mesh = media::MediaMesh::create(options, std::move(sinks),
                                         call::transportFor(backend, turnCredentials));
    if (!mesh)
        return mesh.error();
    m_media = std::make_unique<call::MeetingMedia>(view(), std::move(mesh).value());
    m_turnWaitUntil = std::chrono::steady_clock::now() + kTurnCredentialsWait;
    m_mediaAddresses = call::hostAddresses();
    QTimer::singleShot(kTurnCredentialsWait, this, [self] {
        if (self)
            self->flush(); // no credentials came: media starts (or is refused) now
    });
    connect(m_media.get(), &call::MeetingMedia::signalsQueued, this, [this] { flush(); });
    if (m_mediaRoom)
        onMediaRoom(*m_mediaRoom);
    flush(); // already admitted: the current epoch's keys go to the mesh now
    return {};
}

void MeetingController::onMediaRoom(const hub::HubNotice& notice)
{
    m_mediaRoom = notice;
    if (!m_media)
        return;
    if (auto used = m_media->useMediaRoom(notice.endpoint, notice.room, notice.token); !used)
        deliverWarning(used.error());
}

void MeetingController::onTurnCredentials(const hub::HubNotice& notice)
{
    // Taken when the media transport is made (the first epoch); a renewal also goes to a
    // transport already made, for the links it makes from now on (those made keep their
    // allocations). docs/media.md "TURN".
    m_turnCredentials = turn::TurnCredentials{notice.turnUsername, notice.turnCredential};
    if (m_media && !m_finished)
        if (auto used = m_media->useTurnCredentials(*m_turnCredentials); !used)
            deliverWarning(used.error());
    flush(); // media may have been waiting for them
}

bool MeetingController::waitingForTurn() const
{
    if (m_turnCredentials || std::chrono::steady_clock::now() >= m_turnWaitUntil)
        return false;
    const policy::Backend* backend = view().meetingBackend();
    return backend && !backend->turnUrls().empty();
}

void MeetingController::deliver(const meeting::MeetingEvents& events)
{
    for (const auto& event : events)
        record(event);
    flush();
    if (!events.empty())
        emit eventsOccurred(events);
    emit changed();
}

Result<void> MeetingController::deliver(const Result<meeting::MeetingEvents>& result)
{
    if (!result) {
        // What the policy refused is part of the record, like what it allowed.
        const Error& e = result.error();
        if (e.isPolicyRefusal())
            record(refusalEvent(e));
        return e;
    }
    deliver(*result);
    return {};
}

MeetingController::Handover MeetingController::handOver()
{
    m_ticker.stop();
    m_finished = true; // nothing more from this controller: the successor speaks now
    m_client->disconnect(this);
    // The credentials too: the successor's links made before the hub's next renewal need them.
    Handover out{std::move(m_client), nullptr, m_turnCredentials};
    if (m_media) {
        m_media->disconnect(this);
        out.mesh = m_media->releaseMesh();
        m_media.reset();
    }
    return out;
}

void MeetingController::adoptTurnCredentials(std::optional<turn::TurnCredentials> credentials)
{
    if (credentials && !m_turnCredentials)
        m_turnCredentials = std::move(credentials);
}

void MeetingController::adoptMesh(std::unique_ptr<media::MediaMesh> mesh)
{
    m_media = std::make_unique<call::MeetingMedia>(view(), std::move(mesh));
    connect(m_media.get(), &call::MeetingMedia::signalsQueued, this, [this] { flush(); });
    flush();
}

void MeetingController::deliverHubWarning(const hub::HubNotice& notice)
{
    deliverWarning({notice.code.toStdString(), notice.reason.toStdString()});
}

void MeetingController::deliverWarning(const Error& error)
{
    deliver({meeting::ev::Warning{QString::fromStdString(error.code),
                                  QString::fromStdString(error.message)}});
}

void MeetingController::flush()
{
    if (m_media && !m_finished && !waitingForTurn())
        m_media->sync(); // epochs, permissions and signalling first: they may add messages
    for (QByteArray& frame : takeOutgoing()) {
        if (!m_client) // none once handed over: the successor's session speaks now
            continue;
        if (!m_reconnecting) {
            m_client->send(frame);
            continue;
        }
        m_held.push_back(std::move(frame));
        if (m_held.size() > kMaxHeldFrames)
            m_held.pop_front(); // a meeting that cannot be reached for long says less
    }
}

void MeetingController::finish(Ending why, std::optional<Error> error)
{
    if (m_finished)
        return;
    m_ending = why;
    m_endError = std::move(error);
    emit finishing();
    flush();
    m_finished = true;
    m_ticker.stop();
    m_retry.stop();
    if (m_media)
        m_media->mesh().stop();
    // Let the last frames (a leave, an end) reach the hub before closing.
    QTimer::singleShot(300, this, [this] {
        m_client->close();
        emit finished();
    });
}

void MeetingController::record(const meeting::MeetingEvent& event)
{
    if (!event.audited() || !m_audit)
        return;
    if (auto written = auditEvent(*m_audit, marking(), event); !written)
        emit eventsOccurred(
            {meeting::ev::Warning{QString::fromStdString(written.error().code),
                                  QString::fromStdString(written.error().message)}});
}

} // namespace conclave::conference
