// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/RosterEntry.h"
#include "meeting/LobbyEntry.h"
#include "meeting/MessageBodies.h"

#include <QJsonObject>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace conclave::meeting {

// The catalogue of meeting events: something a session wants its owner to know, shown in the
// UI, printed by conclave-cli as one JSON line ({"event": name, ...fields}) and - when its kind
// is audited - written to the audit log as "meeting.<name>" with the fields as detail.
//
// Shape (why): one small struct per kind in namespace `ev`, with typed fields, so a producer
// cannot forget a field or misspell one and a reader cannot ask for one that is not there. A
// MeetingEvent holds exactly one of them (a std::variant whose alternative order is the
// EventKind order). The name and whether the kind is audited come from one table
// (kEventKinds), never from the place that makes the event. JSON is written in
// MeetingEvent.cpp, one function per struct; docs/cli.md lists the same fields.
//
// Events about a person carry that person's `name` and `fingerprint`; where the person may be
// this device's own member (a participant told it was removed), `you` says so.

enum class EventKind {
    Knock,
    Admitted,
    Denied,
    Blocked,
    Removed,
    SentToLobby,
    Left,
    KnockerLeft,
    Roster,
    Epoch,
    Locked,
    Unlocked,
    MutedAll,
    Muted,
    UnmuteAsked,
    VideoStopped,
    ShareAllowed,
    ShareRevoked,
    ChatEnabled,
    ChatDisabled,
    Suspended,
    Resumed,
    Ended,
    MarkingChangeSent,
    MarkingChanged,
    Chat,
    CoChair,
    CoChairRevoked,
    CoChairRequest,
    Requested,
    ChairReplaced,
    TookOver,
    ChairChanged,
    Lobby,
    Control,
    UnmuteRequested,
    AudioOff,
    AudioOn,
    VideoOff,
    VideoOn,
    Sharing,
    SharingStopped,
    Created,
    Warning,
    Refused,
    Connection,
    Resynced,
};

struct EventKindInfo {
    EventKind kind;
    std::string_view name; ///< the JSON "event" value and the audit action after "meeting."
    bool audited;          ///< written to the audit log
};

/// The one table of names and audit flags, in EventKind order. Own media switches (audio,
/// video) are not audited; a screen leaving the device (sharing) is. Warnings are audited: they
/// report forged, replayed or dropped messages, which is what an audit is for.
inline constexpr std::array kEventKinds{
    EventKindInfo{EventKind::Knock, "knock", true},
    EventKindInfo{EventKind::Admitted, "admitted", true},
    EventKindInfo{EventKind::Denied, "denied", true},
    EventKindInfo{EventKind::Blocked, "blocked", true},
    EventKindInfo{EventKind::Removed, "removed", true},
    EventKindInfo{EventKind::SentToLobby, "sent_to_lobby", true},
    EventKindInfo{EventKind::Left, "left", true},
    EventKindInfo{EventKind::KnockerLeft, "knocker_left", false},
    EventKindInfo{EventKind::Roster, "roster", false},
    EventKindInfo{EventKind::Epoch, "epoch", true},
    EventKindInfo{EventKind::Locked, "locked", true},
    EventKindInfo{EventKind::Unlocked, "unlocked", true},
    EventKindInfo{EventKind::MutedAll, "muted_all", true},
    EventKindInfo{EventKind::Muted, "muted", true},
    EventKindInfo{EventKind::UnmuteAsked, "unmute_asked", false},
    EventKindInfo{EventKind::VideoStopped, "video_stopped", true},
    EventKindInfo{EventKind::ShareAllowed, "share_allowed", true},
    EventKindInfo{EventKind::ShareRevoked, "share_revoked", true},
    EventKindInfo{EventKind::ChatEnabled, "chat_enabled", true},
    EventKindInfo{EventKind::ChatDisabled, "chat_disabled", true},
    EventKindInfo{EventKind::Suspended, "suspended", true},
    EventKindInfo{EventKind::Resumed, "resumed", true},
    EventKindInfo{EventKind::Ended, "ended", true},
    EventKindInfo{EventKind::MarkingChangeSent, "marking_change_sent", false},
    EventKindInfo{EventKind::MarkingChanged, "marking_changed", true},
    EventKindInfo{EventKind::Chat, "chat", false},
    EventKindInfo{EventKind::CoChair, "co_chair", true},
    EventKindInfo{EventKind::CoChairRevoked, "co_chair_revoked", true},
    EventKindInfo{EventKind::CoChairRequest, "co_chair_request", true},
    EventKindInfo{EventKind::Requested, "requested", true},
    EventKindInfo{EventKind::ChairReplaced, "chair_replaced", true},
    EventKindInfo{EventKind::TookOver, "took_over", true},
    EventKindInfo{EventKind::ChairChanged, "chair_changed", true},
    EventKindInfo{EventKind::Lobby, "lobby", true},
    EventKindInfo{EventKind::Control, "control", true},
    EventKindInfo{EventKind::UnmuteRequested, "unmute_requested", false},
    EventKindInfo{EventKind::AudioOff, "audio_off", false},
    EventKindInfo{EventKind::AudioOn, "audio_on", false},
    EventKindInfo{EventKind::VideoOff, "video_off", false},
    EventKindInfo{EventKind::VideoOn, "video_on", false},
    EventKindInfo{EventKind::Sharing, "sharing", true},
    EventKindInfo{EventKind::SharingStopped, "sharing_stopped", true},
    EventKindInfo{EventKind::Created, "created", true},
    EventKindInfo{EventKind::Warning, "warning", true},
    EventKindInfo{EventKind::Refused, "refused", true},
    EventKindInfo{EventKind::Connection, "connection", true},
    EventKindInfo{EventKind::Resynced, "resynced", true},
};

