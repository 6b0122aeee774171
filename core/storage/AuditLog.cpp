// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/AuditLog.h"

#include "common/Iso8601.h"
#include "storage/AuditChain.h"
#include "storage/AuditVerifier.h"
#include "storage/Database.h"
#include "storage/TransactionGuard.h"

#include <algorithm>

namespace conclave::storage {
namespace {

constexpr size_t kMaxCategory = 128;
constexpr size_t kMaxMarking = 512;
constexpr size_t kMaxDetail = 64 * 1024;
constexpr int64_t kMaxPage = 10000;

Error invalid(const std::string& what)
{
    return makeError("storage.audit_invalid", "internal error: audit entry refused: " + what);
}

} // namespace

AuditLog::AuditLog(Database& db, const crypto::Ed25519SigningKey& deviceKey, const Clock& clock)
    : m_db(db), m_key(deviceKey), m_clock(clock)
{
}

Result<int64_t> AuditLog::append(std::string_view category, std::string_view marking,
                                 std::string_view detailJson)
{
    if (category.empty() || category.size() > kMaxCategory)
        return invalid("the category must be 1 to 128 bytes");
    if (marking.size() > kMaxMarking)
        return invalid("the marking is longer than 512 bytes");
    if (detailJson.size() > kMaxDetail)
        return invalid("the detail is larger than 64 KiB");

    auto tx = TransactionGuard::begin(m_db);
    if (!tx)
        return tx.error();

    // SQLite's own JSON parser, so what is accepted here is what the audit view can read back.
    auto json =
        m_db.prepare("SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'object' ELSE 0 END");
    if (!json)
        return json.error();
    json->bindText(1, detailJson);
    auto isObject = json->step();
    if (!isObject)
        return isObject.error();
    if (!*isObject || json->columnInt64(0) != 1)
        return invalid("the detail is not a JSON object");

    auto last = m_db.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!last)
        return last.error();
    auto hasLast = last->step();
    if (!hasLast)
        return hasLast.error();
    const int64_t id = *hasLast ? last->columnInt64(0) + 1 : 1;
    const crypto::Bytes prev = *hasLast ? last->columnBlob(1) : auditchain::genesisHash();

    const std::string at = formatUtcTimestamp(m_clock.now());
    const crypto::Bytes hash = auditchain::entryHash(prev, id, at, category, marking, detailJson);
    auto insert = m_db.prepare("INSERT INTO audit_log (id, at, category, marking, detail, "
                               "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!insert)
        return insert.error();
    insert->bindInt64(1, id)
        .bindText(2, at)
        .bindText(3, category)
        .bindText(4, marking)
        .bindText(5, detailJson)
        .bindBlob(6, prev)
        .bindBlob(7, hash);
    if (auto r = insert->run(); !r)
        return r.error();

    auto sealed = lastSealedEntry();
    if (!sealed)
        return sealed.error();
    if (id - *sealed >= auditchain::kSealInterval) {
        if (auto r = writeSeal(id, hash, at); !r)
            return r.error();
    }
    if (auto r = tx->commit(); !r)
        return r.error();
    return id;
}

Result<void> AuditLog::seal()
{
    auto tx = TransactionGuard::begin(m_db);
    if (!tx)
        return tx.error();
    auto last = m_db.prepare("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
    if (!last)
        return last.error();
    auto hasLast = last->step();
    if (!hasLast)
        return hasLast.error();
    if (!*hasLast)
        return tx->commit();
    const int64_t id = last->columnInt64(0);
    auto sealed = lastSealedEntry();
    if (!sealed)
        return sealed.error();
    if (*sealed >= id)
        return tx->commit();
    if (auto r = writeSeal(id, last->columnBlob(1), formatUtcTimestamp(m_clock.now())); !r)
        return r;
    return tx->commit();
}

Result<int64_t> AuditLog::lastSealedEntry()
{
    auto stmt = m_db.prepare("SELECT coalesce(max(entry_id), 0) FROM audit_seals");
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row ? stmt->columnInt64(0) : 0;
}

Result<void> AuditLog::writeSeal(int64_t entryId, const crypto::Bytes& entryHash,
                                 const std::string& at)
{
    const crypto::Bytes signature = m_key.sign(auditchain::sealMessage(entryId, entryHash));
    auto stmt =
        m_db.prepare("INSERT INTO audit_seals (id, entry_id, entry_hash, signature, signer, at) "
                     "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM audit_seals), ?, ?, ?, ?, ?)");
    if (!stmt)
        return stmt.error();
    stmt->bindInt64(1, entryId)
        .bindBlob(2, entryHash)
        .bindBlob(3, signature)
        .bindBlob(4, m_key.publicKey().view())
        .bindText(5, at);
    return stmt->run();
}

Result<AuditVerification> AuditLog::verify(const crypto::Ed25519PublicKey& deviceKey) const
{
    return AuditVerifier::verify(m_db, deviceKey);
}

Result<std::vector<AuditEntry>> AuditLog::entries(int64_t fromId, int64_t limit) const
{
    auto stmt = m_db.prepare("SELECT id, at, category, marking, detail, prev_hash, hash "
                             "FROM audit_log WHERE id >= ? ORDER BY id LIMIT ?");
    if (!stmt)
        return stmt.error();
    stmt->bindInt64(1, fromId).bindInt64(2, std::clamp<int64_t>(limit, 0, kMaxPage));
    std::vector<AuditEntry> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            return out;
        out.push_back(AuditEntry{stmt->columnInt64(0), stmt->columnText(1), stmt->columnText(2),
                                 stmt->columnText(3), stmt->columnText(4), stmt->columnBlob(5),
                                 stmt->columnBlob(6)});
    }
}

} // namespace conclave::storage
