// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/PolicyStateStore.h"

#include "common/Iso8601.h"
#include "crypto/Bytes.h"
#include "storage/Database.h"
#include "storage/TransactionGuard.h"

#include <limits>

namespace conclave::storage {

PolicyStateStore::PolicyStateStore(Database& db) : m_db(db) {}

Result<std::optional<uint64_t>> PolicyStateStore::highestSerial()
{
    auto state = current();
    if (!state)
        return state.error();
    if (!*state)
        return std::optional<uint64_t>{};
    return std::optional<uint64_t>{(*state)->serial};
}

Result<std::optional<PolicyState>> PolicyStateStore::current()
{
    auto stmt = m_db.prepare(
        "SELECT highest_serial, policy_hash, accepted_at FROM policy_state WHERE id = 1");
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<PolicyState>{};
    const int64_t serial = stmt->columnInt64(0);
    auto at = parseUtcTimestamp(stmt->columnText(2));
    if (serial < 0 || !at)
        return makeError("storage.corrupt",
                         "The accepted-policy record in " + m_db.path() +
                             " is damaged. Conclave will not guess which policies are current. "
                             "Restore the database from a backup.");
    return std::optional<PolicyState>{
        PolicyState{static_cast<uint64_t>(serial), stmt->columnText(1), *at}};
}

Result<void> PolicyStateStore::recordAccepted(uint64_t serial, const std::string& policyHashHex,
                                              TimePoint at)
{
    // SQLite integers are signed 64-bit; a serial beyond that cannot be stored faithfully.
    if (serial > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return makeError("storage.serial_out_of_range",
                         "Policy serial " + std::to_string(serial) +
                             " is too large to record (the largest is 9223372036854775807). Ask "
                             "the security authority to reissue the policy with a smaller serial.");
    // Lower-case only, so one policy always has one spelling and the equality test below holds.
    const auto hash = policyHashHex.empty() ? std::nullopt : crypto::fromHex(policyHashHex);
    if (!hash || crypto::toHex(*hash) != policyHashHex)
        return makeError("storage.bad_policy_hash",
                         "internal error: the policy hash must be lower-case hexadecimal");

    auto tx = TransactionGuard::begin(m_db);
    if (!tx)
        return tx.error();
    auto stored = current();
    if (!stored)
        return stored.error();
    if (*stored) {
        const PolicyState& old = **stored;
        if (serial < old.serial)
            return makeError("storage.rollback",
                             "Policy serial " + std::to_string(serial) + " is older than serial " +
                                 std::to_string(old.serial) +
                                 ", which this device has already accepted. An older policy is "
                                 "never accepted again (it could re-approve what was withdrawn). "
                                 "Ask the security authority for the current policy.");
        if (serial == old.serial) {
            if (old.policyHashHex == policyHashHex)
                return {};
            return makeError("storage.serial_conflict",
                             "Policy serial " + std::to_string(serial) +
                                 " was already accepted for a different document. Two policies "
                                 "with one serial are refused; ask the security authority to "
                                 "issue the change with a higher serial.");
        }
    }
    auto stmt =
        m_db.prepare("INSERT INTO policy_state (id, highest_serial, policy_hash, accepted_at) "
                     "VALUES (1, ?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET highest_serial = ?1, "
                     "policy_hash = ?2, accepted_at = ?3");
    if (!stmt)
        return stmt.error();
    stmt->bindInt64(1, static_cast<int64_t>(serial))
        .bindText(2, policyHashHex)
        .bindText(3, formatUtcTimestamp(at));
    if (auto r = stmt->run(); !r)
        return r.error();
    return tx->commit();
}

} // namespace conclave::storage
