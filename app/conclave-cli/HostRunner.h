// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CliMedia.h"
#include "EventPrinter.h"
#include "JsonLineWriter.h"
#include "StdinReader.h"
#include "client/HubClient.h"
#include "hub/HubServer.h"
#include "meeting/ChairSession.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace conclave::app {

/// `conclave-cli host`: a headless chair. Wires a ChairSession to a hub connection (to its own
/// embedded hub or a standalone one), JSON-lines commands on stdin and events on stdout.
/// finished(code) carries the process exit code. A co-chair that takes over (JoinRunner)
/// continues in one of these, with its open connection (continueAsSuccessor).
class HostRunner : public QObject {
    Q_OBJECT

public:
    HostRunner(std::unique_ptr<meeting::ChairSession> chair,
               std::unique_ptr<client::HubClient> client,
               std::unique_ptr<hub::HubServer> embeddedHub, const JsonLineWriter& out,
               EventPrinter& printer, QStringList invitees, bool openLink, StdinReader* commands);

    /// Announces the meeting and connects.
    void start();
    /// Goes on from a takeover on the connection the co-chair already had.
    void continueAsSuccessor();
    void onCommand(const QJsonObject& command);
    /// --media test: the chair's media mesh, driven by its session.
    Result<void> startMedia(const media::MediaOptions& options);
    /// A co-chair's media, going on under this (successor) chair session.
    void adoptMedia(std::unique_ptr<CliMedia> media);

signals:
    void finished(int exitCode);

private:
    void onConnected();
    void onNotice(const hub::HubNotice& notice);
    void printMeeting();
    void flush();
    void finish(int exitCode);
    void printInvite(const QString& name);
    void reportResult(const Result<meeting::MeetingEvents>& result);
    std::optional<crypto::Ed25519PublicKey> resolve(const QString& who, bool inLobby) const;

    std::unique_ptr<meeting::ChairSession> m_chair;
    std::unique_ptr<client::HubClient> m_client;
    std::unique_ptr<hub::HubServer> m_embeddedHub;
    const JsonLineWriter& m_out;
    EventPrinter& m_printer;
    QStringList m_invitees;
    bool m_openLink;
    QTimer m_ticker;
    bool m_finishing = false;
    std::unique_ptr<CliMedia> m_media;
};

} // namespace conclave::app
