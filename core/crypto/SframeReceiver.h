// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/ClearPrefix.h"
#include "crypto/ReplayWindow.h"
#include "crypto/SframeAead.h"
#include "crypto/SframeCipherSuite.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <unordered_map>

namespace conclave::crypto {

/// Why frames were dropped, and how many were not. Every unprotect call lands in exactly one
/// of these fields.
struct SframeReceiverStats {
    uint64_t accepted = 0;
    uint64_t unknownKid = 0; ///< no key for the frame's KID (e.g. an epoch not or no longer held)
    uint64_t authFailed = 0; ///< the tag did not verify: wrong key, or a byte was changed
    uint64_t replay = 0;     ///< counter already accepted, or older than the replay window
    uint64_t malformed = 0;  ///< bad header, too short, unknown codec, output buffer too small
};

/// SFrame unprotect (RFC 9605 §4.4.4, docs/e2ee.md §2) for all incoming streams of a meeting.
/// Holds exactly one key per KID and never tries another on failure; each KID has its own
/// replay window, which moves only after a frame authenticated. Failures never throw and never
/// disturb other KIDs: they return an error and are counted in stats().
///
/// Not thread-safe: the caller serialises key changes and unprotect calls.
class SframeReceiver {
public:
    /// Installs the key for `kid`. Adding the key the KID already has changes nothing: its
    /// replay window stays (a re-add must not re-open old counters) and so does a scheduled
    /// removal (a retired key is never revived by a later install). A key that was retired
    /// and has since been wiped is refused (sframe.key_retired). A different key replaces the
    /// old one with a fresh window and no removal (KIDs repeat every 16 epochs, new key).
    Result<void> addKey(uint64_t kid, CipherSuite suite, ByteView baseKey);
    /// Wipes the KID's key now.
    void removeKey(uint64_t kid);
    /// Keeps the KID's key until `at` (frames still in flight from the old epoch decrypt),
    /// then prune() wipes it. Final: an earlier time already set stays, and re-adding the
    /// same key neither cancels the removal nor, once wiped, brings the key back. Does
    /// nothing for a KID without a key.
    void scheduleRemoval(uint64_t kid, TimePoint at);
    /// Wipes every key whose scheduled removal time is at or before `now`.
    void prune(TimePoint now);
    bool hasKey(uint64_t kid) const;
    size_t keyCount() const { return m_streams.size(); }

    /// Largest frame unprotect can return from `wireSize` bytes (the header is at least 1).
    static size_t maxFrameSize(size_t wireSize);

    /// The original frame (clear prefix back in front of the decrypted rest) from a protected
    /// frame of a stream with codec `codec`.
    Result<Bytes> unprotect(MediaCodec codec, ByteView wire);
    /// Same, into `out` (at least maxFrameSize(wire.size()) bytes, not overlapping `wire`)
    /// without allocating; returns the frame's size.
    Result<size_t> unprotectInto(MediaCodec codec, ByteView wire, std::span<uint8_t> out);
    /// Plain RFC 9605 form: `protectedData` is header ‖ ciphertext ‖ tag and `metadata` is
    /// authenticated alongside (the RFC test vectors use this). Same keys, windows and stats.
    Result<Bytes> unprotectWithMetadata(ByteView metadata, ByteView protectedData);

    const SframeReceiverStats& stats() const { return m_stats; }

private:
    struct Stream {
        SframeAead aead;
        ReplayWindow window;
        std::optional<TimePoint> removeAt;
    };

    Result<size_t> open(ByteView metadata, ByteView protectedData, std::span<uint8_t> out);
    Error malformed(Error error);

    std::unordered_map<uint64_t, Stream> m_streams;
    /// Fingerprints (SframeAead::fingerprint, a hash, not the key) of every key ever retired:
    /// one per epoch and stream, so small, and what keeps a retired key out for good.
    std::set<Bytes> m_retired;
    SframeReceiverStats m_stats;
};

} // namespace conclave::crypto
