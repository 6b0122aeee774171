// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "storage/PolicyState.h"

#include <QString>

#include <map>
#include <string>

namespace conclave::storage {

/// The system-wide copy of the anti-rollback record: a small text file outside any user's data
/// directory (by default /var/lib/conclave/policy-ledger, see docs/policy.md), so pointing a
/// program at a fresh data directory does not forget which serials were accepted. It holds the
/// same per-authority records as PolicyStateStore, one line each:
///   conclave-policy-ledger/1
///   <authority key id> <serial> <sha256 of the policy> <accepted at, UTC>
/// An absent file is an empty ledger; a damaged one is an error (fail closed). Whether it can be
/// reset depends on who may write it - which is the administrator's choice (docs/policy.md).
class PolicyLedgerFile {
public:
    explicit PolicyLedgerFile(QString path);

    const QString& path() const { return m_path; }

    /// Every authority's record. Errors: "storage.corrupt", "file.unreadable".
    Result<std::map<std::string, PolicyState>> read() const;
    Result<HighestSerials> highestSerials() const;

    /// True when this process may change the file: it exists and is writable, or it does not
    /// exist yet and its directory exists and is writable. A read-only ledger (kept by an
    /// administrator) is still read and enforced.
    bool writable() const;

    /// Raises `authority`'s record to `serial`, with the rules of PolicyStateStore
    /// (storage.rollback, storage.serial_conflict); written atomically under a lock file.
    Result<void> recordAccepted(const std::string& authority, uint64_t serial,
                                const std::string& policyHashHex, TimePoint at) const;

    static constexpr const char* kHeader = "conclave-policy-ledger/1";

private:
    QString m_path;
};

} // namespace conclave::storage
