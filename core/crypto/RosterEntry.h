// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/Ed25519.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/ScheduleWire.h"

#include <cstdint>
#include <string>

namespace conclave::crypto {

/// Roles as they are encoded in a roster entry (docs/e2ee.md §3).
enum class MemberRole : uint8_t { Chair = 0, CoChair = 1, Participant = 2, Observer = 3 };

/// One admitted member as the chair signs it:
/// index(4) ‖ role(1) ‖ identity_pub(32) ‖ ephemeral_pub(32) ‖ len(name)(1) ‖ name.
struct RosterEntry {
    static constexpr size_t kMaxNameBytes = 128;
    /// Everything but the name; the smallest an encoded entry can be.
    static constexpr size_t kFixedSize = 4 + 1 + 32 + 32 + 1;

    uint32_t index = 0;
    MemberRole role = MemberRole::Participant;
    Ed25519PublicKey identity;
    X25519PublicKey ephemeral;
    std::string name;

    void encode(Bytes& out) const;
    /// Reads one entry; refuses truncation, an unknown role and a name validate() refuses.
    static Result<RosterEntry> decode(schedule_wire::Reader& reader);
    /// Role 0–3; name at most 128 bytes of valid UTF-8 without control or bidi-override
    /// characters, because names are shown to people who decide by them who is in the room.
    Result<void> validate() const;

    friend bool operator==(const RosterEntry&, const RosterEntry&) = default;
};

} // namespace conclave::crypto
