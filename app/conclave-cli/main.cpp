// SPDX-License-Identifier: GPL-3.0-or-later
// conclave-cli: headless chair and participant, for automation and tests.
#include "CliCommands.h"
#include "ExitCode.h"
#include "JsonLineWriter.h"
#include "ProcessHardening.h"
#include "ShutdownSignals.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

constexpr const char* kUsage =
    "Usage: conclave-cli COMMAND [OPTIONS]\n"
    "\n"
    "  host --title T --marking M [--backend ID] [--listen HOST:PORT | --hub URL --pin PIN]\n"
    "       [--invite NAME]... [--open-link] [--chat] [--data DIR] [--config DIR]\n"
    "       [--media off|test|devices [--camera ID] [--microphone ID] [--media-address A]]\n"
    "                         run a meeting as its chair (commands on stdin as JSON lines)\n"
    "  join LINK [--name N] [--data DIR] [--config DIR] [--media ...]\n"
    "                         join with an invite or meeting link\n"
    "  devices                list cameras and microphones\n"
    "  audit verify [--data DIR]\n"
    "                         check this device's audit log\n"
    "\n"
    "Events are JSON lines on stdout. Exit codes: 0 ok, 2 invalid input, 3 refused by\n"
    "policy, 4 connection or identity failure, 5 denied or removed. See docs/cli.md.\n";

} // namespace

int main(int argc, char* argv[])
{
    if (auto hardened = conclave::app::hardenProcess();
        !hardened) { // before anything secret is loaded
        conclave::app::JsonLineWriter().writeFailure("error", hardened.error());
        return conclave::app::kExitFailed;
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("conclave"));
    using namespace conclave::app;
    // SIGTERM/SIGINT end a running host or join through its event loop, so the stack unwinds
    // and the device seals its audit log on the way out (a killed process would leave this
    // run's entries unsealed). Exit code 128 + signal, as a shell reports one.
    const ShutdownSignals shutdown([](int signo) { QCoreApplication::exit(128 + signo); });
    const JsonLineWriter out;
    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help")) {
        std::fputs(kUsage, args.size() < 2 ? stderr : stdout);
        return args.size() < 2 ? kExitInvalidInput : kExitOk;
    }
    const QString command = args.takeAt(1);
    args[0] = QStringLiteral("conclave-cli ") + command;
    if (command == QLatin1String("host"))
        return runHost(args, out);
    if (command == QLatin1String("join"))
        return runJoin(args, out);
    if (command == QLatin1String("audit"))
        return runAudit(args, out);
    if (command == QLatin1String("devices"))
        return runDevices(args, out);
    out.writeFailure("error", {"usage", "unknown command '" + command.toStdString() +
                                            "'; use host, join, audit or devices"});
    return kExitInvalidInput;
}
