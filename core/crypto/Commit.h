// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/Ed25519.h"
#include "crypto/EpochWrap.h"
#include "crypto/MeetingId.h"
#include "crypto/Roster.h"

#include <array>
#include <cstdint>
#include <vector>

namespace conclave::crypto {

/// Admit and Rekey change the epoch; Resync gives one member who missed COMMITs the current
/// epoch again (docs/e2ee.md §3, "Resync"), and is never accepted as an epoch change.
enum class CommitKind : uint8_t { Admit = 0, Rekey = 1, Resync = 2 };

/// Why an epoch changed. An admit always carries Join; a rekey carries one of the others.
enum class CommitReason : uint8_t {
    Join = 0,
    Removed = 1,
    Left = 2,
    Locked = 3,
    ChairChanged = 4,
    Periodic = 5,
    Relabelled = 6, ///< the marking changed: new keys bound to the new descriptor revision
    Resync = 7,     ///< only with CommitKind::Resync
};

struct WrappedInput {
    uint32_t index = 0;
    epoch_wrap::Wrap wrap{};

    friend bool operator==(const WrappedInput&, const WrappedInput&) = default;
};

/// The chair-signed epoch change (docs/e2ee.md §3, "COMMIT"). On the wire it is the signed
/// bytes followed by the 64-byte signature:
///   "conclave commit v2" ‖ meeting_id(16) ‖ epoch(8) ‖ kind(1) ‖ reason(1) ‖ chair_index(4)
///   ‖ suite(2) ‖ roster_hash(32) ‖ descriptor_hash(32) ‖ count(4) ‖ entries ‖ wrap_count(4)
///   ‖ {index(4) ‖ wrap(48)} ‖ [next_index(4), a Resync only] ‖ signature(64)
/// decode() only accepts what encode() can produce, so an accepted COMMIT re-encodes to the
/// very same bytes. It checks form, not authority: the signature, epoch, roster hash and the
/// reader's own entry are MemberKeySchedule's checks.
struct Commit {
    static constexpr uint16_t kSuiteAes256GcmSha512 = 0x0005;
    static constexpr uint16_t kSuiteChaCha20Poly1305Sha256 = 0xf001;
    static constexpr size_t kWrapEntrySize = 4 + epoch_wrap::kWrapSize;

    MeetingId meetingId;
    uint64_t epoch = 0;
    CommitKind kind = CommitKind::Admit;
    CommitReason reason = CommitReason::Join;
    uint32_t chairIndex = 0;
    uint16_t suite = kSuiteChaCha20Poly1305Sha256;
    RosterHash rosterHash{};
    /// The meeting descriptor revision this epoch belongs to; mixed into the epoch secret.
    DescriptorHash descriptorHash{};
    Roster roster;
    /// Strictly increasing index order, never the chair's own index.
    std::vector<WrappedInput> wraps;
    /// A Resync only: the chair's next unused sender index, which the member could not learn
    /// from rosters it missed (a successor must never give an index out twice).
    uint32_t nextIndex = 0;
    std::array<uint8_t, kEd25519SignatureSize> signature{};

    /// The bytes the chair signs (everything but the signature).
    Bytes signedBytes() const;
    Bytes encode() const;
    /// commit.malformed, with a message saying what is wrong, for anything encode() could not
    /// have produced from a well-formed COMMIT.
    static Result<Commit> decode(ByteView data);

    /// Consistency of the fields among themselves (what decode() enforces beyond syntax):
    /// epoch ≥ 1, reason fits kind, known suite, the chair's entry present with the chair role,
    /// wraps ordered, for roster members other than the chair, one per member on a rekey and
    /// at least one on an admit, exactly one on a resync.
    Result<void> checkForm() const;

    void sign(const Ed25519SigningKey& chair);
    bool verifySignature(const Ed25519PublicKey& chair) const;
    const WrappedInput* findWrap(uint32_t index) const;
};

} // namespace conclave::crypto
