// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandParser.h"
#include "ExitCode.h"
#include "PolicyCommands.h"
#include "PolicyJson.h"
#include "PolicyOptions.h"
#include "classification/MarkingParser.h"
#include "policy/ApprovalEngine.h"

#include <QJsonArray>

namespace conclave::app {

int runCheck(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(QStringLiteral("check"),
                      QStringLiteral("Decide whether a meeting with marking M may start on backend "
                                     "ID under the policy. Exit 0 allowed, 3 refused (the reason "
                                     "says why and what would make it allowed), 2 invalid input."),
                      out);
    cmd.addOption({QStringLiteral("backend"), QStringLiteral("Backend id from the policy."),
                   QStringLiteral("ID")});
    cmd.addOption(
        {QStringLiteral("marking"), QStringLiteral("The meeting's marking."), QStringLiteral("M")});
    PolicyOptions policyOptions;
    policyOptions.addTo(cmd);
    if (auto stop = cmd.parse(args, 0))
        return *stop;
    if (auto stop = cmd.requireOptions({QStringLiteral("backend"), QStringLiteral("marking")}))
        return *stop;
    auto loaded = policyOptions.load(cmd, out);
    if (const int* code = std::get_if<int>(&loaded))
        return *code;
    const auto& document = std::get<policy::PolicyDocument>(loaded);

    auto parsed = classification::MarkingParser(document.scheme)
                      .parse(cmd.parser().value(QStringLiteral("marking")).toStdString());
    if (!parsed) {
        out.writeFailure("error", parsed.error());
        return kExitInvalidInput;
    }
    const auto& marking = parsed->marking;
    const std::string backend = cmd.parser().value(QStringLiteral("backend")).toStdString();
    const policy::Decision decision =
        policy::ApprovalEngine(document).decideStart(backend, marking);

    QJsonObject line = decisionToJson(decision);
    line.insert(QStringLiteral("event"), QStringLiteral("decision"));
    line.insert(QStringLiteral("backend"), QString::fromStdString(backend));
    line.insert(QStringLiteral("marking"), QString::fromStdString(marking.canonical));
    line.insert(QStringLiteral("grade"),
                QString::fromStdString(approvalGradeName(document.scheme, marking)));
    line.insert(QStringLiteral("policy"), QString::fromStdString(document.describe()));
    if (decision.allowed)
        line.insert(QStringLiteral("rules"), rulesToJson(document.rulesFor(marking)));
    if (!decision.allowed)
        std::fprintf(stderr, "refused: %s\n", decision.reason.c_str());
    out.write(line);
    return decision.allowed ? kExitOk : kExitRefusedByPolicy;
}

} // namespace conclave::app
