// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace conclave::storage {

/// An "audit.gap" entry: `events` events could not be written between `from` and `to` (a full
/// or failing disk). The log around it is intact, but it is not complete.
struct AuditGap {
    int64_t entry = 0;
    int64_t events = 0;
    std::string from;
    std::string to;
};

/// Outcome of checking the whole audit chain and every seal. When something is wrong,
/// `firstBrokenEntry` is the earliest entry that can no longer be trusted and `reason` says
/// what was found there, in words.
///
/// `intact` is about tampering: edits, removals, forged seals, and the log ending before the
/// last seal recorded outside the database. `gaps` are events the device itself could not
/// record; they do not make the log untrustworthy, but it is not complete (complete()).
struct AuditVerification {
    bool intact = false;
    std::optional<int64_t> firstBrokenEntry;
    std::string reason;
    int64_t entries = 0;
    int64_t seals = 0;
    std::vector<AuditGap> gaps;
    int64_t unrecordedEvents = 0; // the sum over gaps
    /// The newest seal in the database, and the one recorded outside it (if a record exists).
    int64_t lastSeal = 0;
    std::optional<int64_t> recordedSeal;
    /// Where the outside record is kept ("the file /x/conclave.db.seal"), if the log has one.
    std::string recordLocation;

    bool complete() const { return intact && gaps.empty(); }
};

} // namespace conclave::storage
