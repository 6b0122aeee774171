// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Commit.h"
#include "crypto/Ed25519.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/MediaKeyId.h"
#include "crypto/MeetingId.h"
#include "crypto/Roster.h"
#include "crypto/SecureBuffer.h"
#include "crypto/Succession.h"
#include "crypto/WrapKeyCache.h"

#include <cstdint>
#include <optional>
#include <string>

namespace conclave::crypto {

/// What a member learns from a COMMIT it accepted.
struct EpochChange {
    uint64_t epoch = 0;
    CommitKind kind = CommitKind::Admit;
    CommitReason reason = CommitReason::Join;
    uint16_t suite = 0;
    uint32_t ownIndex = 0;
};

/// A member's side of the meeting key schedule (docs/e2ee.md §3) for one join: its identity,
/// the ephemeral key it announced, and the chair identity it trusts from the signed meeting
/// descriptor. It is pure: COMMITs in, epoch secrets and media keys out.
///
/// A COMMIT is accepted only after, in this order: its form; the chair's signature; the meeting
/// id; epoch = current + 1 (any epoch for the first one, which must then carry a wrap for
/// this device); the roster hash; the chair's own entry; this device's own entry (same
/// identity, ephemeral key and, once admitted, index); and deriving or unwrapping the secret.
/// A refused COMMIT changes nothing, except that a valid COMMIT without this device's entry
/// means it was removed: the secret is wiped and every later COMMIT is refused.
///
/// The chair can change once per trustSuccessor(): the meeting layer calls it after verifying
/// the original chair's signed delegation, and from then on a COMMIT signed by the successor is
/// accepted too - for a member only as a chair-change rekey from the successor's own current
/// roster entry. Once one is accepted, the successor is the only chair trusted.
class MemberKeySchedule {
public:
    enum class State { Waiting, Member, Removed };

    MemberKeySchedule(const Ed25519PublicKey& identity, EphemeralKeyPair ephemeral,
                      const MeetingId& meetingId, const Ed25519PublicKey& chairIdentity);

    Result<EpochChange> process(ByteView encodedCommit);
    Result<EpochChange> process(const Commit& commit);
    /// A member that missed COMMITs takes the chair's Resync of the current epoch (docs/e2ee.md
    /// §3, "Resync"): signed by the chair it trusts, for this meeting, an epoch not below its
    /// own (its own with the same roster changes nothing: `epoch` is returned unchanged), the
    /// descriptor it holds, its own entry unchanged, and the input wrapped to it. Only a member
    /// can be resynced: a waiting device is admitted by a COMMIT, a removed one never returns.
    Result<EpochChange> resync(ByteView encodedResync);

    /// Also accept the chair change a delegated co-chair signs (see the class comment).
    void trustSuccessor(const Ed25519PublicKey& successor) { m_successor = successor; }
    /// The signed meeting descriptor this member was shown (and acknowledged): a COMMIT for any
    /// other revision is refused (commit.descriptor_mismatch), and the hash is mixed into the
    /// epoch secret, so a stale or substituted descriptor cannot go unnoticed.
    void setDescriptorHash(const DescriptorHash& hash) { m_descriptorHash = hash; }
    /// Takes back a trustSuccessor() whose takeover COMMIT was refused.
    void distrustSuccessor() { m_successor.reset(); }
    /// The state a delegated co-chair takes into ChairKeySchedule::takeOver(); keys.not_member
    /// unless State::Member.
    Result<Succession> succession() const;
    const Ed25519PublicKey& chairIdentity() const { return m_chairIdentity; }

    /// The base key of `senderIndex`'s stream in the current epoch; keys.not_member before
    /// admission or after removal, keys.unknown_sender for an index not in the roster.
    Result<MediaKey> mediaKey(uint32_t senderIndex, MediaContext context) const;
    /// Key for chat messages of the current epoch (crypto/ChatCipher.h).
    Result<SecureBuffer> chatKey() const;

    State state() const { return m_state; }
    /// Meaningful only while State::Member.
    uint64_t currentEpoch() const { return m_epoch; }
    std::optional<uint32_t> ownIndex() const;
    const Roster& roster() const { return m_roster; }
    const RosterHash& rosterHash() const { return m_rosterHash; }
    uint16_t suite() const { return m_suite; }
    const X25519PublicKey& ephemeralKey() const { return m_ephemeral.publicKey(); }

    /// keys.not_member unless State::Member (the chair's ephemeral key comes from the roster).
    Result<std::string> meetingCode() const;
    Result<std::string> epochCode() const;

private:
    Result<SecureBuffer> epochInput(const Commit& commit, uint32_t ownIndex);
    /// The trusted key that signed `commit`, or nullptr.
    const Ed25519PublicKey* signerOf(const Commit& commit) const;
    Result<void> checkChairChange(const Commit& commit) const;
    Error notMember() const;

    Ed25519PublicKey m_identity;
    EphemeralKeyPair m_ephemeral;
    MeetingId m_meetingId;
    Ed25519PublicKey m_chairIdentity;
    std::optional<Ed25519PublicKey> m_successor;

    State m_state = State::Waiting;
    uint64_t m_epoch = 0;
    uint32_t m_ownIndex = 0;
    uint32_t m_chairIndex = 0;
    uint32_t m_nextIndex = 0; ///< above every index seen in an accepted roster
    uint16_t m_suite = 0;
    SecureBuffer m_secret;
    Roster m_roster;
    RosterHash m_rosterHash{};
    DescriptorHash m_descriptorHash{};
    WrapKeyCache m_wrapKeys;
};

} // namespace conclave::crypto
