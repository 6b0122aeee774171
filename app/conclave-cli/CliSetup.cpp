// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliSetup.h"

#include "ExitCode.h"

#include <QStandardPaths>

namespace conclave::app {

void addDeviceOptions(CommandParser& cmd)
{
    cmd.addOption({QStringLiteral("data"),
                   QStringLiteral("Database and key directory (default: your data directory)."),
                   QStringLiteral("DIR")});
    cmd.addOption({QStringLiteral("config"),
                   QStringLiteral("Policy and trust-anchor directory (default /etc/conclave)."),
                   QStringLiteral("DIR")});
}

std::variant<std::unique_ptr<DeviceContext>, int> openDevice(CommandParser& cmd, const Clock& clock,
                                                             const JsonLineWriter& out)
{
    const QString dataDir = cmd.parser().isSet(QStringLiteral("data"))
                                ? cmd.parser().value(QStringLiteral("data"))
                                : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    auto device = DeviceContext::open(dataDir, clock, DeviceContext::KeyProtection::KeyFileOnly);
    if (!device) {
        out.writeFailure("error", device.error());
        return kExitConnectionOrIdentity;
    }
    return std::move(device).value();
}

ConfigLocations configLocations(CommandParser& cmd)
{
    return ConfigLocations::resolve(cmd.parser().value(QStringLiteral("config")));
}

} // namespace conclave::app
