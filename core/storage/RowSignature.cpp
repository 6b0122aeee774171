// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/RowSignature.h"

#include "crypto/Blake2b.h"

namespace conclave::storage {
namespace {

constexpr std::string_view kContext{"conclave-row-v1\0", 16};

} // namespace

crypto::Bytes RowSignature::message(std::string_view table, Fields fields)
{
    crypto::Blake2b hash(32);
    hash.updateField(crypto::asBytes(table));
    for (std::string_view field : fields)
        hash.updateField(crypto::asBytes(field));
    const crypto::Bytes digest = hash.finish();
    crypto::Bytes out(kContext.begin(), kContext.end());
    out.insert(out.end(), digest.begin(), digest.end());
    return out;
}

crypto::Bytes RowSignature::sign(const crypto::Ed25519SigningKey& key, std::string_view table,
                                 Fields fields)
{
    return key.sign(message(table, fields));
}

bool RowSignature::verify(const crypto::Ed25519PublicKey& key, std::string_view table,
                          Fields fields, crypto::ByteView signature)
{
    return crypto::verifyEd25519(key, message(table, fields), signature);
}

} // namespace conclave::storage
