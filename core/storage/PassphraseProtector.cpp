// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/PassphraseProtector.h"

#include <sodium.h>

namespace conclave::storage {
namespace {

// Stored limits come from the database file. Bounding them stops a doctored identity row
// from making start-up hash for hours or ask for terabytes.
constexpr uint64_t kMaxOps = 4 * crypto_pwhash_OPSLIMIT_SENSITIVE;
constexpr uint64_t kMaxMem = 2 * static_cast<uint64_t>(crypto_pwhash_MEMLIMIT_SENSITIVE);

} // namespace

PassphraseProtector::PassphraseProtector(std::string_view passphrase,
                                         crypto::Argon2Params forNewKeys)
    : m_passphrase(crypto::SecureBuffer::copyOf(crypto::asBytes(passphrase))),
      m_forNewKeys(forNewKeys)
{
}

std::string_view PassphraseProtector::passphrase() const
{
    return {reinterpret_cast<const char*>(m_passphrase.data()), m_passphrase.size()};
}

Result<WrappingKey> PassphraseProtector::createWrappingKey(const crypto::Ed25519PublicKey&)
{
    if (m_passphrase.empty())
        return makeError("storage.empty_passphrase",
                         "An empty passphrase cannot protect the Conclave identity. Choose a "
                         "passphrase and try again.");
    crypto::Bytes salt(crypto::kArgon2SaltSize);
    randombytes_buf(salt.data(), salt.size());
    auto key = crypto::deriveKeyFromPassphrase(passphrase(), salt, m_forNewKeys);
    if (!key)
        return key.error();
    return WrappingKey{
        std::move(*key),
        KeyDerivation{salt, m_forNewKeys.opsLimit, static_cast<uint64_t>(m_forNewKeys.memLimit)}};
}

Result<crypto::SecureBuffer>
PassphraseProtector::recoverWrappingKey(const crypto::Ed25519PublicKey&,
                                        const KeyDerivation& stored)
{
    if (stored.salt.size() != crypto::kArgon2SaltSize || stored.opsLimit > kMaxOps ||
        stored.memLimit > kMaxMem)
        return makeError("storage.identity_tampered",
                         "The passphrase settings stored with the Conclave identity are not "
                         "valid, so the identity record was changed or damaged. Nothing was "
                         "changed. Restore the database from a backup.");
    return crypto::deriveKeyFromPassphrase(
        passphrase(), stored.salt,
        crypto::Argon2Params{stored.opsLimit, static_cast<size_t>(stored.memLimit)});
}

} // namespace conclave::storage
