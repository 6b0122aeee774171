// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "JsonLineWriter.h"
#include "MediaReport.h"
#include "StdinReader.h"
#include "classification/Scheme.h"
#include "conference/ChairController.h"
#include "conference/ParticipantController.h"

#include <QObject>

#include <memory>

namespace conclave::app {

/// `conclave-cli host` and `join`: the meeting runtime the desktop app runs (a chair or
/// participant controller from core/conference) with JSON-lines commands on stdin and its
/// events as JSON lines on stdout (docs/cli.md). A co-chair that takes over goes on as chair
/// in the same process. finished(code) carries the process exit code.
class CliMeeting : public QObject {
    Q_OBJECT

public:
    /// What a host prints once connected: an invite per name, and a link for uninvited
    /// knocking if asked.
    struct HostOutput {
        QStringList invitees;
        bool openLink = false;
    };

    CliMeeting(std::unique_ptr<conference::ChairController> chair, HostOutput output,
               const classification::Scheme& scheme, const JsonLineWriter& out);
    CliMeeting(std::unique_ptr<conference::ParticipantController> participant,
               const classification::Scheme& scheme, const JsonLineWriter& out);

    /// --media: this member's media, with its statistics printed.
    Result<void> startMedia(const media::MediaOptions& options);
    /// Connects (and announces or knocks); finished() follows when the meeting is over here.
    void start();

signals:
    void finished(int exitCode);

private:
    CliMeeting(std::unique_ptr<conference::MeetingController> meeting,
               const classification::Scheme& scheme, const JsonLineWriter& out);
    void attach();
    void onConnected(const QString& pin);
    void print(const meeting::MeetingEvents& events);
    void onCommand(const QJsonObject& command);
    bool mediaCommand(const QString& name, const QJsonObject& command);
    bool participantCommand(const QString& name);
    void report(const Result<void>& done);
    void takeOver();
    void printMeeting();
    void printInvite(const QString& name);
    void printStatus();
    int exitCode() const;

    std::unique_ptr<conference::MeetingController> m_meeting;
    conference::ChairController* m_chair = nullptr;             ///< when chairing
    conference::ParticipantController* m_participant = nullptr; ///< when participating
    HostOutput m_hostOutput;
    const classification::Scheme& m_scheme;
    const JsonLineWriter& m_out;
    StdinReader m_stdin;
    std::unique_ptr<MediaReport> m_mediaReport;
};

} // namespace conclave::app
