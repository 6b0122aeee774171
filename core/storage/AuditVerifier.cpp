// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/AuditVerifier.h"

#include "crypto/Fingerprint.h"
#include "storage/AuditChain.h"
#include "storage/Database.h"
#include "storage/SealCounter.h"

#include <map>
#include <vector>

namespace conclave::storage {
namespace {

struct Seal {
    int64_t id = 0;
    int64_t entryId = 0;
    crypto::Bytes entryHash;
    crypto::Bytes signature;
    crypto::Bytes signer;
};

// Keeps the problem at the earliest entry; among problems at one entry, the first found.
class Findings {
public:
    void add(int64_t entry, std::string reason)
    {
        ++m_count;
        if (!m_first || entry < *m_first) {
            m_first = entry;
            m_reason = std::move(reason);
        }
    }

    void fill(AuditVerification& v) const
    {
        const int64_t entries = v.entries, seals = v.seals;
        v.intact = m_count == 0;
        v.firstBrokenEntry = m_first;
        if (v.intact)
            v.reason = "all " + std::to_string(entries) + " entries and " + std::to_string(seals) +
                       " seals verified";
        else if (m_count == 1)
            v.reason = m_reason;
        else
            v.reason = m_reason + " (and " + std::to_string(m_count - 1) + " further problem" +
                       (m_count == 2 ? ")" : "s)");
        if (v.intact && !v.gaps.empty())
            v.reason += ", but " + std::to_string(v.unrecordedEvents) + " event" +
                        (v.unrecordedEvents == 1 ? "" : "s") +
                        " could not be recorded (first between " + v.gaps.front().from + " and " +
                        v.gaps.front().to + ", see entry " + std::to_string(v.gaps.front().entry) +
                        "): the log is not complete";
    }

private:
    std::optional<int64_t> m_first;
    std::string m_reason;
    int64_t m_count = 0;
};

// Compares the end of the log with the seal recorded outside the database. A record that
// cannot be reached (keyring locked, file not readable) means the check could not be made:
// that is returned as an error, not reported as tampering.
std::optional<Error> checkRecord(Findings& findings, AuditVerification& v,
                                 const std::vector<Seal>& seals, SealCounter& counter,
                                 const crypto::Ed25519PublicKey& deviceKey, int64_t firstUnsealed,
                                 bool anyRecordedSeal)
{
    v.recordLocation = counter.location();
    auto record = counter.read(deviceKey);
    if (!record) {
        if (record.error().code == "storage.seal_record_unavailable" ||
            record.error().code == "storage.seal_record_unreadable")
            return record.error();
        findings.add(firstUnsealed, record.error().message);
        return std::nullopt;
    }
    if (!*record) {
        if (anyRecordedSeal)
            findings.add(firstUnsealed,
                         "the record of the last seal kept outside the database (" +
                             counter.location() +
                             ") is missing, though this log's seals say one was kept: it was "
                             "deleted, so entries removed from the end of the log cannot be "
                             "ruled out");
        return std::nullopt;
    }
    const SealRecord& r = **record;
    v.recordedSeal = r.sealId;
    if (r.sealId > v.lastSeal) {
        findings.add(std::min(firstUnsealed, r.entryId),
                     "the audit log ends at seal " + std::to_string(v.lastSeal) +
                         " but this device recorded seal " + std::to_string(r.sealId) +
                         " (over entry " + std::to_string(r.entryId) + ", in " +
                         counter.location() + "): entries were removed");
        return std::nullopt;
    }
    for (const Seal& seal : seals) {
        if (seal.id == r.sealId &&
            (seal.entryId != r.entryId || !crypto::equalConstantTime(seal.entryHash, r.entryHash)))
            findings.add(std::min(seal.entryId, r.entryId),
                         "seal " + std::to_string(r.sealId) +
                             " in the database is not the one this device recorded in " +
                             counter.location() + ": the log was replaced");
    }
    return std::nullopt;
}

std::string entryName(int64_t id)
{
    return "entry " + std::to_string(id);
}

Result<std::vector<Seal>> readSeals(Database& db)
{
    auto stmt = db.prepare(
        "SELECT id, entry_id, entry_hash, signature, signer FROM audit_seals ORDER BY id");
    if (!stmt)
        return stmt.error();
    std::vector<Seal> seals;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            return seals;
        seals.push_back(Seal{stmt->columnInt64(0), stmt->columnInt64(1), stmt->columnBlob(2),
                             stmt->columnBlob(3), stmt->columnBlob(4)});
    }
}

} // namespace

