// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/PolicyStateStore.h"

#include "common/Iso8601.h"
#include "crypto/Bytes.h"
#include "storage/Database.h"
#include "storage/TransactionGuard.h"

#include <algorithm>
#include <limits>

namespace conclave::storage {
namespace {

bool isLowerHex(const std::string& s)
{
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Error damaged(const std::string& where)
{
    return Error{"storage.corrupt",
                 "The accepted-policy record in " + where +
                     " is damaged. Conclave will not guess which policies are current. Restore "
                     "it from a backup."};
}

} // namespace

PolicyStateStore::PolicyStateStore(Database& db) : m_db(db) {}

Result<HighestSerials> PolicyStateStore::highestSerials()
{
    auto stmt = m_db.prepare("SELECT authority, highest_serial FROM policy_serials");
    if (!stmt)
        return stmt.error();
    HighestSerials result;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            return result;
        const int64_t serial = stmt->columnInt64(1);
        if (serial < 1)
            return damaged(m_db.path());
        result[stmt->columnText(0)] = static_cast<uint64_t>(serial);
    }
}

Result<std::optional<PolicyState>> PolicyStateStore::current(const std::string& authority)
{
    auto stmt = m_db.prepare("SELECT highest_serial, policy_hash, accepted_at FROM "
                             "policy_serials WHERE authority = ?1");
    if (!stmt)
        return stmt.error();
    stmt->bindText(1, authority);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<PolicyState>{};
    const int64_t serial = stmt->columnInt64(0);
    auto at = parseUtcTimestamp(stmt->columnText(2));
    if (serial < 1 || !at)
        return damaged(m_db.path());
    return std::optional<PolicyState>{
        PolicyState{authority, static_cast<uint64_t>(serial), stmt->columnText(1), *at}};
}

Result<void> PolicyStateStore::checkRaise(const std::optional<PolicyState>& old,
                                          const std::string& authority, uint64_t serial,
                                          const std::string& policyHashHex,
                                          const std::string& where)
{
    if (authority.empty() || authority.size() > 64 || !isLowerHex(authority))
        return makeError("storage.bad_authority",
                         "internal error: an authority is named by its key id, 1-64 lower-case "
                         "hexadecimal characters");
    // SQLite integers are signed 64-bit; a serial beyond that cannot be stored faithfully.
    if (serial < 1 || serial > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return makeError("storage.serial_out_of_range",
                         "Policy serial " + std::to_string(serial) +
                             " cannot be recorded (serials run from 1 to 9223372036854775807). "
                             "Ask the security authority to reissue the policy with a serial in "
                             "that range.");
    // Lower-case only, so one policy always has one spelling and the equality test below holds.
    const auto hash = policyHashHex.empty() ? std::nullopt : crypto::fromHex(policyHashHex);
    if (!hash || crypto::toHex(*hash) != policyHashHex)
        return makeError("storage.bad_policy_hash",
                         "internal error: the policy hash must be lower-case hexadecimal");
    if (!old)
        return {};
    if (serial < old->serial)
        return makeError("storage.rollback",
                         "Policy serial " + std::to_string(serial) + " of authority " + authority +
                             " is older than serial " + std::to_string(old->serial) +
                             " of the same authority, which was already accepted (recorded in " +
                             where +
                             "). An older policy is never accepted again (it could re-approve "
                             "what was withdrawn). Ask the security authority for the current "
                             "policy.");
    if (serial == old->serial && old->policyHashHex != policyHashHex)
        return makeError("storage.serial_conflict",
                         "Policy serial " + std::to_string(serial) + " of authority " + authority +
                             " was already accepted for a different document (recorded in " +
                             where +
                             "). Two policies with one serial are refused; ask the security "
                             "authority to issue the change with a higher serial.");
    return {};
}

Result<void> PolicyStateStore::recordAccepted(const std::string& authority, uint64_t serial,
                                              const std::string& policyHashHex, TimePoint at)
{
    auto tx = TransactionGuard::begin(m_db);
    if (!tx)
        return tx.error();
    auto stored = current(authority);
    if (!stored)
        return stored.error();
    if (auto ok = checkRaise(*stored, authority, serial, policyHashHex, m_db.path()); !ok)
        return ok.error();
    if (*stored && (*stored)->serial == serial)
        return {}; // the same policy again: the first acceptance time is kept
    auto stmt = m_db.prepare(
        "INSERT INTO policy_serials (authority, highest_serial, policy_hash, accepted_at) "
        "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(authority) DO UPDATE SET highest_serial = ?2, "
        "policy_hash = ?3, accepted_at = ?4");
    if (!stmt)
        return stmt.error();
    stmt->bindText(1, authority)
        .bindInt64(2, static_cast<int64_t>(serial))
        .bindText(3, policyHashHex)
        .bindText(4, formatUtcTimestamp(at));
    if (auto r = stmt->run(); !r)
        return r.error();
    return tx->commit();
}

} // namespace conclave::storage
