// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace conclave::crypto {

/// The SFrame header, RFC 9605 §4.3: a config byte X|K(3)|Y|C(3), then the KID and the
/// counter. A value below 8 sits in its 3 bits with the flag clear; otherwise the flag is set,
/// the 3 bits say (byte length − 1) and the value follows in its minimal big-endian bytes.
/// Decoding accepts exactly one encoding per (KID, CTR): truncated and non-minimal input
/// (a flagged value below 8, a leading zero byte) is refused.
struct SframeHeader {
    static constexpr size_t kMaxSize = 1 + 8 + 8;

    uint64_t kid = 0;
    uint64_t counter = 0;
    size_t size = 0; ///< bytes the header occupies

    static Bytes encode(uint64_t kid, uint64_t counter);
    /// Writes the header into `out` without allocating; returns its size.
    static size_t encodeInto(uint64_t kid, uint64_t counter, std::span<uint8_t, kMaxSize> out);
    static size_t encodedSize(uint64_t kid, uint64_t counter);
    /// Reads the header at the start of `bytes`; bytes after it are not looked at.
    static Result<SframeHeader> decode(ByteView bytes);
};

} // namespace conclave::crypto
