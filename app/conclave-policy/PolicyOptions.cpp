// SPDX-License-Identifier: GPL-3.0-or-later
#include "PolicyOptions.h"

#include "ConfigLocations.h"
#include "ExitCode.h"
#include "SerialLedger.h"
#include "policy/BuiltinPolicy.h"
#include "storage/PolicyLedgerFile.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace conclave::app {

void PolicyOptions::addTo(CommandParser& cmd)
{
    cmd.addOption({QStringLiteral("anchors"),
                   QStringLiteral("Directory of trust anchors (*.pub). On a computer with "
                                  "system trust anchors (/etc/conclave/trust-anchors) only that "
                                  "directory is accepted, and it is the default."),
                   QStringLiteral("DIR")});
    cmd.addOption({QStringLiteral("policy"),
                   QStringLiteral("Signed policy.json (with .sig beside it). Without it, the "
                                  "built-in public-business-only policy applies."),
                   QStringLiteral("POLICY")});
    cmd.addOption({QStringLiteral("state"),
                   QStringLiteral("Conclave database holding the highest accepted serial."),
                   QStringLiteral("DB")});
}

std::variant<policy::PolicyDocument, int> PolicyOptions::load(CommandParser& cmd,
                                                              const JsonLineWriter& out) const
{
    const auto& p = cmd.parser();
    if (!p.isSet(QStringLiteral("policy")))
        return policy::publicBusinessOnlyPolicy("no signed policy was given (--policy)");
    // A decision must be the organisation's: where it installed trust anchors, another
    // authority's key cannot stand in for them.
    const ConfigLocations system = ConfigLocations::resolve({});
    for (const Error& notice : system.notices)
        out.writeFailure("warning", notice);
    QString anchors = p.value(QStringLiteral("anchors"));
    if (system.managed && anchors.isEmpty()) {
        anchors = system.anchorsDir;
    } else if (system.managed &&
               QDir(anchors).canonicalPath() != QDir(system.anchorsDir).canonicalPath()) {
        out.writeFailure("refused",
                         {"policy.anchors_not_system",
                          "this computer's trust anchors are installed in " +
                              system.anchorsDir.toStdString() +
                              " by your organisation, so decisions are made only under a policy "
                              "signed by one of them; " +
                              anchors.toStdString() +
                              " was refused. Leave out --anchors, or use 'conclave-policy "
                              "verify' to check a file against another key (it decides nothing)."});
        return kExitRefusedByPolicy;
    } else if (auto stop = cmd.requireOptions({QStringLiteral("anchors")})) {
        return *stop;
    }

    policy::HighestSerials highest;
    if (p.isSet(QStringLiteral("state"))) {
        auto ledger = SerialLedger::open(p.value(QStringLiteral("state")), system.ledgerFile);
        auto h =
            ledger ? (*ledger)->highestSerials() : Result<policy::HighestSerials>(ledger.error());
        if (!h) {
            out.writeFailure("error", h.error());
            return kExitInvalidInput;
        }
        highest = *h;
    } else if (QFileInfo(system.ledgerFile).absoluteDir().exists()) {
        auto h = storage::PolicyLedgerFile(system.ledgerFile).highestSerials();
        if (!h) {
            out.writeFailure("error", h.error());
            return kExitInvalidInput;
        }
        highest = *h;
    }
    const SystemClock clock;
    auto verified =
        PolicyLoader(clock).verifyFiles(p.value(QStringLiteral("policy")), anchors, highest);
    if (!verified) {
        // verifyFiles classifies every failure: the file (2) or the policy refusing (3).
        out.writeFailure(failureEventFor(verified.error()), verified.error());
        return exitCodeFor(verified.error(), kExitRefusedByPolicy);
    }
    return std::move(verified->document);
}

} // namespace conclave::app
