// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/AuditChain.h"

#include "crypto/Blake2b.h"

#include <array>
#include <initializer_list>

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
constexpr std::string_view kRecordedSealContext{"conclave-audit-seal-v2\0", 23};
constexpr std::string_view kSealRecordContext{"conclave-audit-seal-record-v1\0", 30};

crypto::Bytes withContext(std::string_view context, std::initializer_list<int64_t> numbers,
                          crypto::ByteView hash)
{
    crypto::Bytes message(context.begin(), context.end());
    for (int64_t n : numbers) {
        const auto bytes = bigEndian(n);
        message.insert(message.end(), bytes.begin(), bytes.end());
    }
    message.insert(message.end(), hash.begin(), hash.end());
    return message;
}

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
    return withContext(kSealContext, {entryId}, entryHash);
}

crypto::Bytes recordedSealMessage(int64_t entryId, crypto::ByteView entryHash)
{
    return withContext(kRecordedSealContext, {entryId}, entryHash);
}

crypto::Bytes sealRecordMessage(int64_t sealId, int64_t entryId, crypto::ByteView entryHash)
{
    return withContext(kSealRecordContext, {sealId, entryId}, entryHash);
}

} // namespace conclave::storage::auditchain
