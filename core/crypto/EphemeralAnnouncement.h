// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/Ed25519.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/MeetingId.h"

#include <array>
#include <cstdint>

namespace conclave::crypto {

/// A member's ephemeral key for one meeting, signed by its identity key (docs/e2ee.md §3):
/// Ed25519(identity, "conclave ephemeral v1" ‖ meeting_id ‖ ephemeral_pub). The chair admits
/// only announcements that verify for its own meeting, so nobody can slip in a key of its own
/// under someone else's identity, or reuse an announcement from another meeting.
struct EphemeralAnnouncement {
    MeetingId meetingId;
    Ed25519PublicKey identity;
    X25519PublicKey ephemeral;
    std::array<uint8_t, kEd25519SignatureSize> signature{};

    static EphemeralAnnouncement create(const Ed25519SigningKey& identity,
                                        const MeetingId& meetingId,
                                        const X25519PublicKey& ephemeral);
    /// The exact bytes the identity key signs.
    static Bytes signedMessage(const MeetingId& meetingId, const X25519PublicKey& ephemeral);

    /// keys.wrong_meeting when made for another meeting, keys.bad_announcement when the
    /// signature does not verify under `identity`.
    Result<void> verify(const MeetingId& expectedMeeting) const;

    /// Fixed 144-byte wire form: meeting(16) ‖ identity(32) ‖ ephemeral(32) ‖ signature(64).
    static constexpr size_t kEncodedSize = 144;
    Bytes encode() const;
    /// Exact-size decoding; does not verify (call verify()).
    static Result<EphemeralAnnouncement> decode(ByteView bytes);
};

} // namespace conclave::crypto
