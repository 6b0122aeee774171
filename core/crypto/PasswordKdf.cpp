// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/PasswordKdf.h"

#include "crypto/Sodium.h"

#include <sodium.h>

namespace conclave::crypto {

Argon2Params Argon2Params::interactive()
{
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

Argon2Params Argon2Params::minimumForTests()
{
    return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<SecureBuffer> deriveKeyFromPassphrase(std::string_view passphrase, ByteView salt,
                                             const Argon2Params& params)
{
    ensureSodium();
    if (salt.size() != crypto_pwhash_SALTBYTES)
        return makeError("crypto.bad_salt", "an Argon2id salt is 16 bytes");
    if (params.opsLimit < crypto_pwhash_OPSLIMIT_MIN ||
        params.memLimit < crypto_pwhash_MEMLIMIT_MIN)
        return makeError("crypto.weak_kdf", "the stored Argon2id parameters are below the minimum");
    SecureBuffer key(32);
    if (crypto_pwhash(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(),
                      params.opsLimit, params.memLimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return makeError("crypto.kdf_failed",
                         "Argon2id ran out of memory deriving the key from the passphrase");
    return key;
}

} // namespace conclave::crypto
