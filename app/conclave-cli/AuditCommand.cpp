// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliCommands.h"
#include "CliSetup.h"
#include "ExitCode.h"
#include "storage/AuditLog.h"

#include <QJsonArray>

namespace conclave::app {

int runAudit(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(
        QStringLiteral("audit"),
        QStringLiteral("audit verify: recompute this device's hash-chained audit log "
                       "and check every seal signature and the seal record kept outside the "
                       "database; names the "
                       "first broken entry and any events that could not be recorded."),
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
                     {QStringLiteral("complete"), result->complete()},
                     {QStringLiteral("entries"), qint64(result->entries)},
                     {QStringLiteral("seals"), qint64(result->seals)},
                     {QStringLiteral("last_seal"), qint64(result->lastSeal)},
                     {QStringLiteral("unrecorded_events"), qint64(result->unrecordedEvents)},
                     {QStringLiteral("reason"), QString::fromStdString(result->reason)}};
    if (result->firstBrokenEntry)
        line.insert(QStringLiteral("first_broken_entry"), qint64(*result->firstBrokenEntry));
    if (result->recordedSeal)
        line.insert(QStringLiteral("recorded_seal"), qint64(*result->recordedSeal));
    if (!result->recordLocation.empty())
        line.insert(QStringLiteral("seal_record"), QString::fromStdString(result->recordLocation));
    QJsonArray gaps;
    for (const storage::AuditGap& gap : result->gaps)
        gaps.append(QJsonObject{{QStringLiteral("entry"), qint64(gap.entry)},
                                {QStringLiteral("events"), qint64(gap.events)},
                                {QStringLiteral("from"), QString::fromStdString(gap.from)},
                                {QStringLiteral("to"), QString::fromStdString(gap.to)}});
    line.insert(QStringLiteral("gaps"), gaps);
    out.write(line);
    // Tampering (3) outranks missing events (1): a script that only checks for 0 stops at both.
    if (!result->intact)
        return kExitRefusedByPolicy;
    return result->gaps.empty() ? kExitOk : kExitFailed;
}

} // namespace conclave::app
