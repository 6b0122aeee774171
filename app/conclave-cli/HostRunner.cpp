// SPDX-License-Identifier: GPL-3.0-or-later
#include "HostRunner.h"

#include "ExitCode.h"
#include "WhoMatcher.h"
#include "classification/MarkingParser.h"

#include <QCoreApplication>

namespace conclave::app {
namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

HostRunner::HostRunner(std::unique_ptr<meeting::ChairSession> chair,
                       std::unique_ptr<client::HubClient> client,
                       std::unique_ptr<hub::HubServer> embeddedHub, const JsonLineWriter& out,
                       EventPrinter& printer, QStringList invitees, bool openLink,
                       StdinReader* commands)
    : m_chair(std::move(chair)), m_client(std::move(client)), m_embeddedHub(std::move(embeddedHub)),
      m_out(out), m_printer(printer), m_invitees(std::move(invitees)), m_openLink(openLink)
{
    m_printer.setMarking(m_chair->descriptor().marking);
    connect(m_client.get(), &client::HubClient::connected, this, &HostRunner::onConnected);
    connect(m_client.get(), &client::HubClient::envelopeReceived, this,
            [this](const protocol::Envelope& e) {
                m_printer.print(m_chair->onEnvelope(e));
                flush();
            });
    connect(m_client.get(), &client::HubClient::noticeReceived, this, &HostRunner::onNotice);
    connect(m_client.get(), &client::HubClient::frameRejected, this,
            [this](const Error& error) { m_out.writeFailure("warning", error); });
    connect(m_client.get(), &client::HubClient::failed, this, [this](const Error& error) {
        m_out.writeFailure("error", error);
        finish(kExitConnectionOrIdentity);
    });
    connect(m_client.get(), &client::HubClient::disconnected, this, [this] {
        if (!m_finishing) {
            m_out.writeFailure("error", {"connection.lost", "the connection to the hub was lost"});
            finish(kExitConnectionOrIdentity);
        }
    });
    if (commands) {
        connect(commands, &StdinReader::command, this, &HostRunner::onCommand);
        connect(commands, &StdinReader::invalidLine, this, [this](const QString& reason) {
            m_out.writeFailure("error", {"usage", reason.toStdString()});
        });
    }
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, [this] {
        m_printer.print(m_chair->tick());
        flush();
    });
}

void HostRunner::start()
{
    m_chair->announce();
    m_client->open();
}

void HostRunner::continueAsSuccessor()
{
    printMeeting();
    m_printer.print(m_chair->currentState());
    flush(); // the takeover itself
    m_ticker.start();
}

void HostRunner::printMeeting()
{
    const auto& d = m_chair->descriptor();
    m_out.write({{QStringLiteral("event"), QStringLiteral("meeting")},
                 {QStringLiteral("meeting_id"), QString::fromLatin1(d.meetingId.toHex())},
                 {QStringLiteral("title"), d.title},
                 {QStringLiteral("marking"), d.marking},
                 {QStringLiteral("backend"), d.backendId},
                 {QStringLiteral("hub_pin"), d.hubPin},
                 {QStringLiteral("meeting_code"), m_chair->meetingCode()},
                 {QStringLiteral("invites_required"), d.options.invitesRequired},
                 {QStringLiteral("chat"), d.options.chat},
                 {QStringLiteral("successor"), m_chair->isSuccessor()}});
}

void HostRunner::onConnected()
{
    printMeeting();
    flush();
    for (const QString& name : m_invitees)
        printInvite(name);
    if (m_openLink) {
        auto link = m_chair->makeMeetingLink(std::chrono::hours(24));
        if (link)
            m_out.write({{QStringLiteral("event"), QStringLiteral("link")},
                         {QStringLiteral("link"), *link}});
        else
            m_out.writeFailure("refused", link.error());
    }
    m_ticker.start();
}

