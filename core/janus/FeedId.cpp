// SPDX-License-Identifier: GPL-3.0-or-later
#include "janus/FeedId.h"

#include "crypto/Blake2b.h"

#include <array>
#include <string_view>

namespace conclave::janus {

namespace {
constexpr std::string_view kLabel = "conclave janus feed id v1";
constexpr std::uint64_t kMask = (std::uint64_t{1} << 52) - 1;
} // namespace

std::uint64_t feedIdFor(std::uint64_t room, const QByteArray& identityKey32)
{
    if (identityKey32.size() != 32)
        return 0;
    std::array<std::uint8_t, 8> roomBytes{};
    for (int i = 0; i < 8; ++i)
        roomBytes[std::size_t(i)] = std::uint8_t(room >> (56 - 8 * i));
    const crypto::ByteView identity(
        reinterpret_cast<const std::uint8_t*>(identityKey32.constData()), 32);
    // 0 means "no id" to Janus (it would pick one): hash again with a counter in the
    // (astronomically unlikely) case the first 52 bits are all zero.
    for (std::uint8_t attempt = 0;; ++attempt) {
        crypto::Blake2b hash(32);
        hash.update(crypto::asBytes(kLabel)).update(roomBytes).update(identity);
        if (attempt != 0)
            hash.update(crypto::ByteView(&attempt, 1));
        const crypto::Bytes digest = hash.finish();
        std::uint64_t id = 0;
        for (int i = 0; i < 8; ++i)
            id = (id << 8) | digest[std::size_t(i)];
        id &= kMask;
        if (id != 0)
            return id;
    }
}

} // namespace conclave::janus
