// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "JsonLineWriter.h"

#include <QStringList>

namespace conclave::app {

/// The subcommands of conclave-policy (docs/cli.md). Each takes its own argument list
/// (args[0] is "conclave-policy <command>") and returns the process exit code.
int runKeygen(const QStringList& args, const JsonLineWriter& out);
int runSign(const QStringList& args, const JsonLineWriter& out);
int runVerify(const QStringList& args, const JsonLineWriter& out);
int runCheck(const QStringList& args, const JsonLineWriter& out);
int runMarking(const QStringList& args, const JsonLineWriter& out);

} // namespace conclave::app
