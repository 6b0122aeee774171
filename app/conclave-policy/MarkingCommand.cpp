// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandParser.h"
#include "ExitCode.h"
#include "PolicyCommands.h"
#include "PolicyOptions.h"
#include "classification/MarkingParser.h"

#include <QJsonArray>

namespace conclave::app {

int runMarking(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(QStringLiteral("marking"),
                      QStringLiteral("Validate and canonicalise one classification marking. Prints "
                                     "the canonical form and every correction made; exit 2 with "
                                     "the reason when it is not a valid marking. The scheme is the "
                                     "policy's when --policy is given, else the UK scheme."),
                      out);
    PolicyOptions policyOptions;
    policyOptions.addTo(cmd);
    cmd.addPositional(QStringLiteral("MARKING"), QStringLiteral("The marking text (quote it)."),
                      QStringLiteral("\"MARKING\""));
    if (auto stop = cmd.parse(args, 1))
        return *stop;
    auto loaded = policyOptions.load(cmd, out);
    if (const int* code = std::get_if<int>(&loaded))
        return *code;
    const auto& scheme = std::get<policy::PolicyDocument>(loaded).scheme;

    const QString input = cmd.parser().positionalArguments().at(0);
    auto parsed = classification::MarkingParser(scheme).parse(input.toStdString());
    if (!parsed) {
        out.writeFailure("invalid", parsed.error());
        return kExitInvalidInput;
    }
    QJsonArray corrections;
    for (const auto& c : parsed->corrections)
        corrections.append(QString::fromStdString(c));
    const auto& m = parsed->marking;
    out.write({{QStringLiteral("event"), QStringLiteral("marking")},
               {QStringLiteral("input"), input},
               {QStringLiteral("canonical"), QString::fromStdString(m.canonical)},
               {QStringLiteral("grade"), QString::fromStdString(approvalGradeName(scheme, m))},
               {QStringLiteral("scheme"), QString::fromStdString(scheme.id)},
               {QStringLiteral("corrections"), corrections}});
    return kExitOk;
}

} // namespace conclave::app
