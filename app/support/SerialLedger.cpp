// SPDX-License-Identifier: GPL-3.0-or-later
#include "SerialLedger.h"

#include "storage/Database.h"
#include "storage/PolicyLedgerFile.h"
#include "storage/PolicyStateStore.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace conclave::app {
namespace {

QString inUse(const QString& systemFile)
{
    if (systemFile.isEmpty() || !QFileInfo(systemFile).absoluteDir().exists())
        return {};
    return systemFile;
}

} // namespace

SerialLedger::SerialLedger(storage::Database& db, QString systemFile,
                           const crypto::Ed25519SigningKey* deviceKey)
    : m_db(db), m_store(std::make_unique<storage::PolicyStateStore>(m_db, deviceKey)),
      m_systemFile(inUse(systemFile))
{
}

SerialLedger::SerialLedger(std::unique_ptr<storage::Database> owned, QString systemFile)
    : m_owned(std::move(owned)), m_db(*m_owned),
      m_store(std::make_unique<storage::PolicyStateStore>(m_db)), m_systemFile(inUse(systemFile))
{
}

SerialLedger::~SerialLedger() = default;

Result<std::unique_ptr<SerialLedger>> SerialLedger::open(const QString& databasePath,
                                                         QString systemFile)
{
    auto db = storage::Database::open(databasePath.toStdString());
    if (!db)
        return db.error();
    return std::unique_ptr<SerialLedger>(
        new SerialLedger(std::move(db).value(), std::move(systemFile)));
}

Result<policy::HighestSerials> SerialLedger::highestSerials()
{
    auto local = m_store->highestSerials();
    if (!local)
        return local.error();
    policy::HighestSerials result = std::move(local).value();
    if (m_systemFile.isEmpty())
        return result;
    auto system = storage::PolicyLedgerFile(m_systemFile).highestSerials();
    if (!system)
        return system.error();
    for (const auto& [authority, serial] : *system)
        result[authority] = std::max(result[authority], serial);
    return result;
}

Result<void> SerialLedger::recordAccepted(const std::string& authority, uint64_t serial,
                                          const std::string& sha256Hex, TimePoint at)
{
    if (auto r = m_store->recordAccepted(authority, serial, sha256Hex, at); !r)
        return r.error();
    if (m_systemFile.isEmpty())
        return {};
    const storage::PolicyLedgerFile file(m_systemFile);
    if (!file.writable())
        return {}; // kept by the administrator; read above, enforced, not ours to change
    return file.recordAccepted(authority, serial, sha256Hex, at);
}

} // namespace conclave::app
