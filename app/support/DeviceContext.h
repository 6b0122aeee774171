// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ConfigLocations.h"
#include "PolicyLoader.h"
#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "storage/ProtectionMode.h"

#include <QString>

#include <memory>

namespace conclave::storage {
class AuditLog;
class Database;
class SealCounter;
} // namespace conclave::storage

namespace conclave::app {

/// This device as the programs see it: its database (DIR/conclave.db), its long-term identity
/// key (unlocked for the life of the process), and its audit log, whose seals are also
/// recorded outside the database (the keyring for a keyring-protected identity, else
/// DIR/conclave.db.seal). Destroying it (every clean exit) seals the audit log.
class DeviceContext {
public:
    enum class KeyProtection { PreferKeyring, KeyFileOnly };

    /// Opens or creates everything under `dataDir`. A new identity is protected by the OS
    /// keyring where one answers (and `protection` allows), else by a 0600 key file beside the
    /// database. An existing identity is unlocked the way it was protected.
    static Result<std::unique_ptr<DeviceContext>> open(const QString& dataDir, const Clock& clock,
                                                       KeyProtection protection);
    ~DeviceContext();

    storage::Database& database() { return *m_db; }
    storage::AuditLog& audit() { return *m_audit; }
    const crypto::Ed25519SigningKey& identity() const { return m_identity; }
    storage::ProtectionMode protectionMode() const { return m_mode; }
    bool identityCreated() const { return m_created; }
    const QString& dataDirectory() const { return m_dataDir; }

    /// The policy in force: verifies the installed policy against the highest serial this
    /// device has accepted, records a newly accepted serial, and audits the outcome.
    EffectivePolicy loadPolicy(const ConfigLocations& locations);

private:
    DeviceContext(std::unique_ptr<storage::Database> db, crypto::Ed25519SigningKey identity,
                  storage::ProtectionMode mode, bool created, const Clock& clock, QString dataDir);

    std::unique_ptr<storage::Database> m_db;
    crypto::Ed25519SigningKey m_identity;
    storage::ProtectionMode m_mode;
    bool m_created;
    const Clock& m_clock;
    QString m_dataDir;
    std::unique_ptr<storage::SealCounter> m_sealCounter;
    std::unique_ptr<storage::AuditLog> m_audit;
};

} // namespace conclave::app