Result<AuditVerification>
AuditVerifier::verify(Database& db, const crypto::Ed25519PublicKey& deviceKey, SealCounter* counter)
{
    AuditVerification verification;
    Findings findings;
    auto seals = readSeals(db);
    if (!seals)
        return seals.error();
    // Recomputed hashes of the sealed entries, filled in during the chain pass.
    std::map<int64_t, std::optional<crypto::Bytes>> sealedHashes;
    for (const Seal& seal : *seals)
        sealedHashes[seal.entryId] = std::nullopt;

    // json_valid first: a damaged detail must be reported by the hash check, not stop the query.
    auto stmt = db.prepare(
        "SELECT id, at, category, marking, detail, prev_hash, hash, "
        "CASE WHEN category = ?1 AND json_valid(detail) THEN json_extract(detail, '$.lost') END, "
        "CASE WHEN category = ?1 AND json_valid(detail) THEN json_extract(detail, '$.from') END, "
        "CASE WHEN category = ?1 AND json_valid(detail) THEN json_extract(detail, '$.to') END "
        "FROM audit_log ORDER BY id");
    if (!stmt)
        return stmt.error();
    stmt->bindText(1, auditchain::kGapCategory);
    int64_t expected = 1;
    int64_t count = 0;
    int64_t lastId = 0;
    crypto::Bytes previousHash = auditchain::genesisHash();
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ++count;
        const int64_t id = stmt->columnInt64(0);
        const crypto::Bytes prev = stmt->columnBlob(5);
        const crypto::Bytes stored = stmt->columnBlob(6);
        if (id < expected) {
            findings.add(id, entryName(id) + " has an impossible number (entries start at 1)");
        } else if (id > expected) {
            findings.add(expected,
                         (id == expected + 1 ? entryName(expected) + " is missing"
                                             : "entries " + std::to_string(expected) + " to " +
                                                   std::to_string(id - 1) + " are missing") +
                             ": the log jumps from entry " + std::to_string(expected - 1) +
                             " to entry " + std::to_string(id) + " (entries were deleted)");
        }
        if (!crypto::equalConstantTime(prev, previousHash))
            findings.add(id, id == 1 ? "entry 1 does not start the chain (its prev_hash is not "
                                       "zero): entries before it were removed or it was replaced"
                                     : entryName(id) + " is not linked to the entry before it "
                                                       "(its prev_hash differs from that entry's "
                                                       "hash): an entry was replaced or removed");
        const crypto::Bytes recomputed =
            auditchain::entryHash(prev, id, stmt->columnText(1), stmt->columnText(2),
                                  stmt->columnText(3), stmt->columnText(4));
        if (!crypto::equalConstantTime(recomputed, stored))
            findings.add(id, entryName(id) + " does not match its stored hash: its time, "
                                             "category, marking or detail was changed after it "
                                             "was written");
        if (stmt->columnText(2) == auditchain::kGapCategory) {
            const int64_t lost = std::max<int64_t>(stmt->columnInt64(7), 0);
            verification.gaps.push_back({id, lost, stmt->columnText(8), stmt->columnText(9)});
            verification.unrecordedEvents += lost;
        }
        if (auto it = sealedHashes.find(id); it != sealedHashes.end())
            it->second = recomputed;
        previousHash = stored;
        expected = std::max(expected, id + 1);
        lastId = std::max(lastId, id);
    }

    const std::string fingerprint = crypto::publicKeyFingerprint(deviceKey.view());
    int64_t previousSealed = 0;
    int64_t expectedSealId = 1;
    bool anyRecordedSeal = false;
    for (const Seal& seal : *seals) {
        const int64_t firstCovered = previousSealed + 1;
        const std::string name = "seal " + std::to_string(seal.id) + " (over entry " +
                                 std::to_string(seal.entryId) + ")";
        if (seal.id != expectedSealId)
            findings.add(firstCovered, "seal " + std::to_string(expectedSealId) +
                                           " is missing: seals were deleted");
        expectedSealId = seal.id + 1;
        if (seal.entryId <= previousSealed) {
            findings.add(seal.entryId, name + " is out of order: seals were rearranged");
            continue;
        }
        if (seal.entryId - previousSealed > auditchain::kSealInterval)
            findings.add(firstCovered, "entries " + std::to_string(firstCovered) + " to " +
                                           std::to_string(seal.entryId - 1) +
                                           " have no seal, though one is written at least every " +
                                           std::to_string(auditchain::kSealInterval) +
                                           " entries: a seal was removed");
        previousSealed = seal.entryId;
        if (!crypto::equalConstantTime(seal.signer, deviceKey.view())) {
            findings.add(firstCovered, name +
                                           " was made by a different key, not this device's "
                                           "identity key " +
                                           fingerprint);
            continue;
        }
        if (crypto::verifyEd25519(deviceKey,
                                  auditchain::recordedSealMessage(seal.entryId, seal.entryHash),
                                  seal.signature)) {
            anyRecordedSeal = true;
        } else if (!crypto::verifyEd25519(deviceKey,
                                          auditchain::sealMessage(seal.entryId, seal.entryHash),
                                          seal.signature)) {
            findings.add(firstCovered, name + " has a signature that does not verify with this "
                                              "device's key: the seal was forged or altered");
            continue;
        }
        const auto& recomputed = sealedHashes[seal.entryId];
        if (!recomputed)
            findings.add(firstCovered, name + " refers to " + entryName(seal.entryId) +
                                           ", which is missing (entries were deleted)");
        else if (!crypto::equalConstantTime(*recomputed, seal.entryHash))
            findings.add(firstCovered, name + " no longer matches " + entryName(seal.entryId) +
                                           ": an entry from " + std::to_string(firstCovered) +
                                           " to " + std::to_string(seal.entryId) +
                                           " was changed and the chain after it rewritten");
    }
    if (lastId - previousSealed >= auditchain::kSealInterval)
        findings.add(previousSealed + 1, "entries " + std::to_string(previousSealed + 1) + " to " +
                                             std::to_string(lastId) +
                                             " have no seal, though one is written at least "
                                             "every " +
                                             std::to_string(auditchain::kSealInterval) +
                                             " entries: a seal was removed");
    verification.entries = count;
    verification.seals = static_cast<int64_t>(seals->size());
    verification.lastSeal = seals->empty() ? 0 : seals->back().id;
    if (counter)
        if (auto unreachable = checkRecord(findings, verification, *seals, *counter, deviceKey,
                                           previousSealed + 1, anyRecordedSeal))
            return *unreachable;
    findings.fill(verification);
    return verification;
}

} // namespace conclave::storage
