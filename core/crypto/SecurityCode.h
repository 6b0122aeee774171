// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Ed25519.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/MeetingId.h"
#include "crypto/Roster.h"

#include <cstdint>
#include <string>

/// Codes people compare aloud (docs/e2ee.md §4), as groups of five digits from BLAKE2b-256.
namespace conclave::crypto::security_code {

/// 20 digits, "ddddd ddddd ddddd ddddd", over meeting id, chair identity and chair ephemeral
/// key: the chair reads it out and every member must see the same.
std::string meetingCode(const MeetingId& meetingId, const Ed25519PublicKey& chairIdentity,
                        const X25519PublicKey& chairEphemeral);

/// 30 digits in 6 groups over meeting id, epoch and roster hash, for the detailed view: equal
/// codes mean the same roster in the same epoch.
std::string epochCode(const MeetingId& meetingId, uint64_t epoch, const RosterHash& rosterHash);

} // namespace conclave::crypto::security_code
