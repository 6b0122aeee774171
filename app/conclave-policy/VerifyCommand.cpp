// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandParser.h"
#include "ExitCode.h"
#include "PolicyCommands.h"
#include "PolicyJson.h"
#include "PolicyLoader.h"
#include "SerialLedger.h"
#include "storage/PolicyLedgerFile.h"

#include <algorithm>
#include <optional>

namespace conclave::app {

int runVerify(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(QStringLiteral("verify"),
                      QStringLiteral("Verify POLICY and POLICY.sig against the trust anchors in "
                                     "DIR: signature over the exact bytes, validity window, and - "
                                     "with --state - that its serial is not lower than one "
                                     "accepted before (rollback). With --state an accepted "
                                     "policy's serial is recorded; --ledger does the same for "
                                     "the system-wide ledger file."),
                      out);
    cmd.addOption({QStringLiteral("anchors"), QStringLiteral("Directory of trust anchors (*.pub)."),
                   QStringLiteral("DIR")});
    cmd.addOption({QStringLiteral("state"),
                   QStringLiteral("Conclave database holding the highest accepted serial."),
                   QStringLiteral("DB")});
    cmd.addOption({QStringLiteral("ledger"),
                   QStringLiteral("System-wide policy ledger file to check against and raise "
                                  "(e.g. /var/lib/conclave/policy-ledger, run by the "
                                  "administrator when a policy is installed)."),
                   QStringLiteral("FILE")});
    cmd.addPositional(QStringLiteral("POLICY"), QStringLiteral("The policy.json to verify."),
                      QStringLiteral("POLICY"));
    if (auto stop = cmd.parse(args, 1))
        return *stop;
    if (auto stop = cmd.requireOptions({QStringLiteral("anchors")}))
        return *stop;

    std::unique_ptr<SerialLedger> ledger;
    if (cmd.parser().isSet(QStringLiteral("state"))) {
        auto opened = SerialLedger::open(cmd.parser().value(QStringLiteral("state")));
        if (!opened) {
            out.writeFailure("error", opened.error());
            return kExitInvalidInput;
        }
        ledger = std::move(opened).value();
    }
    policy::HighestSerials highest;
    if (ledger) {
        auto h = ledger->highestSerials();
        if (!h) {
            out.writeFailure("error", h.error());
            return kExitInvalidInput;
        }
        highest = *h;
    }
    std::optional<storage::PolicyLedgerFile> ledgerFile;
    if (cmd.parser().isSet(QStringLiteral("ledger"))) {
        ledgerFile.emplace(cmd.parser().value(QStringLiteral("ledger")));
        auto h = ledgerFile->highestSerials();
        if (!h) {
            out.writeFailure("error", h.error());
            return kExitInvalidInput;
        }
        for (const auto& [authority, serial] : *h)
            highest[authority] = std::max(highest[authority], serial);
    }
    const SystemClock clock;
    auto verified =
        PolicyLoader(clock).verifyFiles(cmd.parser().positionalArguments().at(0),
                                        cmd.parser().value(QStringLiteral("anchors")), highest);
    if (!verified) {
        // verifyFiles classifies every failure: the file (2) or the policy refusing (3).
        out.writeFailure(failureEventFor(verified.error()), verified.error());
        return exitCodeFor(verified.error(), kExitRefusedByPolicy);
    }
    if (ledger) {
        if (auto r = ledger->recordAccepted(verified->signerKeyId, verified->document.serial,
                                            verified->sha256Hex, clock.now());
            !r) {
            out.writeFailure("refused", r.error());
            return kExitRefusedByPolicy;
        }
    }
    if (ledgerFile) {
        if (auto r = ledgerFile->recordAccepted(verified->signerKeyId, verified->document.serial,
                                                verified->sha256Hex, clock.now());
            !r) {
            out.writeFailure("refused", r.error());
            return kExitRefusedByPolicy;
        }
    }
    QJsonObject line = verifiedPolicyToJson(*verified);
    line.insert(QStringLiteral("event"), QStringLiteral("verified"));
    out.write(line);
    return kExitOk;
}

} // namespace conclave::app
