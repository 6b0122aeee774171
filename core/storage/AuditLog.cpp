// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/AuditLog.h"

#include "common/Iso8601.h"
#include "storage/AuditChain.h"
#include "storage/AuditVerifier.h"
#include "storage/Database.h"
#include "storage/SealCounter.h"
#include "storage/StorageLog.h"
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

// JSON string content for text we made ourselves (timestamps, error codes): only quotes and
// backslashes can occur.
std::string jsonString(const std::string& text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (static_cast<unsigned char>(c) >= 0x20)
            out += c;
    }
    return out + "\"";
}

} // namespace

AuditLog::AuditLog(Database& db, const crypto::Ed25519SigningKey& deviceKey, const Clock& clock,
                   SealCounter* sealCounter)
    : m_db(db), m_key(deviceKey), m_clock(clock), m_counter(sealCounter)
{
}

Result<int64_t> AuditLog::append(std::string_view category, std::string_view marking,
                                 std::string_view detailJson)
{
    if (auto gap = writePendingGap(); !gap) {
        noteUnrecorded(gap.error());
        return gap.error();
    }
    auto id = appendEntry(category, marking, detailJson);
    if (!id)
        noteUnrecorded(id.error());
    return id;
}

void AuditLog::noteUnrecorded(const Error& why)
{
    // A malformed entry is a caller's bug, refused before anything is written; what is counted
    // here is events the storage could not take.
    if (why.code == "storage.audit_invalid")
        return;
    const std::string now = formatUtcTimestamp(m_clock.now());
    if (m_unrecorded.events == 0)
        m_unrecorded.from = now;
    m_unrecorded.to = now;
    m_unrecorded.reason = why.code;
    ++m_unrecorded.events;
    qCWarning(lcStorage, "audit event not recorded (%s); %lld not recorded so far",
              why.code.c_str(), static_cast<long long>(m_unrecorded.events));
}

Result<void> AuditLog::writePendingGap()
{
    if (m_unrecorded.events == 0)
        return {};
    const Unrecorded& u = m_unrecorded;
    const std::string message = std::to_string(u.events) + " event" + (u.events == 1 ? "" : "s") +
                                " could not be recorded between " + u.from + " and " + u.to;
    const std::string detail = "{\"lost\":" + std::to_string(u.events) +
                               ",\"from\":" + jsonString(u.from) + ",\"to\":" + jsonString(u.to) +
                               ",\"reason\":" + jsonString(u.reason) +
                               ",\"message\":" + jsonString(message) + "}";
    auto id = appendEntry(auditchain::kGapCategory, "", detail);
    if (!id)
        return id.error();
    qCWarning(lcStorage, "audit entry %lld records that %s", static_cast<long long>(*id),
              message.c_str());
    m_unrecorded = {};
    return {};
}

Result<int64_t> AuditLog::appendEntry(std::string_view category, std::string_view marking,
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
    std::optional<SealRecord> newSeal;
    if (id - *sealed >= auditchain::kSealInterval) {
        auto r = writeSeal(id, hash, at);
        if (!r)
            return r.error();
        newSeal = std::move(r).value();
    }
    if (auto r = tx->commit(); !r)
        return r.error();
    // Only a committed seal is recorded outside: a record ahead of the database would later
    // read as entries removed.
    if (newSeal)
        recordOutside(*newSeal);
    return id;
}

Result<void> AuditLog::seal()
{
    if (auto gap = writePendingGap(); !gap)
        return gap.error();
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
    auto newSeal = writeSeal(id, last->columnBlob(1), formatUtcTimestamp(m_clock.now()));
    if (!newSeal)
        return newSeal.error();
    if (auto r = tx->commit(); !r)
        return r;
    recordOutside(*newSeal);
    return {};
}

void AuditLog::recordOutside(const SealRecord& record)
{
    if (!m_counter)
        return;
    // The record moves on only from a seal this database still holds unchanged. After the log
    // was cut back, new seals reuse the numbers; overwriting the record then would erase the
    // evidence that audit verify reports.
    auto stored = m_counter->read(m_key.publicKey());
    if (stored && *stored && (*stored)->sealId < record.sealId) {
        auto same = m_db.prepare("SELECT count(*) FROM audit_seals WHERE id = ? AND entry_id = ? "
                                 "AND entry_hash = ?");
        if (same) {
            same->bindInt64(1, (*stored)->sealId)
                .bindInt64(2, (*stored)->entryId)
                .bindBlob(3, (*stored)->entryHash);
            auto row = same->step();
            if (row && *row && same->columnInt64(0) == 0) {
                qCWarning(lcStorage,
                          "the audit log no longer holds seal %lld recorded in %s; the record is "
                          "kept as evidence (run audit verify)",
                          static_cast<long long>((*stored)->sealId), m_counter->location().c_str());
                return;
            }
        }
    }
    // The seal itself is written; a record that lags behind only weakens the truncation check
    // until the next seal, so this is reported and not turned into a failed append.
    if (auto r = m_counter->advance(record, m_key); !r)
        qCWarning(lcStorage, "seal %lld is not recorded outside the database: %s",
                  static_cast<long long>(record.sealId), r.error().message.c_str());
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

Result<SealRecord> AuditLog::writeSeal(int64_t entryId, const crypto::Bytes& entryHash,
                                       const std::string& at)
{
    // A v2 seal says "recorded outside too", so a later missing record is not mistaken for a
    // database from before seal records existed.
    const crypto::Bytes signature =
        m_key.sign(m_counter ? auditchain::recordedSealMessage(entryId, entryHash)
                             : auditchain::sealMessage(entryId, entryHash));
    auto next = m_db.prepare("SELECT coalesce(max(id), 0) + 1 FROM audit_seals");
    if (!next)
        return next.error();
    auto row = next->step();
    if (!row)
        return row.error();
    const int64_t sealId = next->columnInt64(0);
    auto stmt =
        m_db.prepare("INSERT INTO audit_seals (id, entry_id, entry_hash, signature, signer, at) "
                     "VALUES (?, ?, ?, ?, ?, ?)");
    if (!stmt)
        return stmt.error();
    stmt->bindInt64(1, sealId)
        .bindInt64(2, entryId)
        .bindBlob(3, entryHash)
        .bindBlob(4, signature)
        .bindBlob(5, m_key.publicKey().view())
        .bindText(6, at);
    if (auto r = stmt->run(); !r)
        return r.error();
    return SealRecord{sealId, entryId, entryHash};
}

Result<AuditVerification> AuditLog::verify(const crypto::Ed25519PublicKey& deviceKey) const
{
    return AuditVerifier::verify(m_db, deviceKey, m_counter);
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
