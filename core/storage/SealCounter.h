// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "storage/SealRecord.h"

#include <optional>
#include <string>

namespace conclave::storage {

/// Where the newest audit seal is remembered outside the database file, so that cutting the
/// log back to an earlier seal shows (docs/storage.md). Records are signed with the device
/// identity key and only ever move forward.
class SealCounter {
public:
    virtual ~SealCounter() = default;

    /// The record with its signature checked against `deviceKey`; empty when none was ever
    /// written. A record that is damaged or signed by another key is an error, never ignored.
    virtual Result<std::optional<SealRecord>> read(const crypto::Ed25519PublicKey& deviceKey) = 0;
    /// Stores `record` unless the stored one is already at this seal or later: never
    /// backwards (two programs sealing one database may finish in either order), and a
    /// damaged record stays as it is - it is evidence, and audit verify reports it.
    Result<void> advance(const SealRecord& record, const crypto::Ed25519SigningKey& deviceKey)
    {
        auto stored = read(deviceKey.publicKey());
        if (!stored)
            return stored.error();
        if (*stored && (*stored)->sealId >= record.sealId)
            return {};
        return store(record, deviceKey);
    }
    /// Where the record lives, for messages ("the file /x/conclave.db.seal").
    virtual std::string location() const = 0;

protected:
    /// Writes `record`, signed with `deviceKey`, over what is stored (advance() decided).
    virtual Result<void> store(const SealRecord& record,
                               const crypto::Ed25519SigningKey& deviceKey) = 0;
};

} // namespace conclave::storage
