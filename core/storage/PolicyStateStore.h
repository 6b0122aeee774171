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

/// Remembers, per security authority (the key id of the trust anchor that signed), the highest
/// policy serial accepted, so an older (lower serial) policy of that authority is refused even
/// if it is validly signed. Serials of different authorities never meet: a self-made
/// authority's serial 2^62 says nothing about the organisation's serial 7. A stored serial only
/// ever goes up; triggers in the schema enforce the same, so no code path can lower it.
class PolicyStateStore {
public:
    explicit PolicyStateStore(Database& db);

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

private:
    Database& m_db;
};

} // namespace conclave::storage
