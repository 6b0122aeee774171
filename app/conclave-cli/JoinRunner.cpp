// SPDX-License-Identifier: GPL-3.0-or-later
#include "JoinRunner.h"

#include "ExitCode.h"
#include "WhoMatcher.h"
#include "meeting/ChairSession.h"

namespace conclave::app {

using State = meeting::ParticipantSession::State;

JoinRunner::JoinRunner(std::unique_ptr<meeting::ParticipantSession> session,
                       std::unique_ptr<client::HubClient> client, const JsonLineWriter& out,
                       EventPrinter& printer)
    : m_session(std::move(session)), m_client(std::move(client)), m_out(out), m_printer(printer)
{
    connect(m_client.get(), &client::HubClient::connected, this, [this](const QString& pin) {
        m_out.write({{QStringLiteral("event"), QStringLiteral("connected")},
                     {QStringLiteral("spki"), pin}});
        m_session->knock(pin);
        afterEvents({});
        m_ticker.start();
    });
    connect(m_client.get(), &client::HubClient::envelopeReceived, this,
            [this](const protocol::Envelope& e) { afterEvents(m_session->onEnvelope(e)); });
    connect(m_client.get(), &client::HubClient::noticeReceived, this, &JoinRunner::onNotice);
    connect(m_client.get(), &client::HubClient::frameRejected, this,
            [this](const Error& error) { m_out.writeFailure("warning", error); });
    connect(m_client.get(), &client::HubClient::failed, this, [this](const Error& error) {
        m_out.writeFailure("error", error);
        finish(kExitConnectionOrIdentity);
    });
    connect(m_client.get(), &client::HubClient::disconnected, this, [this] {
        if (m_finishing)
            return;
        const int code = exitCodeForState();
        const bool expected = code != kExitOk || m_session->state() == State::Ended ||
                              m_session->state() == State::Left;
        if (!expected)
            m_out.writeFailure("error", {"connection.lost", "the connection to the hub was lost"});
        finish(expected ? code : kExitConnectionOrIdentity);
    });
    connect(&m_stdin, &StdinReader::command, this, &JoinRunner::onCommand);
    connect(&m_stdin, &StdinReader::invalidLine, this, [this](const QString& reason) {
        m_out.writeFailure("error", {"usage", reason.toStdString()});
    });
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, [this] { afterEvents(m_session->tick()); });
}

void JoinRunner::start()
{
    m_client->open();
}

Result<void> JoinRunner::startMedia(const media::MediaOptions& options)
{
    auto media =
        CliMedia::start(options, *m_session, m_out, m_printer, [this] { afterEvents({}); });
    if (!media)
        return media.error();
    m_media = std::move(media).value();
    return {};
}

int JoinRunner::exitCodeForState() const
{
    switch (m_session->state()) {
    case State::Refused: {
        const auto& reason = m_session->endReason();
        const bool policy = reason && reason->code.rfind("policy.", 0) == 0;
        return policy ? kExitRefusedByPolicy : kExitDeniedOrRemoved;
    }
    case State::Denied:
    case State::Removed:
        return kExitDeniedOrRemoved;
    default:
        return kExitOk;
    }
}

void JoinRunner::afterEvents(const meeting::MeetingEvents& events)
{
    if (m_session->descriptor())
        m_printer.setMarking(m_session->descriptor()->marking);
    m_printer.print(events);
    if (m_media && !m_finishing)
        m_media->sync(); // epochs, permissions and signalling first: they may add messages
    for (const QByteArray& frame : m_session->outgoing())
        m_client->send(frame);
    const State s = m_session->state();
    if (s == State::Refused || s == State::Denied || s == State::Removed || s == State::Ended ||
        s == State::Left)
        finish(exitCodeForState());
}

void JoinRunner::onNotice(const hub::HubNotice& notice)
{
    using Kind = hub::HubNotice::Kind;
    switch (notice.kind) {
    case Kind::Lobby:
        afterEvents(m_session->onLobby(notice.descriptor, notice.succession));
        break;
    case Kind::Admitted:
        afterEvents(m_session->onAdmitted());
        break;
    case Kind::Denied:
        afterEvents(m_session->onDenied(notice.reason));
        break;
    case Kind::Removed:
        afterEvents(m_session->onRemoved(notice.reason));
        break;
    case Kind::Ended:
        afterEvents(m_session->onEnded());
        break;
    case Kind::Refused:
        afterEvents(m_session->onRefused(notice.code, notice.reason));
        break;
    case Kind::Left:
        if (notice.identity.size() == 32) {
            crypto::Ed25519PublicKey who;
            std::copy(notice.identity.begin(), notice.identity.end(), who.bytes.begin());
            afterEvents(m_session->onGone(who, notice.lobby));
        }
        break;
    case Kind::Error:
        m_out.writeFailure("warning", {notice.code.toStdString(), notice.reason.toStdString()});
        break;
    default:
        break;
    }
}

