// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "storage/AuditVerification.h"

namespace conclave::storage {

class Database;
class SealCounter;

/// Checks the audit chain from entry 1 to the last and every seal, without the secret key
/// (so `conclave-cli audit verify` or an auditor can run it). Every row is checked on its own
/// - content against its hash, link against the previous row, ids for gaps - so one damaged
/// row does not hide another, and the earliest problem is the one reported.
///
/// With `counter`, the database's last seal is compared with the one recorded outside it: a
/// log that ends before the recorded seal was cut back. "audit.gap" entries are collected into
/// `gaps` (events the device could not record).
class AuditVerifier {
public:
    static Result<AuditVerification> verify(Database& db, const crypto::Ed25519PublicKey& deviceKey,
                                            SealCounter* counter = nullptr);
};

} // namespace conclave::storage
