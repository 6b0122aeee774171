// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "storage/PolicyState.h"

#include <cstdint>
#include <optional>
#include <string>

namespace conclave::storage {

class Database;

/// Remembers the highest policy serial accepted, so an older (lower serial) policy is refused
/// even if it is validly signed. The stored serial only ever goes up; a trigger in the schema
/// enforces the same, so no code path can lower it by mistake.
///
/// Given the device identity key, every row it writes is signed (RowSignature over the row's
/// content, column `signature`) and every row it reads must carry a valid signature: a row
/// edited outside Conclave is reported ("storage.policy_state_unsigned"), never trusted.
/// Without a key (conclave-policy --state, a ledger with no device identity) rows are neither
/// signed nor checked.
class PolicyStateStore {
public:
    explicit PolicyStateStore(Database& db, const crypto::Ed25519SigningKey* deviceKey = nullptr);

    Result<std::optional<uint64_t>> highestSerial();
    Result<std::optional<PolicyState>> current();

    /// Records an accepted policy. Refuses a lower serial ("storage.rollback") and the same
    /// serial with a different hash ("storage.serial_conflict": two documents claiming one
    /// serial). The same serial with the same hash is accepted and changes nothing.
    Result<void> recordAccepted(uint64_t serial, const std::string& policyHashHex, TimePoint at);

    /// Signs the rows written before rows were signed, once: only while the mark that schema
    /// step 3 leaves for them is present, and removes it in the same transaction. Any later
    /// unsigned row is an edit and stays refused. Returns how many rows it signed.
    Result<int> signUnsignedRows();

private:
    Database& m_db;
    const crypto::Ed25519SigningKey* m_key;
};

} // namespace conclave::storage
