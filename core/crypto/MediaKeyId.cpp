// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/MediaKeyId.h"

#include "crypto/Hkdf.h"
#include "crypto/ScheduleWire.h"

#include <string>

namespace conclave::crypto {
namespace {

bool isKnownContext(MediaContext context)
{
    return static_cast<uint8_t>(context) <= static_cast<uint8_t>(MediaContext::Screen);
}

} // namespace

Result<uint64_t> MediaKeyId::pack(MediaContext context, uint32_t senderIndex, uint64_t epoch)
{
    if (!isKnownContext(context))
        return makeError("keys.bad_kid",
                         "unknown media context " + std::to_string(static_cast<unsigned>(context)));
    if (senderIndex >> kSenderBits != 0)
        return makeError("keys.bad_kid", "sender index " + std::to_string(senderIndex) +
                                             " does not fit the media key id (at most 65535)");
    return MediaKeyId{context, senderIndex,
                      static_cast<uint8_t>(epoch & ((uint64_t(1) << kEpochBits) - 1))}
        .value();
}

Result<MediaKeyId> MediaKeyId::unpack(uint64_t kid)
{
    if (kid >= kMaxKid)
        return makeError("keys.bad_kid",
                         "key id " + std::to_string(kid) + " names no known media context");
    MediaKeyId id;
    id.context = static_cast<MediaContext>(kid >> (kSenderBits + kEpochBits));
    id.senderIndex = static_cast<uint32_t>((kid >> kEpochBits) & ((1u << kSenderBits) - 1));
    id.epochBits = static_cast<uint8_t>(kid & ((1u << kEpochBits) - 1));
    return id;
}

uint64_t MediaKeyId::value() const
{
    return uint64_t(context) << (kSenderBits + kEpochBits) | uint64_t(senderIndex) << kEpochBits |
           epochBits;
}

Result<MediaKey> deriveMediaKey(const SecureBuffer& epochSecret, uint64_t epoch,
                                uint32_t senderIndex, MediaContext context)
{
    auto kid = MediaKeyId::pack(context, senderIndex, epoch);
    if (!kid)
        return kid.error();
    Bytes info;
    schedule_wire::putLabel(info, "conclave sframe base v1");
    schedule_wire::putU32(info, senderIndex);
    schedule_wire::putU8(info, static_cast<uint8_t>(context));
    auto baseKey = hkdf::expand(HashAlgorithm::Sha256, epochSecret.view(), info, 32);
    if (!baseKey)
        return baseKey.error();
    return MediaKey{*kid, std::move(baseKey).value()};
}

} // namespace conclave::crypto
