// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"
#include "CliSetup.h"
#include "ExitCode.h"
#include "storage/AuditLog.h"

namespace conclave::app {

int runAudit(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(
        QStringLiteral("audit"),
        QStringLiteral("audit verify: recompute this device's hash-chained audit log "
                       "and check every seal signature; names the first broken entry."),
        out);
    addDeviceOptions(cmd);
    cmd.addPositional(QStringLiteral("verify"), QStringLiteral("The only action."),
                      QStringLiteral("verify"));
    if (auto stop = cmd.parse(args, 1))
        return *stop;
    if (cmd.parser().positionalArguments().at(0) != QLatin1String("verify")) {
        out.writeFailure("error", {"usage", "the audit command has one action: verify"});
        return kExitInvalidInput;
    }
    const SystemClock clock;
    auto opened = openDevice(cmd, clock, out);
    if (const int* code = std::get_if<int>(&opened))
        return *code;
    auto& device = *std::get<std::unique_ptr<DeviceContext>>(opened);
    auto result = device.audit().verify(device.identity().publicKey());
    if (!result) {
        out.writeFailure("error", result.error());
        return kExitConnectionOrIdentity;
    }
    QJsonObject line{{QStringLiteral("event"), QStringLiteral("audit")},
                     {QStringLiteral("intact"), result->intact},
                     {QStringLiteral("entries"), qint64(result->entries)},
                     {QStringLiteral("seals"), qint64(result->seals)},
                     {QStringLiteral("reason"), QString::fromStdString(result->reason)}};
    if (result->firstBrokenEntry)
        line.insert(QStringLiteral("first_broken_entry"), qint64(*result->firstBrokenEntry));
    out.write(line);
    return result->intact ? kExitOk : kExitRefusedByPolicy;
}

} // namespace conclave::app