inline constexpr std::size_t kEventKindCount = kEventKinds.size();

constexpr const EventKindInfo& infoOf(EventKind kind)
{
    return kEventKinds[static_cast<std::size_t>(kind)];
}

QString kindName(EventKind kind);

namespace ev {

// Fields are named as in JSON (camelCase here, snake_case there).

/// Someone knocked. A co-chair's view has no contact book: `contact` and `keyVerified` are
/// absent there.
struct Knock {
    QString name{}; ///< bound by the invite, or as typed
    QString typedName{};
    QString fingerprint{};
    QString keyId{};
    QString identity{}; ///< hex of the identity key
    InviteMatch invite = InviteMatch::Uninvited;
    QString inviteProblem{};
    std::optional<QString> contact{}; ///< new / known / renamed / key_changed / unknown
    std::optional<bool> keyVerified{};
};
struct Admitted {
    QString name{};
    QString fingerprint{};
    uint32_t index = 0;
};
/// A person's fate; `you` when it is this device's own member (a participant's session).
struct Denied {
    QString name{};
    QString fingerprint{};
    QString reason{};
    bool you = false;
};
struct Blocked {
    QString name{};
    QString fingerprint{};
};
struct Removed {
    QString name{};
    QString fingerprint{};
    QString reason{};
    bool you = false;
};
struct SentToLobby {
    QString name{};
    QString fingerprint{};
    QString reason{};
    bool you = false;
};
struct Left {
    QString name{};
    QString fingerprint{};
    bool you = false;
};
struct KnockerLeft {
    QString name{};
    QString fingerprint{};
};
struct RosterMember {
    uint32_t index = 0;
    QString name{};
    crypto::MemberRole role = crypto::MemberRole::Participant;
    QString fingerprint{};
};
struct Roster {
    std::vector<RosterMember> members{};
};
struct Epoch {
    uint64_t epoch = 0;
    QString epochCode{};
    QString meetingCode{};
    uint64_t members = 0;
    uint32_t ownIndex = 0;
};
struct Locked {};
struct Unlocked {};
struct MutedAll {};
/// The chair's controls on one member.
struct Muted {
    QString name{};
    QString fingerprint{};
};
struct UnmuteAsked {
    QString name{};
    QString fingerprint{};
    QString reason{};
};
struct VideoStopped {
    QString name{};
    QString fingerprint{};
};
struct ShareAllowed {
    QString name{};
    QString fingerprint{};
};
struct ShareRevoked {
    QString name{};
    QString fingerprint{};
};
struct ChatEnabled {};
struct ChatDisabled {};
struct Suspended {};
struct Resumed {};
struct Ended {};
struct MarkingChangeSent {
    QString from{};
    QString to{};
    uint64_t revision = 0;
};
/// The options of the new revision; `reason` (the policy's words) only the chair has.
struct MarkingChanged {
    QString from{};
    QString to{};
    uint64_t revision = 0;
    std::optional<QString> reason{};
    bool invitesRequired = false;
    bool openKnocking = false;
    bool chat = false;
};
struct Chat {
    QString from{}; ///< the sender's roster name
    QString fingerprint{};
    QString marking{};
    QString text{};
};
struct CoChair {
    QString name{};
    QString fingerprint{};
    bool you = false;
};
struct CoChairRevoked {
    QString name{};
    QString fingerprint{};
    bool you = false;
};
/// A co-chair's request and what this chair did with it: `code`/`reason` when refused;
/// `action`/`target` when the request could be read.
struct CoChairRequest {
    QString from{};
    QString fingerprint{};
    std::optional<ChairAction> action{};
    bool on = true;                  ///< the action's direction (lock or unlock ...)
    std::optional<QString> target{}; ///< fingerprint of whom it acts on
    bool done = false;
    std::optional<QString> code{};
    std::optional<QString> reason{};
};
/// This co-chair asked the chair to act.
struct Requested {
    ChairAction action = ChairAction::Lock;
    bool on = true;   ///< the action's direction (lock or unlock ...)
    QString target{}; ///< fingerprint, empty when it acts on the whole meeting
};
/// A co-chair took over from this (silent) chair.
struct ChairReplaced {
    QString reason{};
};
/// This device took over as chair.
struct TookOver {};
/// A delegated co-chair took over as chair.
struct ChairChanged {
    QString name{};
    QString fingerprint{};
};
struct Lobby {
    QString title{};
    QString marking{};
    QString backend{};
    QString chairFingerprint{};
    QString meetingCode{}; ///< empty after a takeover: it comes with the new chair's key change
};
/// The chair's control as it reached this member (for everyone or for this member).
struct Control {
    ControlAction action = ControlAction::Lock;
};
struct UnmuteRequested {
    QString reason{};
};
/// This device's own media switches.
struct AudioOff {};
struct AudioOn {};
struct VideoOff {};
struct VideoOn {};
struct Sharing {};
struct SharingStopped {};
/// The hub registered the meeting.
struct Created {};
struct Warning {
    QString code{};
    QString reason{};
};
struct Refused {
    QString code{};
    QString reason{};
};
/// This device's own connection to the hub: "reconnecting" (it was lost: `reason`; `attempt`
/// counts from 1) or "resumed" (the hub took it back into the meeting).
struct Connection {
    QString state{};
    QString reason{};
    int attempt = 0;
};
/// A member missed key changes (its connection dropped, or one was lost on the way) and was
/// given the current epoch again: at the chair, who it sent that to; at the member, itself
/// (`you`).
struct Resynced {
    QString name{};
    QString fingerprint{};
    bool you = false;
    /// The epoch the member held: the one its resume named, or (the chair noticing by itself)
    /// the latest it acknowledged; 0 when none is known.
    uint64_t fromEpoch = 0;
    uint64_t toEpoch = 0;
};

} // namespace ev

