// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliMeeting.h"

#include "ChairCommandLine.h"
#include "ExitCode.h"
#include "media/MediaMesh.h"

namespace conclave::app {

CliMeeting::CliMeeting(std::unique_ptr<conference::MeetingController> meeting,
                       const classification::Scheme& scheme, const JsonLineWriter& out)
    : m_meeting(std::move(meeting)), m_scheme(scheme), m_out(out)
{
    connect(&m_stdin, &StdinReader::command, this, &CliMeeting::onCommand);
    connect(&m_stdin, &StdinReader::invalidLine, this, [this](const QString& reason) {
        m_out.writeFailure("error", {"usage", reason.toStdString()});
    });
}

CliMeeting::CliMeeting(std::unique_ptr<conference::ChairController> chair, HostOutput output,
                       const classification::Scheme& scheme, const JsonLineWriter& out)
    : CliMeeting(std::unique_ptr<conference::MeetingController>(chair.release()), scheme, out)
{
    m_chair = static_cast<conference::ChairController*>(m_meeting.get());
    m_hostOutput = std::move(output);
    attach();
}

CliMeeting::CliMeeting(std::unique_ptr<conference::ParticipantController> participant,
                       const classification::Scheme& scheme, const JsonLineWriter& out)
    : CliMeeting(std::unique_ptr<conference::MeetingController>(participant.release()), scheme, out)
{
    m_participant = static_cast<conference::ParticipantController*>(m_meeting.get());
    attach();
}

void CliMeeting::attach()
{
    conference::MeetingController* meeting = m_meeting.get();
    connect(meeting, &conference::MeetingController::connected, this, &CliMeeting::onConnected);
    connect(meeting, &conference::MeetingController::eventsOccurred, this, &CliMeeting::print);
    connect(meeting, &conference::MeetingController::connectionFailed, this,
            [this](const Error& error) { m_out.writeFailure("error", error); });
    connect(meeting, &conference::MeetingController::finishing, this, [this] {
        if (m_mediaReport)
            m_mediaReport->printStats(); // the final tally, while the streams still count
    });
    connect(meeting, &conference::MeetingController::finished, this,
            [this] { emit finished(exitCode()); });
}

Result<void> CliMeeting::startMedia(const media::MediaOptions& options)
{
    if (auto started = m_meeting->startMedia(options, {}); !started)
        return started;
    m_mediaReport = std::make_unique<MediaReport>(*m_meeting->mesh(), *m_meeting, m_out);
    return {};
}

void CliMeeting::start()
{
    m_meeting->start();
}

void CliMeeting::onConnected(const QString& pin)
{
    if (m_participant) {
        m_out.write({{QStringLiteral("event"), QStringLiteral("connected")},
                     {QStringLiteral("spki"), pin}});
        return;
    }
    printMeeting();
    for (const QString& name : m_hostOutput.invitees)
        printInvite(name);
    if (m_hostOutput.openLink) {
        if (auto link = m_chair->makeMeetingLink())
            m_out.write({{QStringLiteral("event"), QStringLiteral("link")},
                         {QStringLiteral("link"), *link}});
        else
            m_out.writeFailure("refused", link.error());
    }
}

void CliMeeting::print(const meeting::MeetingEvents& events)
{
    for (const meeting::MeetingEvent& event : events) {
        m_out.write(event.toJson());
        // A co-chair that took over says what meeting it now chairs (docs/cli.md).
        if (event.is<meeting::ev::TookOver>())
            printMeeting();
    }
}

void CliMeeting::printMeeting()
{
    const meeting::ChairSession& chair = m_chair->session();
    const auto& d = chair.descriptor();
    m_out.write({{QStringLiteral("event"), QStringLiteral("meeting")},
                 {QStringLiteral("meeting_id"), QString::fromLatin1(d.meetingId.toHex())},
                 {QStringLiteral("title"), d.title},
                 {QStringLiteral("marking"), d.marking},
                 {QStringLiteral("backend"), d.backendId},
                 {QStringLiteral("hub_pin"), d.hubPin},
                 {QStringLiteral("meeting_code"), chair.meetingCode()},
                 {QStringLiteral("invites_required"), d.options.invitesRequired},
                 {QStringLiteral("chat"), d.options.chat},
                 {QStringLiteral("successor"), chair.isSuccessor()}});
}

void CliMeeting::printInvite(const QString& name)
{
    auto link = m_meeting->makeInvite(name);
    if (!link)
        return m_out.writeFailure("error", link.error());
    m_out.write({{QStringLiteral("event"), QStringLiteral("invite")},
                 {QStringLiteral("name"), name},
                 {QStringLiteral("link"), *link}});
}

void CliMeeting::printStatus()
{
    const meeting::ParticipantSession& s = m_participant->session();
    m_out.write({{QStringLiteral("event"), QStringLiteral("status")},
                 {QStringLiteral("epoch"), qint64(s.keys().currentEpoch())},
                 {QStringLiteral("members"), qint64(s.keys().roster().size())},
                 {QStringLiteral("muted"), s.muted()},
                 {QStringLiteral("chat"), s.chatEnabled()},
                 {QStringLiteral("chair_silent"), s.chairSilent()},
                 {QStringLiteral("co_chair"), s.isCoChair()}});
}

void CliMeeting::report(const Result<void>& done)
{
    if (!done)
        m_out.writeFailure(failureEventFor(done.error()), done.error());
}

void CliMeeting::onCommand(const QJsonObject& command)
{
    const QString name = command.value(QStringLiteral("cmd")).toString();
    if (mediaCommand(name, command))
        return;
    // "quit" ends what this process is in: the meeting for a chair, its place for a member.
    if (name == QLatin1String("quit") && m_chair)
        return report(m_meeting->command({meeting::ChairAction::End}));
    if (auto chairCommand = chairCommandFrom(command, *m_meeting, m_scheme)) {
        if (!*chairCommand)
            return m_out.writeFailure("error", chairCommand->error());
        return report(m_meeting->command(**chairCommand));
    }
    if (name == QLatin1String("chat"))
        return report(m_meeting->sendChat(command.value(QStringLiteral("text")).toString()));
    if (name == QLatin1String("invite") && m_chair)
        return printInvite(command.value(QStringLiteral("name")).toString());
    if (m_participant && participantCommand(name))
        return;
    m_out.writeFailure(
        "error", {"usage", "unknown command '" + name.toStdString() +
                               (m_chair ? "' (see docs/cli.md for the list)"
                                        : "'; a participant can send chat, status and leave (a "
                                          "co-chair also " +
                                              meeting::coChairRequestNames() + " and take-over)")});
}

bool CliMeeting::participantCommand(const QString& name)
{
    if (name == QLatin1String("leave") || name == QLatin1String("quit"))
        m_meeting->leave();
    else if (name == QLatin1String("status"))
        printStatus();
    else if (name == QLatin1String("take-over"))
        takeOver();
    else
        return false;
    return true;
}

bool CliMeeting::mediaCommand(const QString& name, const QJsonObject& command)
{
    const bool on = command.value(QStringLiteral("on")).toBool(true);
    if (name == QLatin1String("audio"))
        report(m_meeting->setMuted(!on));
    else if (name == QLatin1String("video"))
        report(m_meeting->setVideo(on));
    else if (name == QLatin1String("share"))
        report(m_meeting->setSharing(on));
    else if (name == QLatin1String("media-stats") && m_mediaReport)
        m_mediaReport->printStats();
    else
        return false;
    return true;
}

void CliMeeting::takeOver()
{
    auto chair = m_participant->takeOver();
    if (!chair)
        return m_out.writeFailure("error", chair.error());
    // From here this process is the chair, on the connection and with the media the co-chair
    // had; the participant's controller has handed them over and says nothing more.
    m_meeting->disconnect(this);
    m_meeting.release()->deleteLater();
    m_participant = nullptr;
    m_chair = chair->get();
    m_meeting = std::move(chair).value();
    attach();
    if (m_mediaReport)
        m_mediaReport->follow(*m_meeting);
    m_meeting->start(); // took_over, meeting, roster, epoch; the takeover goes out
}

int CliMeeting::exitCode() const
{
    using conference::Ending;
    const auto& why = m_meeting->endError();
    switch (m_meeting->ending()) {
    case Ending::Ended:
    case Ending::Left:
        return kExitOk;
    case Ending::Denied:
    case Ending::Removed:
    case Ending::Replaced:
        return kExitDeniedOrRemoved;
    case Ending::Refused:
        // Unclassified: the hub turned away a chair's meeting, or a member's knock.
        return why ? exitCodeFor(*why, m_chair ? kExitConnectionOrIdentity : kExitDeniedOrRemoved)
                   : kExitDeniedOrRemoved;
    case Ending::ConnectionFailed:
    case Ending::Running:
        break;
    }
    return kExitConnectionOrIdentity;
}

} // namespace conclave::app
