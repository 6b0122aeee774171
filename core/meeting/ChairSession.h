// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/BoundedMap.h"
#include "common/BoundedSet.h"
#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/ChairKeySchedule.h"
#include "meeting/ChairCommand.h"
#include "meeting/ChairSetup.h"
#include "meeting/ChairSuccession.h"
#include "meeting/ChatKeyRing.h"
#include "meeting/ContactBook.h"
#include "meeting/EnvelopeGuard.h"
#include "meeting/EpochAcks.h"
#include "meeting/EpochPacer.h"
#include "meeting/LobbyEntry.h"
#include "meeting/MediaView.h"
#include "meeting/MeetingDescriptor.h"
#include "meeting/MeetingEvent.h"
#include "meeting/MessageBodies.h"
#include "meeting/MessageOutbox.h"
#include "meeting/RoomState.h"
#include "policy/PolicyDocument.h"
#include "protocol/Envelope.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace conclave::meeting {

/// The chair's side of a meeting, as a pure state machine: commands and incoming envelopes go
/// in; signed outgoing envelopes (take via outgoing()) and events come out. No sockets, no
/// clock of its own, so every rule is testable without a network.
class ChairSession : public MediaView {
public:
    static constexpr std::chrono::seconds kHeartbeatInterval{5};
    static constexpr std::chrono::minutes kRekeyInterval{5};
    static constexpr int kDenialsBeforeBlock = 2;
    /// Denials and bans kept per meeting; past that the oldest is forgotten, so identities
    /// cycled through a leaked invite cannot grow them without end.
    static constexpr size_t kMaxIdentityRecords = 10000;
    /// Knockers shown at once; the hub keeps its own, smaller lobby (50 by default).
    static constexpr size_t kMaxLobby = 1000;

    /// Refuses (code from the approval decision) when the policy does not approve the marking
    /// on the chosen backend; tightens the options to what the policy's rules require.
    static Result<std::unique_ptr<ChairSession>> create(const crypto::Ed25519SigningKey& identity,
                                                        const policy::PolicyDocument& policy,
                                                        const Clock& clock, ChairSetup setup);

    /// A delegated co-chair continues the meeting as chair after taking it over: `keys` and
    /// `takeover` come from ChairKeySchedule::takeOver(); the `takeover` message (delegation +
    /// COMMIT) is queued. A successor cannot re-sign the descriptor (no marking change, no
    /// new invites, no further delegation): the original chair's signature stays in force.
    static std::unique_ptr<ChairSession> succeed(const crypto::Ed25519SigningKey& identity,
                                                 const policy::PolicyDocument& policy,
                                                 const Clock& clock, ChairSuccession succession,
                                                 crypto::ChairKeySchedule keys,
                                                 const crypto::Commit& takeover);

    /// Lets the waiting room report whether a knocker is a known contact; optional.
    void setContactBook(ContactBook* contacts) { m_contacts = contacts; }

    /// The `create` message for the hub (queued on the outbox); call once after connecting.
    void announce();
    /// A per-person invite link (single use, expiring), bound to `name` and optionally a key.
    /// Refused for a successor (meeting.not_original_chair).
    Result<QString> makeInvite(const QString& name,
                               std::optional<crypto::Ed25519PublicKey> identity,
                               std::chrono::seconds lifetime);

    /// A link for uninvited knocking; refused unless the meeting allows open knocking.
    Result<QString> makeMeetingLink(std::chrono::seconds lifetime) const;

    MeetingEvents onEnvelope(const protocol::Envelope& envelope);
    /// The hub reports a connection gone without a `leave` (a hint, unsigned): a knocker leaves
    /// the lobby; a member is treated as having left, so the key rotates without them.
    MeetingEvents onDisconnected(const crypto::Ed25519PublicKey& who);
    MeetingEvents tick();
    /// The current epoch, descriptor and room state again for one member that missed
    /// messages (`theirEpoch`: the epoch it says it holds): a signed `resync` to it alone.
    MeetingEvents resync(const crypto::RosterEntry& member, uint64_t theirEpoch);
    /// The same for every member: this chair's own connection was down, and whatever it said
    /// meanwhile may not have arrived.
    MeetingEvents resyncEveryone();

