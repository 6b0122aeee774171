// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/PolicyStateStore.h"

#include "common/Iso8601.h"
#include "crypto/Bytes.h"
#include "storage/Database.h"
#include "storage/RowSignature.h"
#include "storage/TransactionGuard.h"

#include <limits>

namespace conclave::storage {

namespace {

constexpr std::string_view kTable = "policy_state";
// Left by schema step 3 when rows from before signatures exist (Migrations.cpp).
constexpr std::string_view kUnsignedMark = "policy_state_unsigned_from_schema_2";
// Signed content of a row: id, highest_serial, policy_hash, accepted_at, as decimal/text.

} // namespace

PolicyStateStore::PolicyStateStore(Database& db, const crypto::Ed25519SigningKey* deviceKey)
    : m_db(db), m_key(deviceKey)
{
}

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
    auto stmt = m_db.prepare("SELECT highest_serial, policy_hash, accepted_at, signature, id "
                             "FROM policy_state WHERE id = 1");
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
    if (m_key &&
        (stmt->isNull(3) ||
         !RowSignature::verify(m_key->publicKey(), kTable,
                               {std::to_string(stmt->columnInt64(4)), std::to_string(serial),
                                stmt->columnText(1), stmt->columnText(2)},
                               stmt->columnBlob(3))))
        return makeError("storage.policy_state_unsigned",
                         "The accepted-policy record in " + m_db.path() + " (serial " +
                             std::to_string(serial) +
                             ") is not signed by this device's identity key: it was changed "
                             "outside Conclave or copied from another device. Conclave will not "
                             "trust it, so only the built-in policy applies. Restore the database "
                             "from a backup, or ask your security officer.");
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
    auto stmt = m_db.prepare(
        "INSERT INTO policy_state (id, highest_serial, policy_hash, accepted_at, signature) "
        "VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET highest_serial = ?1, "
        "policy_hash = ?2, accepted_at = ?3, signature = ?4");
    if (!stmt)
        return stmt.error();
    const std::string atText = formatUtcTimestamp(at);
    stmt->bindInt64(1, static_cast<int64_t>(serial)).bindText(2, policyHashHex).bindText(3, atText);
    if (m_key)
        stmt->bindBlob(4, RowSignature::sign(*m_key, kTable,
                                             {"1", std::to_string(serial), policyHashHex, atText}));
    else
        stmt->bindNull(4);
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
    auto rows = m_db.prepare("SELECT id, highest_serial, policy_hash, accepted_at FROM "
                             "policy_state WHERE signature IS NULL");
    if (!rows)
        return rows.error();
    int signedRows = 0;
    for (;;) {
        auto row = rows->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        const int64_t id = rows->columnInt64(0);
        auto update = m_db.prepare("UPDATE policy_state SET signature = ? WHERE id = ?");
        if (!update)
            return update.error();
        update
            ->bindBlob(1,
                       RowSignature::sign(*m_key, kTable,
                                          {std::to_string(id), std::to_string(rows->columnInt64(1)),
                                           rows->columnText(2), rows->columnText(3)}))
            .bindInt64(2, id);
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
