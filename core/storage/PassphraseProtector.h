// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/PasswordKdf.h"
#include "storage/KeyProtector.h"

#include <string_view>

namespace conclave::storage {

/// Derives the wrapping key from a passphrase with Argon2id. The salt and limits are stored
/// with the identity, so recovery uses what creation used even after the defaults change.
class PassphraseProtector final : public KeyProtector {
public:
    /// The passphrase is copied into guarded memory; `forNewKeys` only applies to creation.
    explicit PassphraseProtector(
        std::string_view passphrase,
        crypto::Argon2Params forNewKeys = crypto::Argon2Params::interactive());

    ProtectionMode mode() const override { return ProtectionMode::Passphrase; }
    std::string location() const override { return "the passphrase"; }
    Result<WrappingKey> createWrappingKey(const crypto::Ed25519PublicKey& identity) override;
    Result<crypto::SecureBuffer> recoverWrappingKey(const crypto::Ed25519PublicKey& identity,
                                                    const KeyDerivation& stored) override;

private:
    std::string_view passphrase() const;

    crypto::SecureBuffer m_passphrase;
    crypto::Argon2Params m_forNewKeys;
};

} // namespace conclave::storage
