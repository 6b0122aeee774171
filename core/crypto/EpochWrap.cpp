// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/EpochWrap.h"

#include "crypto/Blake2b.h"
#include "crypto/EpochSecret.h"
#include "crypto/ScheduleWire.h"
#include "crypto/Sodium.h"

#include <sodium.h>

#include <algorithm>
#include <cassert>

namespace conclave::crypto::epoch_wrap {

static_assert(kNonceSize == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kWrapSize == epoch_secret::kSize + crypto_aead_xchacha20poly1305_ietf_ABYTES);

std::array<uint8_t, kNonceSize> nonce(const MeetingId& meetingId, uint64_t epoch, uint32_t index)
{
    Bytes suffix;
    schedule_wire::putU64(suffix, epoch);
    schedule_wire::putU32(suffix, index);
    const Bytes digest = Blake2b(32)
                             .update(asBytes("conclave wrap nonce v1"))
                             .update(meetingId.view())
                             .update(suffix)
                             .finish();
    std::array<uint8_t, kNonceSize> out{};
    std::copy_n(digest.begin(), kNonceSize, out.begin());
    return out;
}

Bytes aad(const WrapContext& context, uint32_t index)
{
    Bytes out;
    out.reserve(20 + MeetingId::kSize + 8 + 32 + 4);
    schedule_wire::putLabel(out, "conclave wrap aad v1");
    schedule_wire::putBytes(out, context.meetingId.view());
    schedule_wire::putU64(out, context.epoch);
    schedule_wire::putBytes(out, context.rosterHash);
    schedule_wire::putU32(out, index);
    return out;
}

Wrap seal(const SecureBuffer& wrapKey, const WrapContext& context, uint32_t index,
          const SecureBuffer& input)
{
    ensureSodium();
    assert(wrapKey.size() == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
    assert(input.size() == epoch_secret::kSize);
    const auto n = nonce(context.meetingId, context.epoch, index);
    const Bytes ad = aad(context, index);
    Wrap out{};
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &written, input.data(), input.size(),
                                               ad.data(), ad.size(), nullptr, n.data(),
                                               wrapKey.data());
    assert(written == kWrapSize);
    return out;
}

Result<SecureBuffer> open(const SecureBuffer& wrapKey, const WrapContext& context, uint32_t index,
                          ByteView wrap)
{
    ensureSodium();
    if (wrapKey.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES || wrap.size() != kWrapSize)
        return makeError("commit.unwrap_failed", "the wrapped epoch key has the wrong size");
    const auto n = nonce(context.meetingId, context.epoch, index);
    const Bytes ad = aad(context, index);
    SecureBuffer input(epoch_secret::kSize);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(input.data(), &written, nullptr, wrap.data(),
                                                   wrap.size(), ad.data(), ad.size(), n.data(),
                                                   wrapKey.data()) != 0 ||
        written != epoch_secret::kSize)
        return makeError("commit.unwrap_failed",
                         "the epoch key wrapped for this device does not open: it was made for "
                         "another key or roster, or it was altered");
    return input;
}

} // namespace conclave::crypto::epoch_wrap
