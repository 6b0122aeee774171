// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/ClearPrefix.h"
#include "crypto/SframeAead.h"
#include "crypto/SframeCipherSuite.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>

namespace conclave::crypto {

/// SFrame protect (RFC 9605 §4.4.3, docs/e2ee.md §2) for one participant's outgoing streams.
/// Holds one key and one counter per KID. A protected frame is
///     clear prefix ‖ header(KID, CTR) ‖ AEAD(key, salt XOR CTR, header ‖ prefix, rest of frame)
/// The counter starts at 0 when a KID's key is set, is never persisted and never reused; at
/// 2^48 the KID refuses to protect (a new epoch comes long before).
///
/// Not thread-safe: one sender per outgoing media thread, or the caller serialises.
class SframeSender {
public:
    static constexpr uint64_t kCounterLimit = uint64_t(1) << 48;
    /// Most bytes protect() adds to a frame: the longest header plus the tag.
    static constexpr size_t kMaxOverhead = 17 + SframeAead::kTagSize;

    /// `counterLimit` may only lower kCounterLimit (tests use it to reach the limit).
    explicit SframeSender(uint64_t counterLimit = kCounterLimit);

    /// Installs the key for `kid` with its counter at 0. Setting the key a KID already has
    /// changes nothing (the counter continues). A key this sender used before and has since
    /// replaced or removed is refused: starting its counter again would repeat nonces.
    Result<void> setKey(uint64_t kid, CipherSuite suite, ByteView baseKey);
    /// Wipes the KID's key; protect() with it fails afterwards.
    void removeKey(uint64_t kid);
    bool hasKey(uint64_t kid) const;
    /// The counter the next frame under `kid` will carry.
    std::optional<uint64_t> nextCounter(uint64_t kid) const;

    static size_t maxProtectedSize(size_t frameSize) { return frameSize + kMaxOverhead; }

    /// Protects one frame of a stream with codec `codec` under `kid`.
    Result<Bytes> protect(uint64_t kid, MediaCodec codec, ByteView frame);
    /// Same, into `out` (at least maxProtectedSize(frame.size()) bytes, not overlapping
    /// `frame`) without allocating; returns the protected size. No counter is spent on failure.
    Result<size_t> protectInto(uint64_t kid, MediaCodec codec, ByteView frame,
                               std::span<uint8_t> out);

    /// FOR TEST VECTORS ONLY: RFC 9605 protection with the counter given by the caller and
    /// explicit metadata, returning header ‖ ciphertext ‖ tag. It keeps no state, so it cannot
    /// know whether the counter was used before; real media goes through protect().
    static Result<Bytes> protectWithCounterForTestVectors(CipherSuite suite, ByteView baseKey,
                                                          uint64_t kid, uint64_t counter,
                                                          ByteView metadata, ByteView payload);

private:
    struct Stream {
        SframeAead aead;
        uint64_t nextCounter = 0;
    };

    uint64_t m_counterLimit;
    std::unordered_map<uint64_t, Stream> m_streams;
    std::set<Bytes> m_usedKeys; // fingerprints of every key installed, see setKey()
};

} // namespace conclave::crypto
