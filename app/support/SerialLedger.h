// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "policy/PolicyVerifier.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>

namespace conclave::storage {
class Database;
class PolicyStateStore;
} // namespace conclave::storage

namespace conclave::app {

/// The anti-rollback record a program consults: the highest policy serial accepted per
/// security authority, kept in a Conclave database (the data directory's, or one named on the
/// command line) and - when its directory exists - in the system-wide ledger file
/// (ConfigLocations::ledgerFile), so a fresh data directory does not start from nothing.
/// Reading takes the higher of the two; recording raises both (the file only when this
/// process may write it: an administrator may keep it read-only).
///
/// With the device identity key (the device's own database, app::DeviceContext) the
/// database's rows are signed and checked on every read (storage::PolicyStateStore); a ledger
/// without a device identity (the hub's DATA/hub-policy.db, conclave-policy --state) is not.
class SerialLedger {
public:
    /// Over `db` (not owned); `systemFile` empty or in a directory that does not exist: none.
    /// `deviceKey` (not owned, may be null) signs and checks the database's rows.
    SerialLedger(storage::Database& db, QString systemFile,
                 const crypto::Ed25519SigningKey* deviceKey = nullptr);
    /// Opens (creating if need be) the database at `databasePath`.
    static Result<std::unique_ptr<SerialLedger>> open(const QString& databasePath,
                                                      QString systemFile = {});
    ~SerialLedger();

    Result<policy::HighestSerials> highestSerials();
    Result<void> recordAccepted(const std::string& authority, uint64_t serial,
                                const std::string& sha256Hex, TimePoint at);

    /// The system-wide file in use, or empty.
    const QString& systemFile() const { return m_systemFile; }

private:
    SerialLedger(std::unique_ptr<storage::Database> owned, QString systemFile);

    std::unique_ptr<storage::Database> m_owned;
    storage::Database& m_db;
    std::unique_ptr<storage::PolicyStateStore> m_store;
    QString m_systemFile;
};

} // namespace conclave::app
