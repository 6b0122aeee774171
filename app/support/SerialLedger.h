// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace conclave::storage {
class Database;
class PolicyStateStore;
} // namespace conclave::storage

namespace conclave::app {

/// The anti-rollback record of a Conclave database (the highest policy serial accepted),
/// opened from a path on the command line.
class SerialLedger {
public:
    static Result<std::unique_ptr<SerialLedger>> open(const QString& databasePath);
    ~SerialLedger();

    Result<std::optional<uint64_t>> highestSerial();
    Result<void> recordAccepted(uint64_t serial, const std::string& sha256Hex);

private:
    SerialLedger(std::unique_ptr<storage::Database> db);

    std::unique_ptr<storage::Database> m_db;
    std::unique_ptr<storage::PolicyStateStore> m_store;
    SystemClock m_clock;
};

} // namespace conclave::app