    /// Carries out one command from the table (meeting/ChairCommand) - what every front-end
    /// and a co-chair's request call; the methods below are its steps.
    Result<MeetingEvents> perform(const ChairCommand& command);
    /// Admits as a participant, or as an observer (receive-only) with MemberRole::Observer.
    Result<MeetingEvents> admit(const crypto::Ed25519PublicKey& who,
                                crypto::MemberRole role = crypto::MemberRole::Participant);
    Result<MeetingEvents> admitAllInvited();
    Result<MeetingEvents> deny(const crypto::Ed25519PublicKey& who, const QString& reason);
    Result<MeetingEvents> remove(const crypto::Ed25519PublicKey& who, const QString& reason);
    /// Moves a member back to the waiting room: the key rotates without them, but unlike
    /// remove() they are not banned and may be admitted again (their spent invite is not needed).
    Result<MeetingEvents> sendToLobby(const crypto::Ed25519PublicKey& who, const QString& reason);
    Result<MeetingEvents> lock();
    Result<MeetingEvents> unlock();
    Result<MeetingEvents> muteAll();
    /// Mutes one member. Nobody can unmute someone else: the chair can only ask (askUnmute).
    Result<MeetingEvents> mute(const crypto::Ed25519PublicKey& who);
    Result<MeetingEvents> askUnmute(const crypto::Ed25519PublicKey& who, const QString& reason);
    Result<MeetingEvents> stopVideo(const crypto::Ed25519PublicKey& who);
    Result<MeetingEvents> setShare(const crypto::Ed25519PublicKey& who, bool allowed);
    Result<MeetingEvents> setChat(bool enabled);
    Result<MeetingEvents> suspend();
    Result<MeetingEvents> resume();
    Result<MeetingEvents> end();
    /// Sends a new descriptor revision with the marking and the options its rules demand; it
    /// takes effect here (and is rekeyed) only when the hub has accepted it.
    Result<MeetingEvents> changeMarking(const classification::Marking& to, bool confirmLowering);
    /// The hub's word that it took `signedDescriptor`: a pending marking change applies now.
    MeetingEvents onDescriptorAccepted(const QByteArray& signedDescriptor);
    /// The marking change waiting for the hub, if any (its revision).
    std::optional<uint64_t> pendingRevision() const
    {
        return m_pendingRevision ? std::optional<uint64_t>(m_pendingRevision->descriptor.revision)
                                 : std::nullopt;
    }
    Result<MeetingEvents> sendChat(const QString& text);
    /// Names a member co-chair (granted) or withdraws it: a signed delegation to everyone.
    /// A co-chair's requests (admit, deny, remove, lock ...) are then carried out here, and if
    /// this chair goes silent the co-chair can take over.
    Result<MeetingEvents> delegate(const crypto::Ed25519PublicKey& who, bool granted);

    // The chair's own media (suspend stops it too, until the chair resumes and turns it on).
    Result<MeetingEvents> setMuted(bool muted) override;
    Result<MeetingEvents> setVideo(bool on) override;
    Result<MeetingEvents> setSharing(bool on) override;

    // MediaView
    std::optional<MediaState> mediaState() const override;
    const policy::Backend* meetingBackend() const override
    {
        return m_policy.findBackend(m_descriptor.backendId.toStdString());
    }
    Result<crypto::MediaKey> mediaKey(uint32_t senderIndex,
                                      crypto::MediaContext context) const override;
    Result<void> postSignal(uint32_t to, const QByteArray& payload) override;
    std::vector<IncomingSignal> takeSignals() override;

    std::vector<QByteArray> outgoing() { return m_outbox.take(); }
    /// The roster and epoch as they stand (e.g. for a successor's first screen).
    MeetingEvents currentState() const { return {rosterEvent(), epochEvent()}; }

    const MeetingDescriptor& descriptor() const { return m_descriptor; }
    /// The hub the meeting runs on (as invites name it).
    const QString& hubUrl() const { return m_hubUrl; }
    const classification::Marking& marking() const { return m_marking; }
    const policy::PolicyDocument& policy() const { return m_policy; }
    QByteArray signedDescriptor() const;
    const std::map<QByteArray, LobbyEntry>& lobby() const { return m_lobby; }
    const crypto::Roster& roster() const { return m_keys.roster(); }
    const crypto::ChairKeySchedule& keys() const { return m_keys; }
    /// The room's rules as this chair's controls set them (locked, suspended, chat, share).
    const RoomState& room() const { return m_room; }
    bool locked() const { return m_room.locked(); }
    bool suspended() const { return m_room.suspended(); }
    bool ended() const { return m_room.ended(); }
    bool chatEnabled() const { return m_room.chat(); }
    QString meetingCode() const { return QString::fromStdString(m_keys.meetingCode()); }
    bool isSuccessor() const { return !m_takenOverWith.isEmpty(); }
    /// A successor: the original chair's delegation it took over with (shown to knockers).
    const QByteArray& takenOverWith() const { return m_takenOverWith; }
    bool isCoChair(const crypto::Ed25519PublicKey& who) const;

private:
    /// A marking change sent to the hub and not yet taken by it.
    struct PendingRevision {
        MeetingDescriptor descriptor;
        classification::Marking marking;
        QByteArray signedBytes;
        std::string reason;
    };
    struct IssuedInvite {
        QString name;
        std::optional<crypto::Ed25519PublicKey> identity;
        TimePoint expires;
        /// Who redeemed it: after first use the invite belongs to that identity (it may come
        /// back after a drop; nobody else may use it).
        std::optional<QByteArray> usedBy;
    };

