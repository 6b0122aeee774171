// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "storage/PolicyState.h"

#include <cstdint>
#include <optional>
#include <string>

namespace conclave::storage {

class Database;

/// Remembers the highest policy serial accepted, so an older (lower serial) policy is refused
/// even if it is validly signed. The stored serial only ever goes up; a trigger in the schema
/// enforces the same, so no code path can lower it by mistake.
class PolicyStateStore {
public:
    explicit PolicyStateStore(Database& db);

    Result<std::optional<uint64_t>> highestSerial();
    Result<std::optional<PolicyState>> current();

    /// Records an accepted policy. Refuses a lower serial ("storage.rollback") and the same
    /// serial with a different hash ("storage.serial_conflict": two documents claiming one
    /// serial). The same serial with the same hash is accepted and changes nothing.
    Result<void> recordAccepted(uint64_t serial, const std::string& policyHashHex, TimePoint at);

private:
    Database& m_db;
};

} // namespace conclave::storage
