// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Commit.h"
#include "crypto/Ed25519.h"
#include "crypto/EphemeralAnnouncement.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/MediaKeyId.h"
#include "crypto/MeetingId.h"
#include "crypto/Roster.h"
#include "crypto/SecureBuffer.h"
#include "crypto/Succession.h"
#include "crypto/WrapKeyCache.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace conclave::crypto {

/// One newcomer as the chair admits it: the member's signed ephemeral-key announcement (checked
/// here, so an unverified key can never be admitted), its role and its display name.
struct Admission {
    EphemeralAnnouncement announcement;
    MemberRole role = MemberRole::Participant;
    std::string name;
};

/// The chair's side of the meeting key schedule (docs/e2ee.md §3). It owns the chair identity,
/// the chair's ephemeral key, the current epoch, its secret and roster, and the pairwise wrap
/// keys; it is pure (no I/O, no clock) apart from drawing random epoch inputs.
///
/// Every admit() or rekey() that succeeds moves to the next epoch and returns the signed
/// COMMIT, which must be delivered as it is (never rebuilt: a second COMMIT for the same epoch
/// would reuse wrap nonces). A failed call changes nothing.
class ChairKeySchedule {
public:
    /// Epoch 0: the chair alone, at sender index 0, with a fresh secret. `suite` is 0x0005 or
    /// 0xF001 (Commit::kSuite*).
    static Result<ChairKeySchedule> start(Ed25519SigningKey identity, EphemeralKeyPair ephemeral,
                                          const MeetingId& meetingId, uint16_t suite,
                                          std::string chairName);

    /// A delegated co-chair becomes chair: from the member state it holds (`from`), with the
    /// identity and ephemeral key of its own roster entry, it starts a schedule that keeps its
    /// index (the new chair index), drops the old chair, and returns the signed chair-change
    /// COMMIT (rekey, reason ChairChanged: a fresh secret wrapped to everyone else). Refuses
    /// (keys.bad_succession) when the keys are not those of `from.ownIndex`'s entry.
    static Result<std::pair<ChairKeySchedule, Commit>> takeOver(Ed25519SigningKey identity,
                                                                EphemeralKeyPair ephemeral,
                                                                const MeetingId& meetingId,
                                                                const Succession& from);

    /// Ratchets to a new epoch that includes the newcomers, each given the next unused sender
    /// index; only they receive a wrapped epoch input. Refuses (keys.*) an announcement that
    /// does not verify for this meeting, a chair role, an identity already present, or running
    /// out of 16-bit sender indices.
    Result<Commit> admit(const std::vector<Admission>& newcomers);

    /// A fresh epoch secret for `remaining`, wrapped to every member in it except the chair.
    /// `remaining` must keep the chair's entry and may only drop members or change roles
    /// (never add anyone, alter keys or names, or move an index): keys.bad_roster_change.
    Result<Commit> rekey(CommitReason reason, const Roster& remaining);

    /// The current epoch again for one member that missed COMMITs (its connection dropped, or a
    /// relay lost one): a chair-signed Resync with the roster and descriptor hash in force, the
    /// epoch's input wrapped to that member alone, and the next unused index (docs/e2ee.md §3,
    /// "Resync"). Changes nothing here. keys.unknown_member for an index that is not a member of
    /// the current epoch, or is the chair's own.
    Result<Commit> resync(uint32_t index);
    /// The suite announced from the next COMMIT on (e.g. when a member without AES-NI joins).
    Result<void> setSuite(uint16_t suite);
    /// The signed meeting descriptor now in force: named in every later COMMIT and mixed into
    /// its epoch secret, so members shown another revision cannot follow (docs/e2ee.md §3).
    void setDescriptorHash(const DescriptorHash& hash) { m_descriptorHash = hash; }
    const DescriptorHash& descriptorHash() const { return m_descriptorHash; }

    /// The base key of `senderIndex`'s stream in the current epoch; keys.unknown_sender when
    /// that index is not in the current roster (nobody encrypts to or for a non-member).
    Result<MediaKey> mediaKey(uint32_t senderIndex, MediaContext context) const;
    /// Key for chat messages of the current epoch (crypto/ChatCipher.h).
    Result<SecureBuffer> chatKey() const;

    uint64_t currentEpoch() const { return m_epoch; }
    const Roster& roster() const { return m_roster; }
    const RosterHash& rosterHash() const { return m_rosterHash; }
    const MeetingId& meetingId() const { return m_meetingId; }
    uint32_t chairIndex() const { return m_chairIndex; }
    uint16_t suite() const { return m_suite; }
    const Ed25519PublicKey& identity() const { return m_identity.publicKey(); }
    const X25519PublicKey& ephemeralKey() const { return m_ephemeral.publicKey(); }

    std::string meetingCode() const;
    std::string epochCode() const;

private:
    /// The meeting's creator is index 0; a co-chair that took over keeps its own index.
    static constexpr uint32_t kCreatorIndex = 0;

    ChairKeySchedule(Ed25519SigningKey identity, EphemeralKeyPair ephemeral,
                     const MeetingId& meetingId, uint16_t suite, uint32_t chairIndex);
    /// The fresh-secret epoch change shared by rekey() and takeOver(), for an already checked
    /// roster that holds this chair at m_chairIndex.
    Result<Commit> rekeyTo(CommitReason reason, const Roster& roster);
    /// Signs the COMMIT for the next epoch and installs its input, secret and roster.
    Commit finish(CommitKind kind, CommitReason reason, Roster roster, const RosterHash& hash,
                  SecureBuffer input, std::vector<WrappedInput> wraps);

    Ed25519SigningKey m_identity;
    EphemeralKeyPair m_ephemeral;
    MeetingId m_meetingId;
    uint16_t m_suite;
    uint32_t m_chairIndex;
    uint64_t m_epoch = 0;
    /// The current epoch's input, kept for resync(); wiped with the schedule.
    SecureBuffer m_input;
    SecureBuffer m_secret;
    Roster m_roster;
    RosterHash m_rosterHash{};
    DescriptorHash m_descriptorHash{};
    uint32_t m_nextIndex = kCreatorIndex + 1;
    WrapKeyCache m_wrapKeys;
};

} // namespace conclave::crypto
