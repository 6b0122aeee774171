// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandParser.h"
#include "ExitCode.h"
#include "PolicyCommands.h"
#include "PolicyJson.h"
#include "PolicyLoader.h"
#include "SerialLedger.h"

namespace conclave::app {

int runVerify(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(QStringLiteral("verify"),
                      QStringLiteral("Verify POLICY and POLICY.sig against the trust anchors in "
                                     "DIR: signature over the exact bytes, validity window, and - "
                                     "with --state - that its serial is not lower than one "
                                     "accepted before (rollback). With --state an accepted "
                                     "policy's serial is recorded."),
                      out);
    cmd.addOption({QStringLiteral("anchors"), QStringLiteral("Directory of trust anchors (*.pub)."),
                   QStringLiteral("DIR")});
    cmd.addOption({QStringLiteral("state"),
                   QStringLiteral("Conclave database holding the highest accepted serial."),
                   QStringLiteral("DB")});
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
    std::optional<uint64_t> highest;
    if (ledger) {
        auto h = ledger->highestSerial();
        if (!h) {
            out.writeFailure("error", h.error());
            return kExitInvalidInput;
        }
        highest = *h;
    }

    const SystemClock clock;
    auto verified =
        PolicyLoader(clock).verifyFiles(cmd.parser().positionalArguments().at(0),
                                        cmd.parser().value(QStringLiteral("anchors")), highest);
    if (!verified) {
        const bool input = policy::PolicyVerifier::isInputError(verified.error()) ||
                           verified.error().code.rfind("file.", 0) == 0;
        out.writeFailure(input ? "error" : "refused", verified.error());
        return input ? kExitInvalidInput : kExitRefusedByPolicy;
    }
    if (ledger) {
        if (auto r = ledger->recordAccepted(verified->document.serial, verified->sha256Hex); !r) {
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
