// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/AuditChain.h"

#include "crypto/Blake2b.h"

#include <array>

namespace conclave::storage::auditchain {
namespace {

std::array<uint8_t, 8> bigEndian(int64_t value)
{
    std::array<uint8_t, 8> out{};
    auto v = static_cast<uint64_t>(value);
    for (int i = 7; i >= 0; --i, v >>= 8)
        out[static_cast<size_t>(i)] = static_cast<uint8_t>(v & 0xff);
    return out;
}

constexpr std::string_view kSealContext{"conclave-audit-seal-v1\0", 23};

} // namespace

crypto::Bytes genesisHash()
{
    return crypto::Bytes(kHashSize, 0);
}

crypto::Bytes entryHash(crypto::ByteView prevHash, int64_t id, std::string_view at,
                        std::string_view category, std::string_view marking,
                        std::string_view detail)
{
    const auto idBytes = bigEndian(id);
    return crypto::Blake2b(kHashSize)
        .updateField(prevHash)
        .updateField(idBytes)
        .updateField(crypto::asBytes(at))
        .updateField(crypto::asBytes(category))
        .updateField(crypto::asBytes(marking))
        .updateField(crypto::asBytes(detail))
        .finish();
}

crypto::Bytes sealMessage(int64_t entryId, crypto::ByteView entryHash)
{
    crypto::Bytes message(kSealContext.begin(), kSealContext.end());
    const auto idBytes = bigEndian(entryId);
    message.insert(message.end(), idBytes.begin(), idBytes.end());
    message.insert(message.end(), entryHash.begin(), entryHash.end());
    return message;
}

} // namespace conclave::storage::auditchain
