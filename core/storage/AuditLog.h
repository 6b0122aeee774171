// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "storage/AuditEntry.h"
#include "storage/AuditVerification.h"
#include "storage/SealRecord.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace conclave::storage {

class Database;
class SealCounter;

/// The tamper-evident local audit log. Each entry carries the BLAKE2b hash of its content and
/// of the entry before it; every 32 entries (and on seal()) the device key signs the latest
/// entry's id and hash. The table itself refuses UPDATE and DELETE. Someone with write access
/// to the file can still drop those triggers; verify() is what makes such edits visible.
///
/// With a SealCounter, every seal is also recorded outside the database, so cutting the log
/// back to an earlier seal is visible too. Events that cannot be written (a full disk) are
/// counted, and the next entry that can be written is preceded by an "audit.gap" entry saying
/// how many were lost and when.
class AuditLog {
public:
    AuditLog(Database& db, const crypto::Ed25519SigningKey& deviceKey, const Clock& clock,
             SealCounter* sealCounter = nullptr);

    /// Appends one entry and returns its id (1, 2, 3 ...). `detailJson` must be a JSON object;
    /// `marking` is the classification marking it concerns, or empty.
    Result<int64_t> append(std::string_view category, std::string_view marking,
                           std::string_view detailJson);
    /// Signs the latest entry now (on shutdown, before an export); no-op if it is signed. Writes
    /// a pending gap entry first.
    Result<void> seal();

    /// Recomputes the whole chain and checks every seal against `deviceKey`, and the database's
    /// last seal against the record kept outside it.
    Result<AuditVerification> verify(const crypto::Ed25519PublicKey& deviceKey) const;
    /// Up to `limit` entries with id >= fromId, oldest first, for the audit view.
    Result<std::vector<AuditEntry>> entries(int64_t fromId, int64_t limit) const;

    /// Events that could not be written and are not yet recorded by a gap entry.
    int64_t unrecordedEvents() const { return m_unrecorded.events; }

private:
    struct Unrecorded {
        int64_t events = 0;
        std::string from, to;
        std::string reason;
    };

    Result<int64_t> appendEntry(std::string_view category, std::string_view marking,
                                std::string_view detailJson);
    Result<void> writePendingGap();
    void noteUnrecorded(const Error& why);
    Result<int64_t> lastSealedEntry();
    Result<SealRecord> writeSeal(int64_t entryId, const crypto::Bytes& entryHash,
                                 const std::string& at);
    void recordOutside(const SealRecord& record);

    Database& m_db;
    const crypto::Ed25519SigningKey& m_key;
    const Clock& m_clock;
    SealCounter* m_counter;
    Unrecorded m_unrecorded;
};

} // namespace conclave::storage
