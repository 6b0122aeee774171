// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/MemberKeySchedule.h"
#include "meeting/ChatKeyRing.h"
#include "meeting/Delegation.h"
#include "meeting/EarlySignals.h"
#include "meeting/EnvelopeGuard.h"
#include "meeting/EpochAcks.h"
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
#include <vector>

namespace conclave::meeting {

class ChairSession;

/// Where to find a meeting and whom to trust there, from an invite or a meeting link.
struct JoinTarget {
    QByteArray meetingId;
    QString hubUrl;
    QString hubPin;
    crypto::Ed25519PublicKey chair;
    QByteArray signedInvite; ///< empty for an uninvited knock
    QByteArray inviteId;
    QString inviteName; ///< the name the invite binds, if any
    /// The invite link's redeem key (its secret never leaves this device); shared so the
    /// target stays copyable.
    std::shared_ptr<const crypto::Ed25519SigningKey> redeemKey;

    /// Accepts "conclave:invite:..." and "conclave:meeting:..." links.
    static Result<JoinTarget> fromLink(const QString& link, TimePoint now);
};

/// A participant's side of a meeting, as a pure state machine. It trusts nothing the hub says
/// on its own: the descriptor must be signed by the chair the invite names, the marking must be
/// approved for the backend it is actually connected to, every chair message must carry the
/// chair's signature, and keys come only from chair-signed COMMITs that list it correctly.
class ParticipantSession : public MediaView {
public:
    enum class State { Knocking, Waiting, Member, Refused, Denied, Removed, Ended, Left };
    static constexpr std::chrono::seconds kChairSilenceLimit{15};

    ParticipantSession(const crypto::Ed25519SigningKey& identity,
                       const policy::PolicyDocument& policy, const Clock& clock, JoinTarget target,
                       QString name);

    /// Queues the knock; `connectedPin` is the SPKI pin of the hub actually reached.
    void knock(const QString& connectedPin);

    // What the hub reports (its notices are unsigned: only hints, checked where it matters).
    /// `succession`: the delegation of a co-chair that took the chair over, if the hub says
    /// so; it counts only if the descriptor's chair signed it.
    MeetingEvents onLobby(const QByteArray& signedDescriptor, const QByteArray& succession = {});
    MeetingEvents onAdmitted();
    MeetingEvents onDenied(const QString& reason);
    MeetingEvents onRemoved(const QString& reason);
    MeetingEvents onEnded();
    /// The hub refused the knock; `why` keeps its category (hub::HubNotice::toError() gives
    /// a refused notice's), so endReason() says whether the policy or the hub said no.
    MeetingEvents onRefused(const Error& why);
    /// The same without a category (Unspecified): for callers that have only the notice's
    /// texts. Prefer the Error form.
    MeetingEvents onRefused(const QString& code, const QString& reason);
    /// The hub says a connection went: a knocker (`fromLobby`) leaves a co-chair's view of the
    /// waiting room; the chair's going makes it silent at once (a takeover may follow).
    MeetingEvents onGone(const crypto::Ed25519PublicKey& who, bool fromLobby);

    MeetingEvents onEnvelope(const protocol::Envelope& envelope);
    MeetingEvents tick();

    /// Back on a new connection after the old one dropped (a member only): queues the signed
    /// `resume` that takes this member's place back at the hub and asks the chair for what it
    /// missed (docs/protocol.md §6, "Resume"). The chair answers with a `resync`.
    void resume(const QString& connectedPin);
    /// The hub gave this member's place up while its connection was down (away too long, sent
    /// to the waiting room, a chair change): a new join - a new ephemeral key, nothing kept
    /// from before - that knocks again (knock()) with the same invite once connected. `why`:
    /// the hub's refusal, said as a warning.
    MeetingEvents startOver(const Error& why);
    /// The chair's heartbeats name an epoch this member does not hold (a COMMIT was lost):
    /// seconds it waits for the COMMIT before asking the chair for a resync.
    static constexpr std::chrono::seconds kBehindPatience{3};

    Result<MeetingEvents> sendChat(const QString& text);
    MeetingEvents leave();

    // This member's own media choices (nobody else can unmute or restart it).
    Result<MeetingEvents> setMuted(bool muted) override;
    Result<MeetingEvents> setVideo(bool on) override;
    /// Refused without the chair's permission (meeting.share_not_allowed).
    Result<MeetingEvents> setSharing(bool on) override;

    // MediaView
    std::optional<MediaState> mediaState() const override;
    const policy::Backend* meetingBackend() const override
    {
        return m_descriptor ? m_policy.findBackend(m_descriptor->backendId.toStdString()) : nullptr;
    }
    Result<crypto::MediaKey> mediaKey(uint32_t senderIndex,
                                      crypto::MediaContext context) const override;
    Result<void> postSignal(uint32_t to, const QByteArray& payload) override;
    std::vector<IncomingSignal> takeSignals() override;

    // Co-chair (named by the chair's signed delegation).
    /// Asks the chair to act; refused unless this member is co-chair.
    Result<MeetingEvents> request(const ChairCommand& command);
    /// Takes the chair over when the chair is silent or gone: returns the chair session to
    /// continue with (its first message, the takeover, is queued on it) and this session
    /// ends. Refused unless this member is co-chair and the chair has gone quiet.
    Result<std::unique_ptr<ChairSession>> takeOver();
    bool isCoChair() const { return !m_ownDelegation.isEmpty(); }
    /// Who waits in the lobby, as a co-chair sees the knocks: identity key bytes -> name.
    const std::map<QByteArray, QString>& lobby() const { return m_lobby; }
    const crypto::Ed25519PublicKey& chair() const { return m_chair; }

    std::vector<QByteArray> outgoing() { return m_outbox.take(); }

