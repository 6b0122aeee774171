// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "crypto/MeetingId.h"
#include "crypto/RosterEntry.h"

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace conclave::crypto {

using RosterHash = std::array<uint8_t, 32>;
/// BLAKE2b-256 of the chair-signed meeting descriptor in force (its exact signed bytes).
using DescriptorHash = std::array<uint8_t, 32>;

/// The signed list of everyone who holds an epoch's keys (docs/e2ee.md §3). A Roster is
/// immutable and always valid: entries in strictly increasing index order, indices below 2^16
/// (they must fit the SFrame KID), no identity or ephemeral key twice, at most one chair,
/// at most 10,000 entries. Its encoding is kept, so hashing and COMMITs do not re-encode it.
class Roster {
public:
    static constexpr size_t kMaxMembers = 10000;
    static constexpr uint32_t kMaxSenderIndex = 0xffff;

    Roster() = default;
    static Result<Roster> create(std::vector<RosterEntry> entries);

    const std::vector<RosterEntry>& entries() const { return m_entries; }
    size_t size() const { return m_entries.size(); }
    bool empty() const { return m_entries.empty(); }
    const RosterEntry* find(uint32_t index) const;
    const RosterEntry* findIdentity(const Ed25519PublicKey& identity) const;

    /// The entries, encoded back to back as they appear in a COMMIT and in the hash.
    const Bytes& encodedEntries() const { return m_encoded; }
    /// H("conclave roster v1" ‖ meeting_id ‖ epoch(8) ‖ entries...).
    RosterHash hash(const MeetingId& meetingId, uint64_t epoch) const;

    /// This roster less the members with the given indices (unknown indices are ignored).
    Result<Roster> without(std::span<const uint32_t> indices) const;

    friend bool operator==(const Roster& a, const Roster& b) { return a.m_encoded == b.m_encoded; }

private:
    std::vector<RosterEntry> m_entries;
    Bytes m_encoded;
};

} // namespace conclave::crypto