void JoinRunner::onCommand(const QJsonObject& command)
{
    if (m_successor)
        return m_successor->onCommand(command);
    if (m_media && m_media->handleCommand(command))
        return afterEvents({});
    const QString cmd = command.value(QStringLiteral("cmd")).toString();
    if (const auto request = meeting::chairRequestFromString(cmd.toStdString())) {
        onCoChairCommand(*request, command);
    } else if (cmd == QLatin1String("take-over")) {
        takeOver();
    } else if (cmd == QLatin1String("chat")) {
        auto sent = m_session->sendChat(command.value(QStringLiteral("text")).toString());
        if (!sent)
            m_out.writeFailure("error", sent.error());
        afterEvents(sent ? *sent : meeting::MeetingEvents{});
    } else if (cmd == QLatin1String("leave") || cmd == QLatin1String("quit")) {
        afterEvents(m_session->leave());
    } else if (cmd == QLatin1String("status")) {
        m_out.write({{QStringLiteral("event"), QStringLiteral("status")},
                     {QStringLiteral("epoch"), qint64(m_session->keys().currentEpoch())},
                     {QStringLiteral("members"), qint64(m_session->keys().roster().size())},
                     {QStringLiteral("muted"), m_session->muted()},
                     {QStringLiteral("chat"), m_session->chatEnabled()},
                     {QStringLiteral("chair_silent"), m_session->chairSilent()},
                     {QStringLiteral("co_chair"), m_session->isCoChair()}});
    } else {
        m_out.writeFailure("error",
                           {"usage", "unknown command '" + cmd.toStdString() +
                                         "'; a participant can send chat, status and leave (a "
                                         "co-chair also admit, deny, remove, to-lobby, lock, "
                                         "unlock, mute-all, suspend, resume and take-over)"});
    }
}

void JoinRunner::onCoChairCommand(meeting::ChairRequest action, const QJsonObject& command)
{
    std::optional<crypto::Ed25519PublicKey> target;
    if (meeting::needsTarget(action)) {
        const QString who = command.value(QStringLiteral("who")).toString();
        const bool inLobby =
            action == meeting::ChairRequest::Admit || action == meeting::ChairRequest::Deny;
        if (inLobby) {
            for (const auto& [id, name] : m_session->lobby()) {
                crypto::Ed25519PublicKey key;
                std::copy(id.begin(), id.end(), key.bytes.begin());
                if (namesPerson(who, key, name))
                    target = key;
            }
        } else {
            for (const auto& e : m_session->keys().roster().entries())
                if (namesPerson(who, e.identity, QString::fromStdString(e.name)))
                    target = e.identity;
        }
        if (!target)
            return m_out.writeFailure("error",
                                      {"usage", "nobody matching '" + who.toStdString() + "' is " +
                                                    (inLobby ? "waiting" : "in the meeting")});
    }
    auto sent =
        m_session->request(action, target, command.value(QStringLiteral("reason")).toString());
    if (!sent)
        m_out.writeFailure("error", sent.error());
    afterEvents(sent ? *sent : meeting::MeetingEvents{});
}

void JoinRunner::takeOver()
{
    auto chair = m_session->takeOver();
    if (!chair) {
        m_out.writeFailure("error", chair.error());
        return;
    }
    // From here this process is the chair: the connection and the command input move to a
    // HostRunner, as if the meeting had been hosted here.
    m_ticker.stop();
    m_client->disconnect(this);
    m_successor =
        std::make_unique<HostRunner>(std::move(chair).value(), std::move(m_client), nullptr, m_out,
                                     m_printer, QStringList(), false, nullptr);
    connect(m_successor.get(), &HostRunner::finished, this, &JoinRunner::finished);
    m_printer.print(meeting::ev::TookOver{});
    m_successor->adoptMedia(std::move(m_media));
    m_successor->continueAsSuccessor();
}

void JoinRunner::finish(int exitCode)
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_ticker.stop();
    if (m_media)
        m_media->printStats(); // the final tally
    QTimer::singleShot(300, this, [this, exitCode] {
        m_client->close();
        emit finished(exitCode);
    });
}

} // namespace conclave::app
