// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"

#include <array>
#include <cstdint>

namespace conclave::crypto {

/// The 128-bit random meeting id from the signed meeting descriptor. Every key-schedule label
/// that could otherwise be replayed from one meeting into another carries it.
struct MeetingId {
    static constexpr size_t kSize = 16;
    std::array<uint8_t, kSize> bytes{};

    ByteView view() const { return bytes; }
    static MeetingId random();
    static Result<MeetingId> fromBytes(ByteView data);
    friend bool operator==(const MeetingId&, const MeetingId&) = default;
};

} // namespace conclave::crypto
