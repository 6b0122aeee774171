// SPDX-License-Identifier: GPL-3.0-or-later
// conclave-policy: the security authority's tool for keys, signed policies and checks.
#include "ExitCode.h"
#include "JsonLineWriter.h"
#include "PolicyCommands.h"
#include "ProcessHardening.h"

#include <QCoreApplication>

#include <cstdio>
#include <map>

namespace {

constexpr const char* kUsage =
    "Usage: conclave-policy COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  keygen --out PREFIX                       make an authority key pair PREFIX.key/.pub\n"
    "  sign --key PREFIX.key POLICY              write POLICY.sig over the exact file bytes\n"
    "  verify --anchors DIR [--state DB] POLICY  check signature, validity and serial\n"
    "  check --backend ID --marking M [--anchors DIR --policy POLICY] [--state DB]\n"
    "                                            may a meeting with marking M start on ID?\n"
    "  marking [--anchors DIR --policy POLICY] \"MARKING\"\n"
    "                                            validate and canonicalise one marking\n"
    "\n"
    "Output is one JSON object per line. Exit codes: 0 ok, 2 invalid input,\n"
    "3 refused by policy. 'conclave-policy COMMAND --help' describes each command.\n";

} // namespace

int main(int argc, char* argv[])
{
    if (auto hardened = conclave::app::hardenProcess();
        !hardened) { // before anything secret is loaded
        conclave::app::JsonLineWriter().writeFailure("error", hardened.error());
        return conclave::app::kExitFailed;
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("conclave-policy"));
    using namespace conclave::app;
    const JsonLineWriter out;

    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == QLatin1String("--help") || args[1] == QLatin1String("-h")) {
        std::fputs(kUsage, args.size() < 2 ? stderr : stdout);
        return args.size() < 2 ? kExitInvalidInput : kExitOk;
    }
    const std::map<QString, int (*)(const QStringList&, const JsonLineWriter&)> commands{
        {QStringLiteral("keygen"), runKeygen},
        {QStringLiteral("sign"), runSign},
        {QStringLiteral("verify"), runVerify},
        {QStringLiteral("check"), runCheck},
        {QStringLiteral("marking"), runMarking}};
    const QString command = args[1];
    const auto it = commands.find(command);
    if (it == commands.end()) {
        out.writeFailure("error", {"usage", "unknown command '" + command.toStdString() +
                                                "'; use keygen, sign, verify, check or marking"});
        return kExitInvalidInput;
    }
    args.removeAt(1);
    args[0] = QStringLiteral("conclave-policy ") + command;
    return it->second(args, out);
}
