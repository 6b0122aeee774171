// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"
#include "CliSetup.h"
#include "EventPrinter.h"
#include "ExitCode.h"
#include "HostRunner.h"
#include "StdinReader.h"
#include "classification/MarkingParser.h"
#include "conference/StoredContactBook.h"
#include "tls/TlsIdentity.h"

#include <QCoreApplication>
#include <QDir>

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
    CliMedia::addOptions(cmd);
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

    std::unique_ptr<hub::HubServer> embedded;
    QString hubUrl = p.value(QStringLiteral("hub"));
    QString hubPin = p.value(QStringLiteral("pin"));
    if (hubUrl.isEmpty()) {
        const auto listen = parseListen(p.value(QStringLiteral("listen")));
        if (!listen) {
            out.writeFailure("error", {"usage", "--listen must be HOST:PORT, e.g. 127.0.0.1:0"});
            return kExitInvalidInput;
        }
        auto identity = tls::TlsIdentity::loadOrCreate(
            QDir(device.dataDirectory()).filePath(QStringLiteral("hub")),
            QStringLiteral("conclave-embedded-hub"));
        if (!identity) {
            out.writeFailure("error", identity.error());
            return kExitConnectionOrIdentity;
        }
        hub::HubLimits limits;
        limits.allowedChairs.add(device.identity().publicKey()); // the hub hosts its own chair
        embedded =
            std::make_unique<hub::HubServer>(std::move(identity).value(), std::move(limits), clock);
        if (auto listening = embedded->listen(listen->first, listen->second); !listening) {
            out.writeFailure("error", listening.error());
            return kExitConnectionOrIdentity;
        }
        hubUrl = embedded->url().toString();
        hubPin = embedded->spkiPin();
        out.write({{QStringLiteral("event"), QStringLiteral("listening")},
                   {QStringLiteral("url"), hubUrl},
                   {QStringLiteral("spki"), hubPin}});
    }

    meeting::ChairSetup setup;
    setup.title = p.value(QStringLiteral("title"));
    setup.marking = marking->marking;
    setup.backendId = p.value(QStringLiteral("backend"));
    setup.hubUrl = hubUrl;
    setup.hubPin = hubPin;
    setup.hostedHere = embedded != nullptr; // with --hub the meeting is on that hub instead
    setup.chairName = p.value(QStringLiteral("name"));
    setup.options.chat = p.isSet(QStringLiteral("chat"));
    setup.options.openKnocking = p.isSet(QStringLiteral("open-link"));
    setup.options.invitesRequired = !p.isSet(QStringLiteral("open-link"));
    EventPrinter printer(out, device.audit());
    auto chair = meeting::ChairSession::create(device.identity(), effective.document, clock, setup);
    if (!chair) {
        printer.setMarking(QString::fromStdString(marking->marking.canonical));
        printer.print(meeting::ev::Refused{QString::fromStdString(chair.error().code),
                                           QString::fromStdString(chair.error().message)});
        return chair.error().code.rfind("policy.", 0) == 0 ? kExitRefusedByPolicy
                                                           : kExitInvalidInput;
    }

    conference::StoredContactBook contacts(device.database(), clock);
    (*chair)->setContactBook(&contacts);
    auto mediaOptions = CliMedia::optionsFrom(cmd);
    if (!mediaOptions) {
        out.writeFailure("error", mediaOptions.error());
        return kExitInvalidInput;
    }
    StdinReader commands;
    HostRunner runner(std::move(chair).value(), std::make_unique<client::HubClient>(hubUrl, hubPin),
                      std::move(embedded), out, printer, p.values(QStringLiteral("invite")),
                      p.isSet(QStringLiteral("open-link")), &commands);
    if (*mediaOptions)
        if (auto started = runner.startMedia(**mediaOptions); !started) {
            out.writeFailure("error", started.error());
            return kExitConnectionOrIdentity;
        }
    return runToCompletion(runner);
}

} // namespace conclave::app
