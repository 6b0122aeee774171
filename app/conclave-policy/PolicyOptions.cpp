// SPDX-License-Identifier: GPL-3.0-or-later
#include "PolicyOptions.h"

#include "ExitCode.h"
#include "SerialLedger.h"
#include "policy/BuiltinPolicy.h"

namespace conclave::app {

void PolicyOptions::addTo(CommandParser& cmd)
{
    cmd.addOption({QStringLiteral("anchors"), QStringLiteral("Directory of trust anchors (*.pub)."),
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
    if (auto stop = cmd.requireOptions({QStringLiteral("anchors")}))
        return *stop;

    std::optional<uint64_t> highest;
    if (p.isSet(QStringLiteral("state"))) {
        auto ledger = SerialLedger::open(p.value(QStringLiteral("state")));
        auto h =
            ledger ? (*ledger)->highestSerial() : Result<std::optional<uint64_t>>(ledger.error());
        if (!h) {
            out.writeFailure("error", h.error());
            return kExitInvalidInput;
        }
        highest = *h;
    }
    const SystemClock clock;
    auto verified = PolicyLoader(clock).verifyFiles(p.value(QStringLiteral("policy")),
                                                    p.value(QStringLiteral("anchors")), highest);
    if (!verified) {
        const bool input = policy::PolicyVerifier::isInputError(verified.error()) ||
                           verified.error().code.rfind("file.", 0) == 0;
        out.writeFailure(input ? "error" : "refused", verified.error());
        return input ? kExitInvalidInput : kExitRefusedByPolicy;
    }
    return std::move(verified->document);
}

} // namespace conclave::app
