// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"

#include <QString>

#include <vector>

namespace conclave::app {

/// Where the policy, the trust anchors and the system-wide anti-rollback ledger are.
///   system: /etc/conclave/{policy.json, policy.json.sig, trust-anchors/}, and the ledger
///           /var/lib/conclave/policy-ledger (used when /var/lib/conclave exists);
///   user:   $XDG_CONFIG_HOME/conclave/... or --config DIR.
/// When the system trust-anchor directory exists the computer is *managed*: only the system
/// policy and anchors count, and --config and the user directory are ignored (reported in
/// `notices`), so a local directory can never add an authority beside the organisation's.
/// Test mode: CONCLAVE_TEST_SYSTEM_ROOT=DIR makes DIR/etc/conclave and DIR/var/lib/conclave
/// stand in for the system locations - honoured only on a computer whose real
/// /etc/conclave/trust-anchors does not exist, so it can never displace an organisation's
/// anchors (it is ignored and reported there).
struct ConfigLocations {
    QString configDir;
    QString anchorsDir;
    QString ledgerFile; ///< the system-wide ledger; in use when its directory exists
    bool managed = false;
    std::vector<Error> notices; ///< settings that were ignored; programs print them as warnings

    QString policyFile() const { return configDir + QStringLiteral("/policy.json"); }
    QString signatureFile() const { return policyFile() + QStringLiteral(".sig"); }

    static ConfigLocations resolve(const QString& configDirOverride);

    static constexpr const char* kTestRootVariable = "CONCLAVE_TEST_SYSTEM_ROOT";
    static QString realSystemConfigDir() { return QStringLiteral("/etc/conclave"); }
};

} // namespace conclave::app
