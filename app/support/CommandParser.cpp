// SPDX-License-Identifier: GPL-3.0-or-later
#include "CommandParser.h"

#include "ExitCode.h"

#include <cstdio>

namespace conclave::app {

CommandParser::CommandParser(QString commandName, QString description, const JsonLineWriter& out)
    : m_name(std::move(commandName)), m_out(out)
{
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
}

void CommandParser::addPositional(const QString& name, const QString& description,
                                  const QString& syntax)
{
    m_parser.addPositionalArgument(name, description, syntax);
}

std::optional<int> CommandParser::parse(const QStringList& args, qsizetype positionals)
{
    const auto usage = [&](const QString& message) {
        m_out.writeFailure("error", Error{"usage", (m_name + QStringLiteral(": ") + message +
                                                    QStringLiteral(" (see --help)"))
                                                       .toStdString()});
        return std::optional<int>(kExitInvalidInput);
    };
    if (!m_parser.parse(args))
        return usage(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(m_parser.helpText()), stdout);
        return kExitOk;
    }
    if (m_parser.positionalArguments().size() != positionals)
        return usage(QStringLiteral("expected %1 argument(s), got %2")
                         .arg(positionals)
                         .arg(m_parser.positionalArguments().size()));
    return std::nullopt;
}

std::optional<int> CommandParser::requireOptions(const QStringList& names)
{
    for (const QString& name : names)
        if (!m_parser.isSet(name)) {
            m_out.writeFailure("error", Error{"usage", (m_name + QStringLiteral(": --") + name +
                                                        QStringLiteral(" is required (see --help)"))
                                                           .toStdString()});
            return kExitInvalidInput;
        }
    return std::nullopt;
}

} // namespace conclave::app