    ChairSession(const crypto::Ed25519SigningKey& identity, const policy::PolicyDocument& policy,
                 const Clock& clock, crypto::ChairKeySchedule keys, MeetingDescriptor descriptor,
                 classification::Marking marking, QString hubUrl);

    MeetingEvents onKnock(const protocol::Envelope& envelope);
    MeetingEvents onChat(const protocol::Envelope& envelope);
    MeetingEvents onLeave(const protocol::Envelope& envelope);
    MeetingEvents onRequest(const protocol::Envelope& envelope);
    MeetingEvents onSignal(const protocol::Envelope& envelope);
    MeetingEvents onAck(const protocol::Envelope& envelope);
    MeetingEvents onResume(const protocol::Envelope& envelope);
    /// Members that have not acknowledged the current epoch this long after it began are
    /// sent it again (once per epoch each): their COMMIT was lost, or they were away.
    MeetingEvents resyncLaggards();
    Result<MeetingEvents> carryOut(const ChairCommand& request);
    Result<void> refuseIfSuccessor(const char* what) const;
    MeetingEvents memberGone(const crypto::Ed25519PublicKey& who);
    void evaluateInvite(LobbyEntry& entry, const KnockBody& knock);
    /// After an admission: what a newcomer needs to judge later chair messages on its own.
    void tellNewcomersTheStanding();
    Result<MeetingEvents> admitEntries(const std::vector<QByteArray>& identities,
                                       crypto::MemberRole role = crypto::MemberRole::Participant);
    Result<MeetingEvents> rekey(crypto::CommitReason reason, const crypto::Roster& remaining);
    enum class Departure { Removed, ToLobby };
    Result<MeetingEvents> takeOutOfRoom(const crypto::Ed25519PublicKey& who, const QString& reason,
                                        Departure departure);
    Result<MeetingEvents> control(ControlAction action,
                                  std::optional<crypto::Ed25519PublicKey> target);
    void installChatKey();
    MeetingEvent epochEvent() const;
    MeetingEvent rosterEvent() const;
    Result<void> refuseIfEnded() const;

    const crypto::Ed25519SigningKey& m_identity;
    const policy::PolicyDocument& m_policy;
    const Clock& m_clock;
    crypto::ChairKeySchedule m_keys;
    MeetingDescriptor m_descriptor;
    classification::Marking m_marking;
    QString m_hubUrl;
    MessageOutbox m_outbox;
    EnvelopeGuard m_guard;
    std::map<QByteArray, LobbyEntry> m_lobby;     ///< by identity key bytes
    std::map<QByteArray, IssuedInvite> m_invites; ///< by invite id
    BoundedMap<QByteArray, int> m_denials{kMaxIdentityRecords};
    BoundedSet<QByteArray> m_banned{kMaxIdentityRecords};
    std::map<QByteArray, QString> m_returning; ///< sent to the lobby: identity -> roster name
    /// Delegated and still in the roster: identity -> the signed delegation, sent again to
    /// every newcomer so each member knows who may take over (and who may not).
    std::map<QByteArray, QByteArray> m_coChairs;
    uint64_t m_delegationSerial = 0;
    QByteArray m_takenOverWith;       ///< a successor: the delegation it took over with
    QByteArray m_inheritedDescriptor; ///< a successor: the original chair's signed descriptor
    QByteArray m_signedInForce;       ///< the signed descriptor revision the hub accepted last
    ContactBook* m_contacts = nullptr;
    std::optional<PendingRevision> m_pendingRevision;
    ChatKeyRing m_chatKeys;
    TimePoint m_lastHeartbeat;
    TimePoint m_lastEpochChange;
    EpochPacer m_epochPacer;
    std::optional<crypto::CommitReason> m_rekeyOwed; ///< a paced rekey, done in tick()
    /// The room's switches; the chat switch starts as the descriptor's option.
    RoomState m_room;
    OwnMedia m_own; ///< the chair's own microphone, camera and screen
    std::vector<IncomingSignal> m_signals;
    EpochAcks m_acks;
    /// Per member (identity bytes): the epoch it was last resynced to unasked, so a member that
    /// cannot be reached is not sent the same epoch every tick.
    std::map<QByteArray, uint64_t> m_resyncedTo;
};

} // namespace conclave::meeting
