// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/KeyProtector.h"

#include <string>

namespace conclave::storage {

/// Keeps a random wrapping key in a file only its owner may read (0600). The weakest of the
/// three protections - anyone who copies both files has the identity - so it is meant for
/// headless machines and tests, where there is no keyring and nobody to type a passphrase.
class KeyFileProtector final : public KeyProtector {
public:
    explicit KeyFileProtector(std::string keyFilePath);
    /// "<database>.key", beside the database it unlocks.
    static std::string defaultPathFor(const std::string& databasePath);

    const std::string& path() const { return m_path; }

    ProtectionMode mode() const override { return ProtectionMode::KeyFile; }
    std::string location() const override;
    /// Reuses an existing key file (after the same checks as recovery) instead of replacing it:
    /// it may still be needed to open a backup of an older database.
    Result<WrappingKey> createWrappingKey(const crypto::Ed25519PublicKey& identity) override;
    Result<crypto::SecureBuffer> recoverWrappingKey(const crypto::Ed25519PublicKey& identity,
                                                    const KeyDerivation& stored) override;

private:
    Result<crypto::SecureBuffer> readKey() const;
    Result<crypto::SecureBuffer> writeNewKey() const;

    std::string m_path;
};

} // namespace conclave::storage
