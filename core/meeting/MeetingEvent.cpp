// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON of each meeting event kind: one function per struct, so a kind without one does not
// compile. Field names are those docs/cli.md lists.
#include "meeting/MeetingEvent.h"

#include <QJsonArray>

namespace conclave::meeting {

namespace {

template <std::size_t... I>
constexpr bool tableInKindOrder(std::index_sequence<I...>)
{
    return ((kEventKinds[I].kind == static_cast<EventKind>(I)) && ...);
}
static_assert(tableInKindOrder(std::make_index_sequence<kEventKindCount>{}),
              "kEventKinds rows must be in EventKind order");

QString word(std::string_view s)
{
    return QString::fromLatin1(s.data(), qsizetype(s.size()));
}

using J = QJsonObject;
const QString kName = QStringLiteral("name");
const QString kFingerprint = QStringLiteral("fingerprint");
const QString kReason = QStringLiteral("reason");
const QString kYou = QStringLiteral("you");

J person(const QString& name, const QString& fingerprint)
{
    return {{kName, name}, {kFingerprint, fingerprint}};
}

template <class T>
J personWithReason(const T& e)
{
    J o = person(e.name, e.fingerprint);
    o.insert(kReason, e.reason);
    o.insert(kYou, e.you);
    return o;
}

J fieldsOf(const ev::Knock& e)
{
    J o{{kName, e.name},
        {QStringLiteral("typed_name"), e.typedName},
        {kFingerprint, e.fingerprint},
        {QStringLiteral("key_id"), e.keyId},
        {QStringLiteral("identity"), e.identity},
        {QStringLiteral("invite"), inviteMatchName(e.invite)},
        {QStringLiteral("invite_problem"), e.inviteProblem}};
    if (e.contact)
        o.insert(QStringLiteral("contact"), *e.contact);
    if (e.keyVerified)
        o.insert(QStringLiteral("key_verified"), *e.keyVerified);
    return o;
}
J fieldsOf(const ev::Admitted& e)
{
    J o = person(e.name, e.fingerprint);
    o.insert(QStringLiteral("index"), qint64(e.index));
    return o;
}
J fieldsOf(const ev::Denied& e)
{
    return personWithReason(e);
}
J fieldsOf(const ev::Blocked& e)
{
    return person(e.name, e.fingerprint);
}
J fieldsOf(const ev::Removed& e)
{
    return personWithReason(e);
}
J fieldsOf(const ev::SentToLobby& e)
{
    return personWithReason(e);
}
J fieldsOf(const ev::Left& e)
{
    J o = person(e.name, e.fingerprint);
    o.insert(kYou, e.you);
    return o;
}
J fieldsOf(const ev::KnockerLeft& e)
{
    return person(e.name, e.fingerprint);
}
J fieldsOf(const ev::Roster& e)
{
    QJsonArray members;
    for (const ev::RosterMember& m : e.members)
        members.append(J{{QStringLiteral("index"), qint64(m.index)},
                         {kName, m.name},
                         {QStringLiteral("role"), int(m.role)},
                         {kFingerprint, m.fingerprint}});
    return {{QStringLiteral("members"), members}};
}
J fieldsOf(const ev::Epoch& e)
{
    return {{QStringLiteral("epoch"), qint64(e.epoch)},
            {QStringLiteral("epoch_code"), e.epochCode},
            {QStringLiteral("meeting_code"), e.meetingCode},
            {QStringLiteral("members"), qint64(e.members)},
            {QStringLiteral("own_index"), qint64(e.ownIndex)}};
}
J fieldsOf(const ev::Locked&)
{
    return {};
}
J fieldsOf(const ev::Unlocked&)
{
    return {};
}
J fieldsOf(const ev::MutedAll&)
{
    return {};
}
J fieldsOf(const ev::Muted& e)
{
    return person(e.name, e.fingerprint);
}
J fieldsOf(const ev::UnmuteAsked& e)
{
    J o = person(e.name, e.fingerprint);
    o.insert(kReason, e.reason);
    return o;
}
J fieldsOf(const ev::VideoStopped& e)
{
    return person(e.name, e.fingerprint);
}
J fieldsOf(const ev::ShareAllowed& e)
{
    return person(e.name, e.fingerprint);
}
J fieldsOf(const ev::ShareRevoked& e)
{
    return person(e.name, e.fingerprint);
}
J fieldsOf(const ev::ChatEnabled&)
{
    return {};
}
J fieldsOf(const ev::ChatDisabled&)
{
    return {};
}
J fieldsOf(const ev::Suspended&)
{
    return {};
}
J fieldsOf(const ev::Resumed&)
{
    return {};
}
J fieldsOf(const ev::Ended&)
{
    return {};
}
J fieldsOf(const ev::MarkingChangeSent& e)
{
    return {{QStringLiteral("from"), e.from},
            {QStringLiteral("to"), e.to},
            {QStringLiteral("revision"), qint64(e.revision)}};
}
J fieldsOf(const ev::MarkingChanged& e)
{
    J o{{QStringLiteral("from"), e.from},
        {QStringLiteral("to"), e.to},
        {QStringLiteral("revision"), qint64(e.revision)},
        {QStringLiteral("invites_required"), e.invitesRequired},
        {QStringLiteral("open_knocking"), e.openKnocking},
        {QStringLiteral("chat"), e.chat}};
    if (e.reason)
        o.insert(kReason, *e.reason);
    return o;
}
J fieldsOf(const ev::Chat& e)
{
    return {{QStringLiteral("from"), e.from},
            {kFingerprint, e.fingerprint},
            {QStringLiteral("marking"), e.marking},
            {QStringLiteral("text"), e.text}};
}
J fieldsOf(const ev::CoChair& e)
{
    J o = person(e.name, e.fingerprint);
    o.insert(kYou, e.you);
    return o;
}
J fieldsOf(const ev::CoChairRevoked& e)
{
    J o = person(e.name, e.fingerprint);
    o.insert(kYou, e.you);
    return o;
}
J fieldsOf(const ev::CoChairRequest& e)
{
    J o{{QStringLiteral("from"), e.from},
        {kFingerprint, e.fingerprint},
        {QStringLiteral("result"), e.done ? QStringLiteral("done") : QStringLiteral("refused")}};
    if (e.action)
        o.insert(QStringLiteral("action"), word(ruleOf(*e.action, e.on).name));
    if (e.target)
        o.insert(QStringLiteral("target"), *e.target);
    if (e.code)
        o.insert(QStringLiteral("code"), *e.code);
    if (e.reason)
        o.insert(kReason, *e.reason);
    return o;
}
J fieldsOf(const ev::Requested& e)
{
    return {{QStringLiteral("action"), word(ruleOf(e.action, e.on).name)},
            {QStringLiteral("target"), e.target}};
}
J fieldsOf(const ev::ChairReplaced& e)
{
    return {{kReason, e.reason}};
}
J fieldsOf(const ev::TookOver&)
{
    return {};
}
J fieldsOf(const ev::ChairChanged& e)
{
    return person(e.name, e.fingerprint);
}
J fieldsOf(const ev::Lobby& e)
{
    return {{QStringLiteral("title"), e.title},
            {QStringLiteral("marking"), e.marking},
            {QStringLiteral("backend"), e.backend},
            {QStringLiteral("chair_fingerprint"), e.chairFingerprint},
            {QStringLiteral("meeting_code"), e.meetingCode}};
}
J fieldsOf(const ev::Control& e)
{
    return {{QStringLiteral("action"), word(toString(e.action))}};
}
J fieldsOf(const ev::UnmuteRequested& e)
{
    return {{kReason, e.reason}};
}
J fieldsOf(const ev::AudioOff&)
{
    return {};
}
J fieldsOf(const ev::AudioOn&)
{
    return {};
}
J fieldsOf(const ev::VideoOff&)
{
    return {};
}
J fieldsOf(const ev::VideoOn&)
{
    return {};
}
J fieldsOf(const ev::Sharing&)
{
    return {};
}
J fieldsOf(const ev::SharingStopped&)
{
    return {};
}
J fieldsOf(const ev::Created&)
{
    return {};
}
J fieldsOf(const ev::Warning& e)
{
    return {{QStringLiteral("code"), e.code}, {kReason, e.reason}};
}
J fieldsOf(const ev::Refused& e)
{
    return {{QStringLiteral("code"), e.code}, {kReason, e.reason}};
}
J fieldsOf(const ev::Connection& e)
{
    return {{QStringLiteral("state"), e.state},
            {kReason, e.reason},
            {QStringLiteral("attempt"), e.attempt}};
}
J fieldsOf(const ev::Resynced& e)
{
    J o{{QStringLiteral("from_epoch"), qint64(e.fromEpoch)},
        {QStringLiteral("to_epoch"), qint64(e.toEpoch)}};
    if (e.you)
        o.insert(QStringLiteral("you"), true);
    else {
        o.insert(QStringLiteral("name"), e.name);
        o.insert(QStringLiteral("fingerprint"), e.fingerprint);
    }
    return o;
}

} // namespace

QString kindName(EventKind kind)
{
    return word(infoOf(kind).name);
}

QString inviteMatchName(InviteMatch match)
{
    switch (match) {
    case InviteMatch::Invited:
        return QStringLiteral("invited");
    case InviteMatch::Uninvited:
        return QStringLiteral("uninvited");
    case InviteMatch::InviteInvalid:
        return QStringLiteral("invite_invalid");
    case InviteMatch::Returning:
        return QStringLiteral("returning");
    }
    return QStringLiteral("uninvited");
}

MeetingEvent chairControlEvent(ControlAction action, const QString& name,
                               const QString& fingerprint)
{
    switch (action) {
    case ControlAction::Lock:
        return ev::Locked{};
    case ControlAction::Unlock:
        return ev::Unlocked{};
    case ControlAction::MuteAll:
        return ev::MutedAll{};
    case ControlAction::Mute:
        return ev::Muted{name, fingerprint};
    case ControlAction::StopVideo:
        return ev::VideoStopped{name, fingerprint};
    case ControlAction::AllowShare:
        return ev::ShareAllowed{name, fingerprint};
    case ControlAction::RevokeShare:
        return ev::ShareRevoked{name, fingerprint};
    case ControlAction::AllowChat:
        return ev::ChatEnabled{};
    case ControlAction::DisableChat:
        return ev::ChatDisabled{};
    case ControlAction::Suspend:
        return ev::Suspended{};
    case ControlAction::Resume:
        return ev::Resumed{};
    case ControlAction::End:
        return ev::Ended{};
    case ControlAction::ToLobby:
        return ev::SentToLobby{name, fingerprint, {}, false};
    }
    return ev::Warning{QStringLiteral("meeting.bad_control"), QStringLiteral("unknown control")};
}

QJsonObject MeetingEvent::fields() const
{
    return std::visit([](const auto& e) { return fieldsOf(e); }, m_data);
}

QJsonObject MeetingEvent::toJson() const
{
    QJsonObject out = fields();
    out.insert(QStringLiteral("event"), kindName());
    return out;
}

} // namespace conclave::meeting
