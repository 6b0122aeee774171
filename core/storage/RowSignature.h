// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Bytes.h"
#include "crypto/Ed25519.h"

#include <initializer_list>
#include <string_view>

namespace conclave::storage {

/// Authenticates one database row with the device identity key, so that a row edited outside
/// Conclave (or copied from another device's database) is recognised instead of trusted. The
/// signed message is "conclave-row-v1" NUL followed by the BLAKE2b-256 of the length-prefixed
/// table name and field texts, in the order the caller gives them; the row stores the 64-byte
/// Ed25519 signature. Verifying needs only the public key.
class RowSignature {
public:
    using Fields = std::initializer_list<std::string_view>;

    static crypto::Bytes sign(const crypto::Ed25519SigningKey& key, std::string_view table,
                              Fields fields);
    static bool verify(const crypto::Ed25519PublicKey& key, std::string_view table, Fields fields,
                       crypto::ByteView signature);

private:
    static crypto::Bytes message(std::string_view table, Fields fields);
};

} // namespace conclave::storage
