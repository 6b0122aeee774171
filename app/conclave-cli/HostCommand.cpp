// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"
#include "CliMeeting.h"
#include "CliSetup.h"
#include "ExitCode.h"
#include "MediaOptionsCli.h"
#include "classification/MarkingParser.h"
#include "conference/EmbeddedHost.h"
#include "conference/MeetingAudit.h"
#include "conference/StoredContactBook.h"

namespace conclave::app {
namespace {

std::optional<std::pair<QHostAddress, quint16>> parseListen(const QString& text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    QHostAddress address(text.left(colon));
    if (!ok || port > 65535 || address.isNull())
        return std::nullopt;
    return std::make_pair(address, quint16(port));
}

} // namespace

int runHost(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(
        QStringLiteral("host"),
        QStringLiteral("Run a meeting as its chair. By default the meeting is hosted on "
                       "this computer (an embedded hub on --listen); with --hub and "
                       "--pin it runs on a standalone hub. Commands arrive on stdin "
                       "as JSON lines; events leave on stdout."),
        out);
    addDeviceOptions(cmd);
    addMediaOptions(cmd);
    cmd.addOption({QStringLiteral("title"), QStringLiteral("Meeting title."), QStringLiteral("T")});
    cmd.addOption({QStringLiteral("marking"),
                   QStringLiteral("Classification marking; required, there is no default."),
                   QStringLiteral("M")});
    cmd.addOption({QStringLiteral("backend"),
                   QStringLiteral("Backend id from the policy (default this-computer)."),
                   QStringLiteral("ID"), QStringLiteral("this-computer")});
    cmd.addOption({QStringLiteral("listen"),
                   QStringLiteral("Embedded hub address (default 127.0.0.1:0, any free port)."),
                   QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:0")});
    cmd.addOption({QStringLiteral("hub"), QStringLiteral("Standalone hub URL (wss://...)."),
                   QStringLiteral("URL")});
    cmd.addOption({QStringLiteral("pin"), QStringLiteral("The standalone hub's SPKI pin."),
                   QStringLiteral("PIN")});
    cmd.addOption({QStringLiteral("invite"),
                   QStringLiteral("Make a per-person invite (repeatable)."),
                   QStringLiteral("NAME")});
    cmd.addOption({QStringLiteral("open-link"),
                   QStringLiteral("Also print a link for uninvited knocking (where allowed).")});
    cmd.addOption(
        {QStringLiteral("chat"), QStringLiteral("Start with chat on (where policy allows).")});
    cmd.addOption({QStringLiteral("name"), QStringLiteral("The chair's display name."),
                   QStringLiteral("NAME"), QStringLiteral("Chair")});
    if (auto stop = cmd.parse(args, 0))
        return *stop;
    if (auto stop = cmd.requireOptions({QStringLiteral("title"), QStringLiteral("marking")}))
        return *stop;
    const auto& p = cmd.parser();
    if (p.isSet(QStringLiteral("hub")) != p.isSet(QStringLiteral("pin"))) {
        out.writeFailure("error", {"usage", "--hub and --pin go together"});
        return kExitInvalidInput;
    }

    const SystemClock clock;
    auto opened = openDevice(cmd, clock, out);
    if (const int* code = std::get_if<int>(&opened))
        return *code;
    auto& device = *std::get<std::unique_ptr<DeviceContext>>(opened);
    const EffectivePolicy effective = device.loadPolicy(configLocations(cmd));
    for (const Error& notice : effective.notices)
        out.writeFailure("warning", notice);
    if (effective.problem)
        out.writeFailure("warning", *effective.problem);

    auto marking = classification::MarkingParser(effective.document.scheme)
                       .parse(p.value(QStringLiteral("marking")).toStdString());
    if (!marking) {
        out.writeFailure("error", marking.error());
        return kExitInvalidInput;
    }

    meeting::ChairSetup setup;
    setup.title = p.value(QStringLiteral("title"));
    setup.marking = marking->marking;
    setup.backendId = p.value(QStringLiteral("backend"));
    setup.chairName = p.value(QStringLiteral("name"));
    setup.options.chat = p.isSet(QStringLiteral("chat"));
    setup.options.openKnocking = p.isSet(QStringLiteral("open-link"));
    setup.options.invitesRequired = !p.isSet(QStringLiteral("open-link"));
    std::unique_ptr<hub::HubServer> embeddedHub; // none with --hub: the meeting is on that hub
    if (!p.isSet(QStringLiteral("hub"))) {
        const auto listen = parseListen(p.value(QStringLiteral("listen")));
        if (!listen) {
            out.writeFailure("error", {"usage", "--listen must be HOST:PORT, e.g. 127.0.0.1:0"});
            return kExitInvalidInput;
        }
        auto started =
            conference::EmbeddedHost::start(device.dataDirectory(), listen->first, listen->second,
                                            clock, device.identity().publicKey());
        if (!started) {
            out.writeFailure("error", started.error());
            return kExitConnectionOrIdentity;
        }
        embeddedHub = std::move(started).value();
        out.write({{QStringLiteral("event"), QStringLiteral("listening")},
                   {QStringLiteral("url"), embeddedHub->url().toString()},
                   {QStringLiteral("spki"), embeddedHub->spkiPin()}});
    } else {
        setup.hubUrl = p.value(QStringLiteral("hub"));
        setup.hubPin = p.value(QStringLiteral("pin"));
    }
    auto chair = embeddedHub
                     ? conference::EmbeddedHost::hostMeeting(std::move(embeddedHub),
                                                             device.identity(), effective.document,
                                                             clock, setup, &device.audit())
                     : conference::ChairController::onHub(device.identity(), effective.document,
                                                          clock, setup, &device.audit());
    if (!chair) {
        const Error& why = chair.error();
        if (!why.isPolicyRefusal()) { // e.g. the title or the name
            out.writeFailure(failureEventFor(why), why);
            return exitCodeFor(why, kExitInvalidInput);
        }
        // A refused meeting is part of the record, like one that ran.
        const auto refusal = conference::refusalEvent(why);
        out.write(refusal.toJson());
        if (auto written = conference::auditEvent(
                device.audit(), QString::fromStdString(marking->marking.canonical), refusal);
            !written)
            out.writeFailure("warning", written.error());
        return exitCodeFor(why);
    }

    conference::StoredContactBook contacts(device.database(), clock);
    (*chair)->setContactBook(&contacts);
    auto mediaOptions = mediaOptionsFrom(cmd);
    if (!mediaOptions) {
        out.writeFailure("error", mediaOptions.error());
        return kExitInvalidInput;
    }
    CliMeeting meeting(std::move(chair).value(),
                       {p.values(QStringLiteral("invite")), p.isSet(QStringLiteral("open-link"))},
                       effective.document.scheme, out);
    if (*mediaOptions)
        if (auto started = meeting.startMedia(**mediaOptions); !started) {
            out.writeFailure("error", started.error());
            return kExitConnectionOrIdentity;
        }
    return runToCompletion(meeting);
}

} // namespace conclave::app