/// In EventKind order (checked in MeetingEvent.cpp).
using EventData = std::variant<
    ev::Knock, ev::Admitted, ev::Denied, ev::Blocked, ev::Removed, ev::SentToLobby, ev::Left,
    ev::KnockerLeft, ev::Roster, ev::Epoch, ev::Locked, ev::Unlocked, ev::MutedAll, ev::Muted,
    ev::UnmuteAsked, ev::VideoStopped, ev::ShareAllowed, ev::ShareRevoked, ev::ChatEnabled,
    ev::ChatDisabled, ev::Suspended, ev::Resumed, ev::Ended, ev::MarkingChangeSent,
    ev::MarkingChanged, ev::Chat, ev::CoChair, ev::CoChairRevoked, ev::CoChairRequest,
    ev::Requested, ev::ChairReplaced, ev::TookOver, ev::ChairChanged, ev::Lobby, ev::Control,
    ev::UnmuteRequested, ev::AudioOff, ev::AudioOn, ev::VideoOff, ev::VideoOn, ev::Sharing,
    ev::SharingStopped, ev::Created, ev::Warning, ev::Refused, ev::Connection, ev::Resynced>;

static_assert(std::variant_size_v<EventData> == kEventKindCount,
              "one struct per EventKind, and one row per kind in kEventKinds");

template <class T, class V>
struct IsEventAlternative;
template <class T, class... Ts>
struct IsEventAlternative<T, std::variant<Ts...>>
    : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {
};
template <class T>
concept EventStruct = IsEventAlternative<std::remove_cvref_t<T>, EventData>::value;

/// One event: construct it from its struct (`MeetingEvent{ev::Muted{name, fingerprint}}`),
/// read it with `as<ev::Muted>()` or std::visit over `data()`, print it with toJson().
class MeetingEvent {
public:
    template <EventStruct T>
    MeetingEvent(T data) : m_data(std::move(data)) // NOLINT: implicit by design
    {
    }

    EventKind kind() const { return static_cast<EventKind>(m_data.index()); }
    QString kindName() const { return meeting::kindName(kind()); }
    /// Written to the audit log (a property of the kind: kEventKinds).
    bool audited() const { return infoOf(kind()).audited; }

    template <EventStruct T>
    const T* as() const
    {
        return std::get_if<T>(&m_data);
    }
    template <EventStruct T>
    bool is() const
    {
        return std::holds_alternative<T>(m_data);
    }
    const EventData& data() const { return m_data; }

    /// The fields alone: the audit entry's detail.
    QJsonObject fields() const;
    /// {"event": kindName(), ...fields()}: the line conclave-cli prints.
    QJsonObject toJson() const;

private:
    EventData m_data;
};

using MeetingEvents = std::vector<MeetingEvent>;

/// What the chair's own session reports for a control it sent (`name`/`fingerprint` of the
/// member it acts on, empty for the whole room): lock -> locked, mute -> muted, ...
MeetingEvent chairControlEvent(ControlAction action, const QString& name,
                               const QString& fingerprint);

/// The protocol word for a knock's invite check (invited, uninvited, invite_invalid, returning).
QString inviteMatchName(InviteMatch match);

} // namespace conclave::meeting