void HostRunner::printInvite(const QString& name)
{
    auto link = m_chair->makeInvite(name, std::nullopt, std::chrono::hours(24));
    if (!link)
        return m_out.writeFailure("error", link.error());
    m_out.write({{QStringLiteral("event"), QStringLiteral("invite")},
                 {QStringLiteral("name"), name},
                 {QStringLiteral("link"), *link}});
}

void HostRunner::onNotice(const hub::HubNotice& notice)
{
    using Kind = hub::HubNotice::Kind;
    switch (notice.kind) {
    case Kind::Created:
        m_printer.print(meeting::ev::Created{});
        break;
    case Kind::Refused: {
        m_printer.print(meeting::ev::Refused{notice.code, notice.reason});
        const bool policy = notice.code.startsWith(QLatin1String("policy.")) ||
                            notice.code.startsWith(QLatin1String("marking"));
        finish(policy ? kExitRefusedByPolicy : kExitConnectionOrIdentity);
        break;
    }
    case Kind::Left: {
        crypto::Ed25519PublicKey who;
        if (notice.identity.size() == 32) {
            std::copy(notice.identity.begin(), notice.identity.end(), who.bytes.begin());
            m_printer.print(m_chair->onDisconnected(who));
            flush();
        }
        break;
    }
    case Kind::Removed: // a delegated co-chair took over from this (silent) chair
        m_printer.print(meeting::ev::ChairReplaced{notice.reason});
        finish(kExitDeniedOrRemoved);
        break;
    case Kind::Error:
        m_out.writeFailure("warning", {notice.code.toStdString(), notice.reason.toStdString()});
        break;
    case Kind::Revised:
        m_printer.print(m_chair->onDescriptorAccepted(notice.descriptor));
        flush();
        break;
    default:
        break;
    }
}

std::optional<crypto::Ed25519PublicKey> HostRunner::resolve(const QString& who, bool inLobby) const
{
    if (inLobby) {
        for (const auto& [id, entry] : m_chair->lobby())
            if (namesPerson(who, entry.announcement.identity, entry.name))
                return entry.announcement.identity;
        return std::nullopt;
    }
    for (const auto& e : m_chair->roster().entries())
        if (namesPerson(who, e.identity, qs(e.name)))
            return e.identity;
    return std::nullopt;
}

void HostRunner::reportResult(const Result<meeting::MeetingEvents>& result)
{
    if (!result) {
        if (result.error().code.rfind("policy.", 0) == 0)
            m_printer.print(
                meeting::ev::Refused{qs(result.error().code), qs(result.error().message)});
        else
            m_out.writeFailure("error", result.error());
        return;
    }
    m_printer.print(*result);
    m_printer.setMarking(m_chair->descriptor().marking);
    flush();
}

