// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "JsonLineWriter.h"

#include <QCommandLineParser>
#include <QStringList>

#include <optional>

namespace conclave::app {

/// QCommandLineParser with the conventions of docs/cli.md: "--help" prints help and exits 0;
/// a usage error is one JSON line {"event":"error","code":"usage",...} and exit code 2
/// (QCommandLineParser::process() would exit 1 instead).
class CommandParser {
public:
    CommandParser(QString commandName, QString description, const JsonLineWriter& out);

    QCommandLineParser& parser() { return m_parser; }
    void addPositional(const QString& name, const QString& description, const QString& syntax);
    void addOption(const QCommandLineOption& option) { m_parser.addOption(option); }

    /// Parses `args` (args[0] is the program). Returns the exit code to stop with, or nullopt
    /// to continue. `positionals` is the exact number of positional arguments required.
    std::optional<int> parse(const QStringList& args, qsizetype positionals);
    /// Fails the parse when a required option is absent.
    std::optional<int> requireOptions(const QStringList& names);

private:
    QString m_name;
    QCommandLineParser m_parser;
    const JsonLineWriter& m_out;
};

} // namespace conclave::app
