// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Roster.h"

#include "crypto/Blake2b.h"
#include "crypto/ScheduleWire.h"

#include <algorithm>
#include <string>

namespace conclave::crypto {
namespace {

/// True when two of the keys are equal; sorting copies keeps this O(N log N) at 10,000.
template <typename Key>
bool hasDuplicate(std::vector<Key> keys)
{
    std::sort(keys.begin(), keys.end(),
              [](const Key& a, const Key& b) { return a.bytes < b.bytes; });
    return std::adjacent_find(keys.begin(), keys.end()) != keys.end();
}

} // namespace

Result<Roster> Roster::create(std::vector<RosterEntry> entries)
{
    if (entries.empty())
        return makeError("roster.empty", "a roster must contain at least the chair");
    if (entries.size() > kMaxMembers)
        return makeError("roster.too_large", "a roster holds at most 10,000 members, not " +
                                                 std::to_string(entries.size()));
    size_t chairs = 0;
    std::vector<Ed25519PublicKey> identities;
    std::vector<X25519PublicKey> ephemerals;
    identities.reserve(entries.size());
    ephemerals.reserve(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
        const RosterEntry& entry = entries[i];
        if (auto valid = entry.validate(); !valid)
            return valid.error();
        if (entry.index > kMaxSenderIndex)
            return makeError("roster.index_range",
                             "sender index " + std::to_string(entry.index) +
                                 " does not fit the media key id (at most 65535)");
        if (i > 0 && entry.index == entries[i - 1].index)
            return makeError("roster.duplicate_index",
                             "sender index " + std::to_string(entry.index) + " appears twice");
        if (i > 0 && entry.index < entries[i - 1].index)
            return makeError("roster.unordered",
                             "roster entries are not in increasing index order");
        if (entry.role == MemberRole::Chair)
            ++chairs;
        identities.push_back(entry.identity);
        ephemerals.push_back(entry.ephemeral);
    }
    if (chairs > 1)
        return makeError("roster.two_chairs", "a roster names more than one chair");
    if (hasDuplicate(std::move(identities)))
        return makeError("roster.duplicate_identity",
                         "the same identity key appears twice in the roster");
    if (hasDuplicate(std::move(ephemerals)))
        return makeError("roster.duplicate_ephemeral",
                         "the same ephemeral key appears twice in the roster");

    Roster roster;
    roster.m_entries = std::move(entries);
    for (const RosterEntry& entry : roster.m_entries)
        entry.encode(roster.m_encoded);
    return roster;
}

const RosterEntry* Roster::find(uint32_t index) const
{
    const auto it = std::lower_bound(
        m_entries.begin(), m_entries.end(), index,
        [](const RosterEntry& entry, uint32_t wanted) { return entry.index < wanted; });
    return it != m_entries.end() && it->index == index ? &*it : nullptr;
}

const RosterEntry* Roster::findIdentity(const Ed25519PublicKey& identity) const
{
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const RosterEntry& entry) {
        return entry.identity == identity;
    });
    return it != m_entries.end() ? &*it : nullptr;
}

RosterHash Roster::hash(const MeetingId& meetingId, uint64_t epoch) const
{
    Bytes epochBytes;
    schedule_wire::putU64(epochBytes, epoch);
    const Bytes digest = Blake2b(32)
                             .update(asBytes("conclave roster v1"))
                             .update(meetingId.view())
                             .update(epochBytes)
                             .update(m_encoded)
                             .finish();
    RosterHash out;
    std::copy(digest.begin(), digest.end(), out.begin());
    return out;
}

Result<Roster> Roster::without(std::span<const uint32_t> indices) const
{
    std::vector<RosterEntry> kept;
    kept.reserve(m_entries.size());
    for (const RosterEntry& entry : m_entries)
        if (std::find(indices.begin(), indices.end(), entry.index) == indices.end())
            kept.push_back(entry);
    return create(std::move(kept));
}

} // namespace conclave::crypto
