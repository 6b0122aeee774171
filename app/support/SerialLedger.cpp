// SPDX-License-Identifier: GPL-3.0-or-later
#include "SerialLedger.h"

#include "storage/Database.h"
#include "storage/PolicyStateStore.h"

namespace conclave::app {

SerialLedger::SerialLedger(std::unique_ptr<storage::Database> db)
    : m_db(std::move(db)), m_store(std::make_unique<storage::PolicyStateStore>(*m_db))
{
}

SerialLedger::~SerialLedger() = default;

Result<std::unique_ptr<SerialLedger>> SerialLedger::open(const QString& databasePath)
{
    auto db = storage::Database::open(databasePath.toStdString());
    if (!db)
        return db.error();
    return std::unique_ptr<SerialLedger>(new SerialLedger(std::move(db).value()));
}

Result<std::optional<uint64_t>> SerialLedger::highestSerial()
{
    return m_store->highestSerial();
}

Result<void> SerialLedger::recordAccepted(uint64_t serial, const std::string& sha256Hex)
{
    return m_store->recordAccepted(serial, sha256Hex, m_clock.now());
}

} // namespace conclave::app
