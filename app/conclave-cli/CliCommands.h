// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "JsonLineWriter.h"

#include <QStringList>

namespace conclave::app {

/// The subcommands of conclave-cli (docs/cli.md); each returns the process exit code.
int runHost(const QStringList& args, const JsonLineWriter& out);
int runJoin(const QStringList& args, const JsonLineWriter& out);
int runAudit(const QStringList& args, const JsonLineWriter& out);
int runDevices(const QStringList& args, const JsonLineWriter& out);

} // namespace conclave::app
