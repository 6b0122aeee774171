// SPDX-License-Identifier: GPL-3.0-or-later
#include "ConfigLocations.h"

#include <QDir>
#include <QStandardPaths>

namespace conclave::app {
namespace {

bool hasAnchors(const QString& configDir)
{
    return QDir(configDir + QStringLiteral("/trust-anchors")).exists();
}

} // namespace

ConfigLocations ConfigLocations::resolve(const QString& configDirOverride)
{
    const auto at = [](const QString& dir) {
        ConfigLocations l;
        l.configDir = dir;
        l.anchorsDir = dir + QStringLiteral("/trust-anchors");
        return l;
    };
    std::vector<Error> notices;
    QString root; // "" is the real "/"
    const QString testRoot = qEnvironmentVariable(kTestRootVariable);
    if (!testRoot.isEmpty()) {
        if (hasAnchors(realSystemConfigDir()))
            notices.push_back(
                {"config.test_mode_ignored",
                 std::string(kTestRootVariable) +
                     " is set, but this computer has its organisation's trust anchors in " +
                     realSystemConfigDir().toStdString() +
                     "/trust-anchors; the test setting is ignored and the organisation's policy "
                     "applies. Unset it; it is meant only for test machines."});
        else
            root = QDir(testRoot).absolutePath();
    }
    const QString systemConfig = root + realSystemConfigDir();
    ConfigLocations result;
    if (hasAnchors(systemConfig)) {
        result = at(systemConfig);
        result.managed = true;
        if (!configDirOverride.isEmpty() &&
            QDir(configDirOverride).absolutePath() != QDir(systemConfig).absolutePath())
            notices.push_back(
                {"config.override_ignored",
                 "the configuration directory " + configDirOverride.toStdString() +
                     " was ignored: your organisation installed trust anchors in " +
                     result.anchorsDir.toStdString() + ", so only the policy in " +
                     systemConfig.toStdString() +
                     ", signed by one of those anchors, applies on this computer. A local "
                     "directory cannot add an authority or replace the organisation's policy; "
                     "ask your administrator to install a new policy there."});
    } else if (!configDirOverride.isEmpty()) {
        result = at(QDir(configDirOverride).absolutePath());
    } else {
        result = at(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                    QStringLiteral("/conclave"));
    }
    result.ledgerFile = root + QStringLiteral("/var/lib/conclave/policy-ledger");
    result.notices = std::move(notices);
    return result;
}

} // namespace conclave::app
