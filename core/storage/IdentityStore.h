// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "storage/KeyProtector.h"
#include "storage/ProtectionMode.h"

#include <optional>

namespace conclave::storage {

class Database;

/// The device's long-term Ed25519 identity, sealed at rest (SecretBox) under a key from a
/// KeyProtector. There is at most one identity per database and it is never replaced: a
/// secret that will not open is an error, never a reason to make a new one, because every
/// contact would then see this device's key change.
class IdentityStore {
public:
    IdentityStore(Database& db, const Clock& clock);

    /// Unlocks the stored identity with `protector`, or creates, seals and stores a new one
    /// when the database has none. The protector must be of the recorded kind.
    Result<crypto::Ed25519SigningKey> loadOrCreate(KeyProtector& protector);
    /// The identity's public key without unlocking anything; nullopt before the first run.
    Result<std::optional<crypto::Ed25519PublicKey>> publicKey();
    /// How the stored identity is protected, so the caller can build the matching protector.
    Result<std::optional<ProtectionMode>> protectionMode();

private:
    struct Stored;
    Result<std::optional<Stored>> readStored();
    Result<crypto::Ed25519SigningKey> unlock(KeyProtector& protector, const Stored& stored);
    Result<crypto::Ed25519SigningKey> create(KeyProtector& protector);
    Result<void> insert(ProtectionMode mode, const crypto::Ed25519SigningKey& identity,
                        const crypto::Bytes& sealed, const WrappingKey& wrapping);
    Error tampered(const std::string& what) const;

    Database& m_db;
    const Clock& m_clock;
};

} // namespace conclave::storage
