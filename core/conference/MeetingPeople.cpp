// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/MeetingPeople.h"

#include "crypto/Fingerprint.h"

#include <algorithm>

namespace conclave::conference {

namespace {

QString fingerprintOf(const crypto::Ed25519PublicKey& key)
{
    return QString::fromStdString(crypto::publicKeyFingerprint(key.view()));
}

} // namespace

std::optional<crypto::Ed25519PublicKey> identityIn(const QByteArray& bytes)
{
    auto key = crypto::Ed25519PublicKey::fromBytes(
        {reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size())});
    return key ? std::optional(*key) : std::nullopt;
}

std::vector<Member> membersOf(const crypto::Roster& roster, std::optional<uint32_t> selfIndex,
                              const std::set<uint32_t>& sharers)
{
    std::vector<Member> out;
    out.reserve(roster.size());
    for (const crypto::RosterEntry& e : roster.entries())
        out.push_back({e.index, QString::fromStdString(e.name), fingerprintOf(e.identity),
                       e.identity, e.role, false, selfIndex == e.index,
                       sharers.count(e.index) > 0});
    return out;
}

std::vector<Knocker> knockersOf(const std::map<QByteArray, meeting::LobbyEntry>& lobby)
{
    std::vector<const meeting::LobbyEntry*> entries;
    for (const auto& [id, entry] : lobby)
        entries.push_back(&entry);
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto* a, const auto* b) { return a->knockedAt < b->knockedAt; });
    std::vector<Knocker> out;
    for (const meeting::LobbyEntry* e : entries)
        out.push_back({e->announcement.identity, e->name, e->fingerprint, e->inviteMatch,
                       e->inviteProblem, e->contactStatus, e->keyVerified});
    return out;
}

std::vector<Knocker> knockersOf(const std::map<QByteArray, QString>& lobby)
{
    std::vector<Knocker> out;
    for (const auto& [id, name] : lobby) {
        if (const auto key = identityIn(id))
            out.push_back(
                {*key, name, fingerprintOf(*key), meeting::InviteMatch::Uninvited, {}, {}, false});
    }
    return out;
}

} // namespace conclave::conference
