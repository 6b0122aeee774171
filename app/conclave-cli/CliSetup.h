// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CommandParser.h"
#include "DeviceContext.h"
#include "common/Clock.h"

#include <QCoreApplication>

#include <memory>
#include <variant>

namespace conclave::app {

/// Options every conclave-cli command shares (--data, --config) and opening the device with
/// them. Headless programs protect a new identity with a 0600 key file (no keyring prompt).
void addDeviceOptions(CommandParser& cmd);
std::variant<std::unique_ptr<DeviceContext>, int> openDevice(CommandParser& cmd, const Clock& clock,
                                                             const JsonLineWriter& out);
ConfigLocations configLocations(CommandParser& cmd);

/// Starts a runner (HostRunner, JoinRunner) and runs the event loop until it reports the
/// process exit code through its finished(int) signal.
template <typename Runner>
int runToCompletion(Runner& runner)
{
    int exitCode = 0;
    QObject::connect(&runner, &Runner::finished, [&exitCode](int code) {
        exitCode = code;
        QCoreApplication::quit();
    });
    runner.start();
    // A non-zero loop result is a signal's (main.cpp): 128 + its number.
    const int loopResult = QCoreApplication::exec();
    return loopResult != 0 ? loopResult : exitCode;
}

} // namespace conclave::app