void HostRunner::onCommand(const QJsonObject& command)
{
    if (m_media && m_media->handleCommand(command))
        return flush();
    const QString cmd = command.value(QStringLiteral("cmd")).toString();
    const QString who = command.value(QStringLiteral("who")).toString();
    const QString reason = command.value(QStringLiteral("reason")).toString();
    const auto target = [&](bool inLobby) -> std::optional<crypto::Ed25519PublicKey> {
        auto key = resolve(who, inLobby);
        if (!key)
            m_out.writeFailure("error",
                               {"usage", "nobody matching '" + who.toStdString() + "' is " +
                                             (inLobby ? "waiting" : "in the meeting")});
        return key;
    };
    if (cmd == QLatin1String("admit")) {
        const bool observer =
            command.value(QStringLiteral("role")).toString() == QLatin1String("observer");
        if (auto key = target(true))
            reportResult(m_chair->admit(*key, observer ? crypto::MemberRole::Observer
                                                       : crypto::MemberRole::Participant));
    } else if (cmd == QLatin1String("admit-all")) {
        reportResult(m_chair->admitAllInvited());
    } else if (cmd == QLatin1String("deny")) {
        if (auto key = target(true))
            reportResult(m_chair->deny(*key, reason));
    } else if (cmd == QLatin1String("remove")) {
        if (auto key = target(false))
            reportResult(m_chair->remove(*key, reason));
    } else if (cmd == QLatin1String("to-lobby")) {
        if (auto key = target(false))
            reportResult(m_chair->sendToLobby(*key, reason));
    } else if (cmd == QLatin1String("mute")) {
        if (auto key = target(false))
            reportResult(m_chair->mute(*key));
    } else if (cmd == QLatin1String("ask-unmute")) {
        if (auto key = target(false))
            reportResult(m_chair->askUnmute(*key, reason));
    } else if (cmd == QLatin1String("stop-video")) {
        if (auto key = target(false))
            reportResult(m_chair->stopVideo(*key));
    } else if (cmd == QLatin1String("allow-share") || cmd == QLatin1String("revoke-share")) {
        if (auto key = target(false))
            reportResult(m_chair->setShare(*key, cmd == QLatin1String("allow-share")));
    } else if (cmd == QLatin1String("co-chair") || cmd == QLatin1String("revoke-co-chair")) {
        if (auto key = target(false))
            reportResult(m_chair->delegate(*key, cmd == QLatin1String("co-chair")));
    } else if (cmd == QLatin1String("lock")) {
        reportResult(m_chair->lock());
    } else if (cmd == QLatin1String("unlock")) {
        reportResult(m_chair->unlock());
    } else if (cmd == QLatin1String("mute-all")) {
        reportResult(m_chair->muteAll());
    } else if (cmd == QLatin1String("chat-on") || cmd == QLatin1String("chat-off")) {
        reportResult(m_chair->setChat(cmd == QLatin1String("chat-on")));
    } else if (cmd == QLatin1String("suspend")) {
        reportResult(m_chair->suspend());
    } else if (cmd == QLatin1String("resume")) {
        reportResult(m_chair->resume());
    } else if (cmd == QLatin1String("chat")) {
        reportResult(m_chair->sendChat(command.value(QStringLiteral("text")).toString()));
    } else if (cmd == QLatin1String("invite")) {
        printInvite(command.value(QStringLiteral("name")).toString());
    } else if (cmd == QLatin1String("marking")) {
        auto marking =
            classification::MarkingParser(m_chair->policy().scheme)
                .parse(command.value(QStringLiteral("marking")).toString().toStdString());
        if (!marking)
            m_out.writeFailure("error", marking.error());
        else
            reportResult(m_chair->changeMarking(marking->marking,
                                                command.value(QStringLiteral("confirm")).toBool()));
    } else if (cmd == QLatin1String("end") || cmd == QLatin1String("quit")) {
        reportResult(m_chair->end());
        finish(kExitOk);
    } else {
        m_out.writeFailure("error", {"usage", "unknown command '" + cmd.toStdString() +
                                                  "' (see docs/cli.md for the list)"});
    }
}

Result<void> HostRunner::startMedia(const media::MediaOptions& options)
{
    auto media = CliMedia::start(options, *m_chair, m_out, m_printer, [this] { flush(); });
    if (!media)
        return media.error();
    m_media = std::move(media).value();
    return {};
}

void HostRunner::adoptMedia(std::unique_ptr<CliMedia> media)
{
    m_media = std::move(media);
    if (m_media)
        m_media->rebind(*m_chair, [this] { flush(); });
}

void HostRunner::flush()
{
    if (m_media && !m_finishing)
        m_media->sync(); // epochs, permissions and signalling first: they may add messages
    for (const QByteArray& frame : m_chair->outgoing())
        m_client->send(frame);
}

void HostRunner::finish(int exitCode)
{
    if (m_finishing)
        return;
    flush();
    m_finishing = true;
    m_ticker.stop();
    if (m_media)
        m_media->printStats(); // the final tally
    // Let the last frames leave before closing.
    QTimer::singleShot(300, this, [this, exitCode] {
        m_client->close();
        emit finished(exitCode);
    });
}

} // namespace conclave::app