    State state() const { return m_state; }
    const JoinTarget& target() const { return m_target; }
    const std::optional<MeetingDescriptor>& descriptor() const { return m_descriptor; }
    const crypto::MemberKeySchedule& keys() const { return *m_keys; }
    bool chairSilent() const { return m_chairSilent; }
    /// The room's rules as the chair's controls set them (locked, suspended, chat, share).
    const RoomState& room() const { return m_room; }
    bool muted() const { return m_own.muted; }
    bool shareAllowed() const;
    bool chatEnabled() const { return m_room.chat(); }
    bool suspended() const { return m_room.suspended(); }
    bool locked() const { return m_room.locked(); }
    /// Policy refusals and removals set this; conclave-cli maps it to its exit code.
    const std::optional<Error>& endReason() const { return m_endReason; }

private:
    MeetingEvents refuse(const Error& why);
    Result<classification::Marking> checkDescriptor(const MeetingDescriptor& d) const;
    MeetingEvents onCommit(const QByteArray& blob);
    MeetingEvents onResync(const QByteArray& body);
    /// The room as the resync states it, reached through the controls that mean it.
    MeetingEvents takeRoom(const ResyncBody& body);
    /// A heartbeat's epoch: asks for a resync when this member has been behind for a while.
    MeetingEvents onHeartbeat(const QByteArray& body);
    MeetingEvents onDescriptorRevision(const QByteArray& blob);
    MeetingEvents onControl(const QByteArray& body);
    MeetingEvents onChat(const protocol::Envelope& envelope);
    MeetingEvents onTarget(protocol::MessageType type, const QByteArray& body);
    MeetingEvents backToLobby();
    /// Forgets this join (keys, chat keys, delegations, lobby view) for a new one: Waiting.
    void resetJoin();
    MeetingEvents onDelegate(const QByteArray& blob);
    /// While waiting: true for the chair's admit or denial of this device (noting the admit),
    /// and for what is judged on its own; everything else the chair sent predates us.
    bool admitsOrTurnsUsAway(const protocol::Envelope& envelope);
    MeetingEvents onTakeover(const protocol::Envelope& envelope);
    /// Everything a member checks before a takeover changes whom it trusts: the original
    /// chair's grant, that this member knows it as the latest word on that co-chair, that it
    /// names the sender's current join, and that the sender sent it. Returns the successor.
    Result<crypto::Ed25519PublicKey> checkTakeover(const QByteArray& delegation,
                                                   const crypto::Ed25519PublicKey& sender) const;
    /// A takeover kept while the chair was still heard, tried again once it has gone quiet.
    MeetingEvents retryPendingTakeover();
    MeetingEvents onKnock(const protocol::Envelope& envelope);
    /// A `signal` received at `arrived` (earlier than now when one that came early is tried
    /// again).
    MeetingEvents onSignal(const protocol::Envelope& envelope, TimePoint arrived);
    MeetingEvents retryEarlySignals();
    MeetingEvents onAck(const protocol::Envelope& envelope);
    /// The original chair's signed grant (not a withdrawal) in `blob`.
    Result<Delegation> verifiedGrant(const QByteArray& blob) const;
    /// Starts trusting the co-chair that a valid delegation names as the next chair.
    Result<crypto::Ed25519PublicKey> acceptSuccession(const QByteArray& delegation);
    MeetingEvents rosterAndEpochEvents(uint64_t epoch, uint32_t ownIndex) const;
    MeetingEvent warning(const std::string& code, const std::string& reason) const;
    /// This member's name as the others see it (the roster's, else the invite's or as typed).
    QString ownName() const;

    const crypto::Ed25519SigningKey& m_identity;
    const policy::PolicyDocument& m_policy;
    const Clock& m_clock;
    JoinTarget m_target;
    QString m_name;
    crypto::EphemeralKeyPair m_ephemeral;
    /// Replaced (with a new ephemeral key) when the chair sends us back to the waiting room:
    /// a rejoin must never reuse a key schedule or an ephemeral key (docs/e2ee.md §3).
    std::optional<crypto::MemberKeySchedule> m_keys;
    ChatKeyRing m_chatKeys;
    MessageOutbox m_outbox;
    EnvelopeGuard m_guard;
    QString m_connectedPin;
    std::optional<MeetingDescriptor> m_descriptor;
    QByteArray m_signedDescriptor;
    /// The chair now: the descriptor's signer, until a delegated co-chair takes over.
    crypto::Ed25519PublicKey m_chair;
    QByteArray m_ownDelegation; ///< the chair's delegation naming this member co-chair
    /// The latest grant or withdrawal this member has seen per co-chair (by identity key),
    /// ordered by the delegation's serial: what a takeover is judged by.
    struct KnownDelegation {
        Delegation delegation;
        QByteArray signedBytes;
    };
    std::map<QByteArray, KnownDelegation> m_delegations;
    std::optional<protocol::Envelope> m_pendingTakeover;
    std::map<QByteArray, QString> m_lobby;
    std::optional<classification::Marking> m_marking;
    State m_state = State::Knocking;
    std::optional<Error> m_endReason;
    TimePoint m_lastChairMessage;
    bool m_admitSeen = false; ///< the chair's signed admit naming this device arrived
    bool m_chairSilent = false;
    std::optional<TimePoint> m_behindSince; ///< heartbeats named a later epoch since then
    TimePoint m_resumeAsked{};
    /// The room as the chair's controls set it; everyone keeps track of the share grants,
    /// as they decide whose screen key each member holds.
    RoomState m_room;
    OwnMedia m_own; ///< this member's microphone, camera and screen
    std::vector<IncomingSignal> m_signals;
    EarlySignals m_earlySignals;
    EpochAcks m_acks;
};

} // namespace conclave::meeting
