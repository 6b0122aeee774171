// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/KeyProtector.h"

#include <chrono>
#include <string>

namespace conclave::storage {

/// Keeps a random wrapping key in the desktop's secret service (GNOME Keyring, KWallet) through
/// QtKeychain, one entry per identity. Only built when QtKeychain is available
/// (CONCLAVE_HAVE_QTKEYCHAIN). Needs a QCoreApplication; it waits for the keyring in a local
/// event loop, never longer than the timeout.
///
/// "storage.keyring_unavailable" means no keyring answered: when creating an identity the
/// caller should fall back to a passphrase or key file; when unlocking one it must not, because
/// the existing identity can only be unlocked from the keyring.
class KeyringProtector final : public KeyProtector {
public:
    static constexpr std::chrono::milliseconds kDefaultTimeout{10000};

    explicit KeyringProtector(std::string service = "Conclave",
                              std::chrono::milliseconds timeout = kDefaultTimeout);

    /// The keyring entry for an identity: "identity-wrapping-key-<key id>".
    static std::string entryName(const crypto::Ed25519PublicKey& identity);

    ProtectionMode mode() const override { return ProtectionMode::Keyring; }
    std::string location() const override;
    Result<WrappingKey> createWrappingKey(const crypto::Ed25519PublicKey& identity) override;
    Result<crypto::SecureBuffer> recoverWrappingKey(const crypto::Ed25519PublicKey& identity,
                                                    const KeyDerivation& stored) override;
    /// Deletes the identity's entry (tests, and removing an identity for good).
    Result<void> forget(const crypto::Ed25519PublicKey& identity);

private:
    std::string m_service;
    std::chrono::milliseconds m_timeout;
};

} // namespace conclave::storage
