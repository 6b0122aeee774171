// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "EventPrinter.h"
#include "HostRunner.h"
#include "JsonLineWriter.h"
#include "StdinReader.h"
#include "client/HubClient.h"
#include "meeting/ParticipantSession.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace conclave::app {

/// `conclave-cli join`: a headless participant. Wires a ParticipantSession to a pinned hub
/// connection, JSON-lines commands on stdin (chat, leave; a co-chair's requests and take-over)
/// and events on stdout. After a takeover the process goes on as chair, in a HostRunner.
class JoinRunner : public QObject {
    Q_OBJECT

public:
    JoinRunner(std::unique_ptr<meeting::ParticipantSession> session,
               std::unique_ptr<client::HubClient> client, const JsonLineWriter& out,
               EventPrinter& printer);

    void start();
    /// --media test: this member's media mesh, driven by its session.
    Result<void> startMedia(const media::MediaOptions& options);

signals:
    void finished(int exitCode);

private:
    void onNotice(const hub::HubNotice& notice);
    void onCommand(const QJsonObject& command);
    void onCoChairCommand(meeting::ChairRequest action, const QJsonObject& command);
    void takeOver();
    void afterEvents(const meeting::MeetingEvents& events);
    void finish(int exitCode);
    int exitCodeForState() const;

    std::unique_ptr<meeting::ParticipantSession> m_session;
    std::unique_ptr<client::HubClient> m_client;
    const JsonLineWriter& m_out;
    EventPrinter& m_printer;
    StdinReader m_stdin;
    QTimer m_ticker;
    bool m_finishing = false;
    std::unique_ptr<HostRunner> m_successor; ///< set once this co-chair took over
    std::unique_ptr<CliMedia> m_media;
};

} // namespace conclave::app
