// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/PolicyStateStore.h"

#include "common/Iso8601.h"
#include "crypto/Bytes.h"
#include "storage/Database.h"
#include "storage/RowSignature.h"
#include "storage/TransactionGuard.h"

#include <algorithm>
#include <limits>

namespace conclave::storage {
namespace {

constexpr std::string_view kTable = "policy_serials";
// Left by schema step 4 when rows from before signatures exist (Migrations.cpp).
constexpr std::string_view kUnsignedMark = "policy_serials_unsigned_from_schema_3";

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

std::optional<crypto::Bytes> signatureIn(const Statement& stmt, int column)
{
    if (stmt.isNull(column))
        return std::nullopt;
    return stmt.columnBlob(column);
}

} // namespace

PolicyStateStore::PolicyStateStore(Database& db, const crypto::Ed25519SigningKey* deviceKey)
    : m_db(db), m_key(deviceKey)
{
}

Result<void> PolicyStateStore::checkSigned(const std::string& authority, int64_t serial,
                                           const std::string& hashHex, const std::string& atText,
                                           const std::optional<crypto::Bytes>& signature) const
{
    if (!m_key)
        return {};
    // Signed content of a row: authority, highest_serial (decimal), policy_hash, accepted_at.
    if (signature &&
        RowSignature::verify(m_key->publicKey(), kTable,
                             {authority, std::to_string(serial), hashHex, atText}, *signature))
        return {};
    return makeError("storage.policy_state_unsigned",
                     "The accepted-policy record in " + m_db.path() + " (authority " + authority +
                         ", serial " + std::to_string(serial) +
                         ") is not signed by this device's identity key: it was changed outside "
                         "Conclave or copied from another device. Conclave will not trust it, so "
                         "only the built-in policy applies. Restore the database from a backup, "
                         "or ask your security officer.");
}

Result<HighestSerials> PolicyStateStore::highestSerials()
{
    auto stmt = m_db.prepare("SELECT authority, highest_serial, policy_hash, accepted_at, "
                             "signature FROM policy_serials");
    if (!stmt)
        return stmt.error();
    HighestSerials result;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            return result;
        const std::string authority = stmt->columnText(0);
        const int64_t serial = stmt->columnInt64(1);
        if (serial < 1)
            return damaged(m_db.path());
        // One row that cannot be trusted puts the whole record in doubt (a row could have been
        // removed or renamed as well): no serial is returned, so no signed policy is accepted.
        if (auto ok = checkSigned(authority, serial, stmt->columnText(2), stmt->columnText(3),
                                  signatureIn(*stmt, 4));
            !ok)
            return ok.error();
        result[authority] = static_cast<uint64_t>(serial);
    }
}

Result<std::optional<PolicyState>> PolicyStateStore::current(const std::string& authority)
{
    auto stmt = m_db.prepare("SELECT highest_serial, policy_hash, accepted_at, signature FROM "
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
    if (auto ok = checkSigned(authority, serial, stmt->columnText(1), stmt->columnText(2),
                              signatureIn(*stmt, 3));
        !ok)
        return ok.error();
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
    // Every row must be trustworthy before a new one is added: a record in doubt is not built on.
    if (auto all = highestSerials(); !all)
        return all.error();
    auto stored = current(authority);
    if (!stored)
        return stored.error();
    if (auto ok = checkRaise(*stored, authority, serial, policyHashHex, m_db.path()); !ok)
        return ok.error();
    if (*stored && (*stored)->serial == serial)
        return {}; // the same policy again: the first acceptance time is kept
    auto stmt = m_db.prepare("INSERT INTO policy_serials (authority, highest_serial, policy_hash, "
                             "accepted_at, signature) VALUES (?1, ?2, ?3, ?4, ?5) "
                             "ON CONFLICT(authority) DO UPDATE SET highest_serial = ?2, "
                             "policy_hash = ?3, accepted_at = ?4, signature = ?5");
    if (!stmt)
        return stmt.error();
    const std::string atText = formatUtcTimestamp(at);
    stmt->bindText(1, authority)
        .bindInt64(2, static_cast<int64_t>(serial))
        .bindText(3, policyHashHex)
        .bindText(4, atText);
    if (m_key)
        stmt->bindBlob(
            5, RowSignature::sign(*m_key, kTable,
                                  {authority, std::to_string(serial), policyHashHex, atText}));
    else
        stmt->bindNull(5);
    if (auto r = stmt->run(); !r)
        return r.error();
    return tx->commit();
}

Result<int> PolicyStateStore::signUnsignedRows()
{
    if (!m_key)
        return makeError("storage.no_key", "internal error: signing rows needs the device key");
    auto tx = TransactionGuard::begin(m_db);
    if (!tx)
        return tx.error();
    auto marked = m_db.prepare("SELECT count(*) FROM settings WHERE key = ?");
    if (!marked)
        return marked.error();
    marked->bindText(1, kUnsignedMark);
    auto hasRow = marked->step();
    if (!hasRow)
        return hasRow.error();
    if (!*hasRow || marked->columnInt64(0) == 0)
        return 0; // nothing to adopt; the guard ends the read-only transaction
    auto rows = m_db.prepare("SELECT authority, highest_serial, policy_hash, accepted_at FROM "
                             "policy_serials WHERE signature IS NULL");
    if (!rows)
        return rows.error();
    int signedRows = 0;
    for (;;) {
        auto row = rows->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        const std::string authority = rows->columnText(0);
        auto update = m_db.prepare("UPDATE policy_serials SET signature = ? WHERE authority = ?");
        if (!update)
            return update.error();
        update
            ->bindBlob(1, RowSignature::sign(*m_key, kTable,
                                             {authority, std::to_string(rows->columnInt64(1)),
                                              rows->columnText(2), rows->columnText(3)}))
            .bindText(2, authority);
        if (auto r = update->run(); !r)
            return r.error();
        ++signedRows;
    }
    auto unmark = m_db.prepare("DELETE FROM settings WHERE key = ?");
    if (!unmark)
        return unmark.error();
    unmark->bindText(1, kUnsignedMark);
    if (auto r = unmark->run(); !r)
        return r.error();
    if (auto r = tx->commit(); !r)
        return r.error();
    return signedRows;
}

} // namespace conclave::storage
