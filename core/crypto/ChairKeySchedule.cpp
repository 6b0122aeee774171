// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ChairKeySchedule.h"

#include "crypto/ChatCipher.h"
#include "crypto/EpochSecret.h"
#include "crypto/EpochWrap.h"
#include "crypto/SecurityCode.h"

#include <algorithm>
#include <limits>
#include <string>
#include <utility>

namespace conclave::crypto {
namespace {

bool isKnownSuite(uint16_t suite)
{
    return suite == Commit::kSuiteAes256GcmSha512 || suite == Commit::kSuiteChaCha20Poly1305Sha256;
}

Error unknownSuite(uint16_t suite)
{
    return makeError("keys.bad_suite", "cipher suite " + std::to_string(suite) +
                                           " is not one Conclave speaks (0x0005 or 0xF001)");
}

Error epochsExhausted()
{
    return makeError("keys.epochs_exhausted",
                     "this meeting has used every epoch number; start a new meeting");
}

} // namespace

ChairKeySchedule::ChairKeySchedule(Ed25519SigningKey identity, EphemeralKeyPair ephemeral,
                                   const MeetingId& meetingId, uint16_t suite, uint32_t chairIndex)
    : m_identity(std::move(identity)), m_ephemeral(std::move(ephemeral)), m_meetingId(meetingId),
      m_suite(suite), m_chairIndex(chairIndex)
{
}

Result<ChairKeySchedule> ChairKeySchedule::start(Ed25519SigningKey identity,
                                                 EphemeralKeyPair ephemeral,
                                                 const MeetingId& meetingId, uint16_t suite,
                                                 std::string chairName)
{
    if (!isKnownSuite(suite))
        return unknownSuite(suite);
    RosterEntry self;
    self.index = kCreatorIndex;
    self.role = MemberRole::Chair;
    self.identity = identity.publicKey();
    self.ephemeral = ephemeral.publicKey();
    self.name = std::move(chairName);
    auto roster = Roster::create({std::move(self)});
    if (!roster)
        return roster.error();

    ChairKeySchedule schedule(std::move(identity), std::move(ephemeral), meetingId, suite,
                              kCreatorIndex);
    schedule.m_roster = std::move(roster).value();
    schedule.m_rosterHash = schedule.m_roster.hash(meetingId, 0);
    schedule.m_input = epoch_secret::freshInput();
    schedule.m_secret =
        epoch_secret::derive(schedule.m_rosterHash, schedule.m_descriptorHash, schedule.m_input);
    return schedule;
}

Result<Commit> ChairKeySchedule::admit(const std::vector<Admission>& newcomers)
{
    if (newcomers.empty())
        return makeError("keys.nothing_to_admit", "there is nobody to admit");
    if (m_epoch == std::numeric_limits<uint64_t>::max())
        return epochsExhausted();
    if (newcomers.size() > Roster::kMaxSenderIndex + 1 - m_nextIndex)
        return makeError("keys.indices_exhausted",
                         "this meeting has given out all 65,535 sender indices; start a new "
                         "meeting to admit more people");

    std::vector<RosterEntry> entries = m_roster.entries();
    uint32_t index = m_nextIndex;
    for (const Admission& admission : newcomers) {
        if (auto verified = admission.announcement.verify(m_meetingId); !verified)
            return verified.error();
        if (admission.role == MemberRole::Chair)
            return makeError("keys.bad_role",
                             "a newcomer cannot be admitted as chair; the chair changes by "
                             "delegation and a new key schedule");
        if (m_roster.findIdentity(admission.announcement.identity))
            return makeError("keys.already_member",
                             "this identity is already in the meeting; remove it first if the "
                             "device rejoined");
        RosterEntry entry;
        entry.index = index++;
        entry.role = admission.role;
        entry.identity = admission.announcement.identity;
        entry.ephemeral = admission.announcement.ephemeral;
        entry.name = admission.name;
        entries.push_back(std::move(entry));
    }
    auto roster = Roster::create(std::move(entries));
    if (!roster)
        return roster.error();

    const uint64_t epoch = m_epoch + 1;
    const RosterHash hash = roster->hash(m_meetingId, epoch);
    auto input = epoch_secret::admitInput(m_secret);
    if (!input)
        return input.error();
    const epoch_wrap::WrapContext context{m_meetingId, epoch, hash};
    std::vector<WrappedInput> wraps;
    wraps.reserve(newcomers.size());
    for (uint32_t i = m_nextIndex; i < index; ++i) {
        const RosterEntry* entry = roster->find(i);
        auto wrapKey = m_wrapKeys.get(i, entry->ephemeral, m_ephemeral);
        if (!wrapKey) {
            m_wrapKeys.retainOnly(m_roster); // forget keys of newcomers not admitted after all
            return wrapKey.error();
        }
        wraps.push_back({i, epoch_wrap::seal(**wrapKey, context, i, *input)});
    }
    m_nextIndex = index;
    return finish(CommitKind::Admit, CommitReason::Join, std::move(roster).value(), hash,
                  std::move(input).value(), std::move(wraps));
}

Result<Commit> ChairKeySchedule::rekey(CommitReason reason, const Roster& remaining)
{
    if (reason == CommitReason::Join || reason == CommitReason::Resync)
        return makeError("keys.bad_reason", "a rekey needs a reason other than 'join' or 'resync'");
    const RosterEntry* self = remaining.find(m_chairIndex);
    if (!self || !(*self == *m_roster.find(m_chairIndex)))
        return makeError("keys.bad_roster_change",
                         "the roster after a rekey must keep the chair's own entry unchanged");
    for (const RosterEntry& entry : remaining.entries()) {
        const RosterEntry* current = m_roster.find(entry.index);
        if (!current || !(current->identity == entry.identity) ||
            !(current->ephemeral == entry.ephemeral) || current->name != entry.name)
            return makeError("keys.bad_roster_change",
                             "a rekey may only remove members or change roles; member " +
                                 std::to_string(entry.index) +
                                 " is new or has other keys or another name");
    }
    return rekeyTo(reason, remaining);
}

Result<std::pair<ChairKeySchedule, Commit>> ChairKeySchedule::takeOver(Ed25519SigningKey identity,
                                                                       EphemeralKeyPair ephemeral,
                                                                       const MeetingId& meetingId,
                                                                       const Succession& from)
{
    if (!isKnownSuite(from.suite))
        return unknownSuite(from.suite);
    const RosterEntry* own = from.roster.find(from.ownIndex);
    if (!own || !(own->identity == identity.publicKey()) ||
        !(own->ephemeral == ephemeral.publicKey()))
        return makeError("keys.bad_succession",
                         "only the member holding this roster entry's identity and ephemeral "
                         "key can take the chair over from it");
    // Everyone stays but the old chair (silent or gone: it must not keep the key); the
    // successor keeps its index and becomes the one chair.
    std::vector<RosterEntry> entries;
    entries.reserve(from.roster.size());
    for (const RosterEntry& entry : from.roster.entries()) {
        if (entry.role == MemberRole::Chair)
            continue;
        entries.push_back(entry);
        if (entry.index == from.ownIndex)
            entries.back().role = MemberRole::Chair;
    }
    auto roster = Roster::create(std::move(entries));
    if (!roster)
        return roster.error();

    ChairKeySchedule schedule(std::move(identity), std::move(ephemeral), meetingId, from.suite,
                              from.ownIndex);
    schedule.m_epoch = from.epoch;
    schedule.m_descriptorHash = from.descriptorHash;
    schedule.m_nextIndex = std::max(from.nextIndex, from.ownIndex + 1);
    auto commit = schedule.rekeyTo(CommitReason::ChairChanged, *roster);
    if (!commit)
        return commit.error();
    return std::make_pair(std::move(schedule), std::move(commit).value());
}

Result<Commit> ChairKeySchedule::rekeyTo(CommitReason reason, const Roster& roster)
{
    if (m_epoch == std::numeric_limits<uint64_t>::max())
        return epochsExhausted();
    const uint64_t epoch = m_epoch + 1;
    const RosterHash hash = roster.hash(m_meetingId, epoch);
    SecureBuffer input = epoch_secret::freshInput();
    const epoch_wrap::WrapContext context{m_meetingId, epoch, hash};
    std::vector<WrappedInput> wraps;
    wraps.reserve(roster.size());
    for (const RosterEntry& entry : roster.entries()) {
        if (entry.index == m_chairIndex)
            continue;
        // Cached since admission for the chair that admitted them; computed once here for
        // everyone when a co-chair has just taken over.
        auto wrapKey = m_wrapKeys.get(entry.index, entry.ephemeral, m_ephemeral);
        if (!wrapKey)
            return wrapKey.error();
        wraps.push_back({entry.index, epoch_wrap::seal(**wrapKey, context, entry.index, input)});
    }
    m_wrapKeys.retainOnly(roster);
    return finish(CommitKind::Rekey, reason, roster, hash, std::move(input), std::move(wraps));
}

Result<Commit> ChairKeySchedule::resync(uint32_t index)
{
    const RosterEntry* entry = m_roster.find(index);
    if (m_epoch == 0 || !entry || index == m_chairIndex)
        return makeError("keys.unknown_member",
                         "sender index " + std::to_string(index) +
                             " is not a member of the current epoch other than the chair; "
                             "there is nothing to send it again");
    auto wrapKey = m_wrapKeys.get(index, entry->ephemeral, m_ephemeral);
    if (!wrapKey)
        return wrapKey.error();
    // The very wrap any COMMIT of this epoch gave (or would have given) this member: same key,
    // nonce, associated data and input, so the sealed bytes are the same - no nonce is ever
    // used for a second plaintext.
    const epoch_wrap::WrapContext context{m_meetingId, m_epoch, m_rosterHash};
    Commit commit;
    commit.meetingId = m_meetingId;
    commit.epoch = m_epoch;
    commit.kind = CommitKind::Resync;
    commit.reason = CommitReason::Resync;
    commit.chairIndex = m_chairIndex;
    commit.suite = m_suite;
    commit.rosterHash = m_rosterHash;
    commit.descriptorHash = m_descriptorHash;
    commit.roster = m_roster;
    commit.wraps = {{index, epoch_wrap::seal(**wrapKey, context, index, m_input)}};
    commit.nextIndex = m_nextIndex;
    commit.sign(m_identity);
    return commit;
}

Commit ChairKeySchedule::finish(CommitKind kind, CommitReason reason, Roster roster,
                                const RosterHash& hash, SecureBuffer input,
                                std::vector<WrappedInput> wraps)
{
    Commit commit;
    commit.meetingId = m_meetingId;
    commit.epoch = m_epoch + 1;
    commit.kind = kind;
    commit.reason = reason;
    commit.chairIndex = m_chairIndex;
    commit.suite = m_suite;
    commit.rosterHash = hash;
    commit.descriptorHash = m_descriptorHash;
    commit.roster = roster;
    commit.wraps = std::move(wraps);
    commit.sign(m_identity);

    m_epoch = commit.epoch;
    m_secret = epoch_secret::derive(hash, m_descriptorHash, input);
    m_input = std::move(input);
    m_roster = std::move(roster);
    m_rosterHash = hash;
    return commit;
}

Result<void> ChairKeySchedule::setSuite(uint16_t suite)
{
    if (!isKnownSuite(suite))
        return unknownSuite(suite);
    m_suite = suite;
    return {};
}

Result<MediaKey> ChairKeySchedule::mediaKey(uint32_t senderIndex, MediaContext context) const
{
    if (!m_roster.find(senderIndex))
        return makeError("keys.unknown_sender",
                         "sender " + std::to_string(senderIndex) + " is not in the current roster");
    return deriveMediaKey(m_secret, m_epoch, senderIndex, context);
}

std::string ChairKeySchedule::meetingCode() const
{
    return security_code::meetingCode(m_meetingId, identity(), ephemeralKey());
}

std::string ChairKeySchedule::epochCode() const
{
    return security_code::epochCode(m_meetingId, m_epoch, m_rosterHash);
}

Result<SecureBuffer> ChairKeySchedule::chatKey() const
{
    return chat_cipher::deriveKey(m_secret, m_epoch);
}

} // namespace conclave::crypto
