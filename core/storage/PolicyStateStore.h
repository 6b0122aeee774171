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

/// Remembers, per security authority (the key id of the trust anchor that signed), the highest
/// policy serial accepted, so an older (lower serial) policy of that authority is refused even
/// if it is validly signed. Serials of different authorities never meet: a self-made
/// authority's serial 2^62 says nothing about the organisation's serial 7. A stored serial only
/// ever goes up; triggers in the schema enforce the same, so no code path can lower it.
///
/// Given the device identity key, every row it writes is signed (RowSignature over the row's
/// authority, serial, hash and time; column `signature`) and every row it reads must carry a
/// valid signature: a row edited outside Conclave, stripped of its signature or copied from
/// another device is reported ("storage.policy_state_unsigned"), never trusted - and as the
/// whole record is then in doubt, no serial is returned at all. Without a key (the hub's own
/// ledger, conclave-policy --state) rows are neither signed nor checked.
class PolicyStateStore {
public:
    explicit PolicyStateStore(Database& db, const crypto::Ed25519SigningKey* deviceKey = nullptr);

    Result<HighestSerials> highestSerials();
    Result<std::optional<PolicyState>> current(const std::string& authority);

    /// Records an accepted policy of `authority`. Refuses a lower serial ("storage.rollback")
    /// and the same serial with a different hash ("storage.serial_conflict": two documents
    /// claiming one serial). The same serial with the same hash is accepted and changes nothing.
    Result<void> recordAccepted(const std::string& authority, uint64_t serial,
                                const std::string& policyHashHex, TimePoint at);

    /// The checks recordAccepted makes, for other stores of the same record (the system-wide
    /// ledger file): errors as recordAccepted; success means "raise to `serial`", or nothing to
    /// do when `old` already holds exactly this policy.
    static Result<void> checkRaise(const std::optional<PolicyState>& old,
                                   const std::string& authority, uint64_t serial,
                                   const std::string& policyHashHex, const std::string& where);

    /// Signs the rows written before rows were signed (under schema 3), once: only while the
    /// mark that schema step 4 leaves for them is present, and removes it in the same
    /// transaction. Any later unsigned row is an edit and stays refused. Returns how many rows
    /// it signed.
    Result<int> signUnsignedRows();

private:
    /// Succeeds when the row carries a valid signature by this device (always without a key);
    /// else "storage.policy_state_unsigned".
    Result<void> checkSigned(const std::string& authority, int64_t serial,
                             const std::string& hashHex, const std::string& atText,
                             const std::optional<crypto::Bytes>& signature) const;

    Database& m_db;
    const crypto::Ed25519SigningKey* m_key;
};

} // namespace conclave::storage
