// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SecretBox.h"

#include "crypto/Sodium.h"

#include <sodium.h>

#include <cassert>

namespace conclave::crypto {

Bytes SecretBox::seal(const SecureBuffer& key, ByteView plaintext)
{
    ensureSodium();
    assert(key.size() == kKeySize);
    Bytes out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
    randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, plaintext.data(),
                          plaintext.size(), out.data(), key.data());
    return out;
}

Result<SecureBuffer> SecretBox::open(const SecureBuffer& key, ByteView sealed)
{
    ensureSodium();
    if (key.size() != kKeySize)
        return makeError("crypto.bad_key", "a sealing key is 32 bytes");
    if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return makeError("crypto.sealed_too_short", "the sealed data is truncated");
    SecureBuffer plain(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES);
    if (crypto_secretbox_open_easy(plain.data(), sealed.data() + crypto_secretbox_NONCEBYTES,
                                   sealed.size() - crypto_secretbox_NONCEBYTES, sealed.data(),
                                   key.data()) != 0)
        return makeError("crypto.unseal_failed",
                         "the sealed data could not be opened: wrong key or the data was changed");
    return plain;
}

} // namespace conclave::crypto
