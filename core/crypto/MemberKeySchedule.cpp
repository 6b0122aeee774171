// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/MemberKeySchedule.h"

#include "crypto/ChatCipher.h"
#include "crypto/EpochSecret.h"
#include "crypto/EpochWrap.h"
#include "crypto/SecurityCode.h"

#include <algorithm>
#include <string>
#include <utility>

namespace conclave::crypto {

MemberKeySchedule::MemberKeySchedule(const Ed25519PublicKey& identity, EphemeralKeyPair ephemeral,
                                     const MeetingId& meetingId,
                                     const Ed25519PublicKey& chairIdentity)
    : m_identity(identity), m_ephemeral(std::move(ephemeral)), m_meetingId(meetingId),
      m_chairIdentity(chairIdentity)
{
}

Result<EpochChange> MemberKeySchedule::process(ByteView encodedCommit)
{
    if (m_state == State::Removed)
        return notMember(); // not even worth decoding
    auto commit = Commit::decode(encodedCommit);
    if (!commit)
        return commit.error();
    return process(*commit);
}

Result<EpochChange> MemberKeySchedule::process(const Commit& commit)
{
    if (m_state == State::Removed)
        return notMember();
    if (auto form = commit.checkForm(); !form)
        return form.error();
    if (commit.kind == CommitKind::Resync)
        return makeError("commit.not_an_epoch_change",
                         "a resync repeats an epoch for one member; it is not a key change");
    const Ed25519PublicKey* signer = signerOf(commit);
    if (!signer)
        return makeError("commit.bad_signature",
                         "the key change is not signed by this meeting's chair; it was altered "
                         "or made by someone else and is ignored");
    if (!(commit.meetingId == m_meetingId))
        return makeError("commit.wrong_meeting",
                         "the key change belongs to another meeting of the same chair");
    if (m_state == State::Member && commit.epoch <= m_epoch)
        return makeError("commit.replayed", "the key change for epoch " +
                                                std::to_string(commit.epoch) +
                                                " is old or was already applied");
    if (m_state == State::Member && commit.epoch != m_epoch + 1)
        return makeError("commit.skipped", "the key change for epoch " +
                                               std::to_string(commit.epoch) +
                                               " skips epochs after " + std::to_string(m_epoch) +
                                               "; the missing key changes must be delivered first");
    const RosterHash hash = commit.roster.hash(m_meetingId, commit.epoch);
    if (hash != commit.rosterHash)
        return makeError("commit.roster_mismatch",
                         "the key change's roster hash does not match its roster");
    if (commit.descriptorHash != m_descriptorHash)
        return makeError(
            "commit.descriptor_mismatch",
            "the key change belongs to another revision of the meeting description than the "
            "one this device was shown (the marking or options may differ - an old one may have "
            "been replayed); it is refused and nothing is decrypted under it");
    const RosterEntry* chair = commit.roster.find(commit.chairIndex);
    if (!(chair->identity == *signer))
        return makeError("commit.bad_chair_entry",
                         "the roster names someone other than the signing chair as chair");
    const bool chairChange = signer != &m_chairIdentity;
    if (chairChange)
        if (auto ok = checkChairChange(commit); !ok)
            return ok.error();

    const RosterEntry* own = commit.roster.findIdentity(m_identity);
    const bool ownKeyElsewhere =
        std::any_of(commit.roster.entries().begin(), commit.roster.entries().end(),
                    [&](const RosterEntry& e) { return e.ephemeral == m_ephemeral.publicKey(); });
    if (!own && !ownKeyElsewhere) {
        if (m_state == State::Waiting)
            return makeError("commit.not_admitted",
                             "this device is not in the key change's roster (not admitted yet)");
        // A verified, current COMMIT without us: we were removed. Forget the secret for good.
        m_state = State::Removed;
        m_secret = SecureBuffer();
        m_roster = Roster();
        m_wrapKeys.clear();
        return makeError("commit.removed",
                         "this device was removed from the meeting and holds no key for epoch " +
                             std::to_string(commit.epoch) +
                             "; it must knock again to be admitted with a new key");
    }
    if (!own || !(own->ephemeral == m_ephemeral.publicKey()) ||
        (m_state == State::Member && own->index != m_ownIndex))
        return makeError("commit.own_entry_mismatch",
                         "the roster lists this device with another key or index; the roster "
                         "was forged or forked and the key change is refused");

    auto input = epochInput(commit, own->index);
    if (!input)
        return input.error();

    if (chairChange) {
        m_chairIdentity = *m_successor;
        m_successor.reset();
    }
    m_state = State::Member;
    m_epoch = commit.epoch;
    m_ownIndex = own->index;
    m_nextIndex = std::max(m_nextIndex, commit.roster.entries().back().index + 1);
    m_chairIndex = commit.chairIndex;
    m_suite = commit.suite;
    m_secret = epoch_secret::derive(hash, m_descriptorHash, *input);
    m_roster = commit.roster;
    m_rosterHash = hash;
    return EpochChange{m_epoch, commit.kind, commit.reason, m_suite, m_ownIndex};
}

Result<EpochChange> MemberKeySchedule::resync(ByteView encodedResync)
{
    if (m_state != State::Member)
        return notMember();
    auto commit = Commit::decode(encodedResync);
    if (!commit)
        return commit.error();
    if (commit->kind != CommitKind::Resync)
        return makeError("commit.not_a_resync", "a key change came where a resync was expected");
    // Only the chair this member trusts: one that took over while it was away is not known
    // here, and a member that missed a chair change knocks again (docs/protocol.md §7).
    if (!commit->verifySignature(m_chairIdentity))
        return makeError("commit.bad_signature",
                         "the resync is not signed by this meeting's chair; it is ignored");
    if (!(commit->meetingId == m_meetingId))
        return makeError("commit.wrong_meeting",
                         "the resync belongs to another meeting of the same chair");
    if (commit->epoch < m_epoch)
        return makeError("commit.replayed", "the resync for epoch " +
                                                std::to_string(commit->epoch) +
                                                " is older than the epoch this device holds");
    const RosterHash hash = commit->roster.hash(m_meetingId, commit->epoch);
    if (hash != commit->rosterHash)
        return makeError("commit.roster_mismatch",
                         "the resync's roster hash does not match its roster");
    if (commit->epoch == m_epoch) {
        if (hash != m_rosterHash)
            return makeError("commit.roster_fork",
                             "the resync shows another roster for the epoch this device holds: "
                             "someone forged or forked the roster");
        return EpochChange{m_epoch, CommitKind::Resync, CommitReason::Resync, m_suite, m_ownIndex};
    }
    if (commit->descriptorHash != m_descriptorHash)
        return makeError("commit.descriptor_mismatch",
                         "the resync belongs to another revision of the meeting description than "
                         "the one this device holds; it is refused");
    if (!(commit->roster.find(commit->chairIndex)->identity == m_chairIdentity))
        return makeError("commit.bad_chair_entry",
                         "the roster names someone other than the signing chair as chair");
    const RosterEntry* own = commit->roster.find(m_ownIndex);
    if (!own || !(own->identity == m_identity) || !(own->ephemeral == m_ephemeral.publicKey()))
        return makeError("commit.own_entry_mismatch",
                         "the resync does not list this device at its index with its keys");
    auto input = epochInput(*commit, m_ownIndex);
    if (!input)
        return input.error();
    m_epoch = commit->epoch;
    m_nextIndex =
        std::max({m_nextIndex, commit->nextIndex, commit->roster.entries().back().index + 1});
    m_chairIndex = commit->chairIndex;
    m_suite = commit->suite;
    m_secret = epoch_secret::derive(hash, m_descriptorHash, *input);
    m_roster = commit->roster;
    m_rosterHash = hash;
    return EpochChange{m_epoch, CommitKind::Resync, CommitReason::Resync, m_suite, m_ownIndex};
}

const Ed25519PublicKey* MemberKeySchedule::signerOf(const Commit& commit) const
{
    if (commit.verifySignature(m_chairIdentity))
        return &m_chairIdentity;
    if (m_successor && commit.verifySignature(*m_successor))
        return &*m_successor;
    return nullptr;
}

Result<void> MemberKeySchedule::checkChairChange(const Commit& commit) const
{
    if (m_state == State::Waiting)
        return {}; // the chair changed before we were admitted: its first COMMIT is our first
    // A member saw the successor in the roster it holds; the new chair must be that entry,
    // keys and index unchanged, and the change must be a rekey that says so.
    const RosterEntry* before = m_roster.find(commit.chairIndex);
    const RosterEntry* after = commit.roster.find(commit.chairIndex);
    if (commit.kind != CommitKind::Rekey || commit.reason != CommitReason::ChairChanged)
        return makeError("commit.bad_chair_change",
                         "a delegated co-chair's first key change must be a chair-change rekey");
    if (!before || !(before->identity == after->identity) ||
        !(before->ephemeral == after->ephemeral))
        return makeError("commit.bad_chair_change",
                         "the new chair is not the delegated co-chair's entry in the current "
                         "roster (same index and keys); the chair change is refused");
    return {};
}

Result<Succession> MemberKeySchedule::succession() const
{
    if (m_state != State::Member)
        return notMember();
    return Succession{m_epoch, m_roster, m_ownIndex, m_nextIndex, m_suite, m_descriptorHash};
}

Result<SecureBuffer> MemberKeySchedule::epochInput(const Commit& commit, uint32_t ownIndex)
{
    // An existing member ratchets an admit itself; a newcomer, and everyone on a rekey, unwraps.
    if (commit.kind == CommitKind::Admit && m_state == State::Member)
        return epoch_secret::admitInput(m_secret);
    const WrappedInput* wrap = commit.findWrap(ownIndex);
    if (!wrap)
        return makeError("commit.missing_wrap",
                         m_state == State::Member
                             ? "the rekey carries no key for this device"
                             : "the key change carries no key for this device, which has no "
                               "earlier epoch to derive it from");
    const RosterEntry* chair = commit.roster.find(commit.chairIndex);
    if (!m_wrapKeys.contains(commit.chairIndex))
        m_wrapKeys.clear(); // at most one key: the one with the current chair
    auto wrapKey = m_wrapKeys.get(commit.chairIndex, chair->ephemeral, m_ephemeral);
    if (!wrapKey)
        return wrapKey.error();
    const epoch_wrap::WrapContext context{m_meetingId, commit.epoch, commit.rosterHash};
    return epoch_wrap::open(**wrapKey, context, ownIndex, wrap->wrap);
}

Result<MediaKey> MemberKeySchedule::mediaKey(uint32_t senderIndex, MediaContext context) const
{
    if (m_state != State::Member)
        return notMember();
    if (!m_roster.find(senderIndex))
        return makeError("keys.unknown_sender",
                         "sender " + std::to_string(senderIndex) + " is not in the current roster");
    return deriveMediaKey(m_secret, m_epoch, senderIndex, context);
}

std::optional<uint32_t> MemberKeySchedule::ownIndex() const
{
    return m_state == State::Member ? std::optional<uint32_t>(m_ownIndex) : std::nullopt;
}

Result<std::string> MemberKeySchedule::meetingCode() const
{
    if (m_state != State::Member)
        return notMember();
    return security_code::meetingCode(m_meetingId, m_chairIdentity,
                                      m_roster.find(m_chairIndex)->ephemeral);
}

Result<std::string> MemberKeySchedule::epochCode() const
{
    if (m_state != State::Member)
        return notMember();
    return security_code::epochCode(m_meetingId, m_epoch, m_rosterHash);
}

Error MemberKeySchedule::notMember() const
{
    if (m_state == State::Removed)
        return makeError("keys.removed",
                         "this device was removed from the meeting; it must knock again to be "
                         "admitted with a new key");
    return makeError("keys.not_member", "this device has not been admitted to the meeting yet");
}

Result<SecureBuffer> MemberKeySchedule::chatKey() const
{
    if (m_state != State::Member)
        return notMember();
    return chat_cipher::deriveKey(m_secret, m_epoch);
}

} // namespace conclave::crypto
