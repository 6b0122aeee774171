// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConfigLocations.h"

#include <QDir>
#include <QStandardPaths>

namespace conclave::app {

ConfigLocations ConfigLocations::resolve(const QString& configDirOverride)
{
    const auto at = [](const QString& dir) {
        return ConfigLocations{dir, dir + QStringLiteral("/trust-anchors")};
    };
    if (!configDirOverride.isEmpty())
        return at(QDir(configDirOverride).absolutePath());
    const ConfigLocations system = at(systemConfigDir());
    if (QDir(system.anchorsDir).exists())
        return system;
    const QString user = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                         QStringLiteral("/conclave");
    return at(user);
}

} // namespace conclave::app
