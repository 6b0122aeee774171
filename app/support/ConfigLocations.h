// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace conclave::app {

/// Where the policy and trust anchors are read from.
///   system: /etc/conclave/{policy.json, policy.json.sig, trust-anchors/}
///   user:   $XDG_CONFIG_HOME/conclave/... - used only when the system has no trust-anchor
///           directory, so a user can never add an anchor beside the organisation's.
/// Tests and demos pass a directory of their own (--config DIR).
struct ConfigLocations {
    QString configDir;
    QString anchorsDir;

    QString policyFile() const { return configDir + QStringLiteral("/policy.json"); }
    QString signatureFile() const { return policyFile() + QStringLiteral(".sig"); }

    static ConfigLocations resolve(const QString& configDirOverride);
    static QString systemConfigDir() { return QStringLiteral("/etc/conclave"); }
};

} // namespace conclave::app
