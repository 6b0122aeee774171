// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/HubEvent.h"

#include "crypto/Fingerprint.h"

#include <array>
#include <utility>

namespace conclave::hub {
namespace {

constexpr std::array<std::pair<HubEvent::Kind, std::string_view>, 25> kNames{{
    {HubEvent::Kind::ConnectionRefused, "connection_refused"},
    {HubEvent::Kind::MeetingCreated, "meeting_created"},
    {HubEvent::Kind::ChairReturned, "chair_returned"},
    {HubEvent::Kind::ChairChanged, "chair_changed"},
    {HubEvent::Kind::CoChair, "co_chair"},
    {HubEvent::Kind::MeetingEnded, "meeting_ended"},
    {HubEvent::Kind::KnockQueued, "knock_queued"},
    {HubEvent::Kind::KnockRefused, "knock_refused"},
    {HubEvent::Kind::Admitted, "admitted"},
    {HubEvent::Kind::Denied, "denied"},
    {HubEvent::Kind::Banned, "banned"},
    {HubEvent::Kind::Removed, "removed"},
    {HubEvent::Kind::Left, "left"},
    {HubEvent::Kind::Away, "away"},
    {HubEvent::Kind::Resumed, "resumed"},
    {HubEvent::Kind::Control, "control"},
    {HubEvent::Kind::Dropped, "dropped"},
    {HubEvent::Kind::Unauthorised, "unauthorised"},
    {HubEvent::Kind::Disconnected, "disconnected"},
    {HubEvent::Kind::MediaRoom, "media_room"},
    {HubEvent::Kind::MediaRoomFailed, "media_room_failed"},
    {HubEvent::Kind::JanusInstance, "janus_instance"},
    {HubEvent::Kind::MeetingRestored, "meeting_restored"},
    {HubEvent::Kind::StateNotSaved, "state_not_saved"},
    {HubEvent::Kind::StateSaved, "state_saved"},
}};

void insertIf(QJsonObject& o, const char* key, const QString& value)
{
    if (!value.isEmpty())
        o.insert(QLatin1String(key), value);
}

} // namespace

std::string_view toString(HubEvent::Kind kind)
{
    for (const auto& [k, name] : kNames)
        if (k == kind)
            return name;
    return "unknown";
}

QJsonObject HubEvent::toJson() const
{
    QJsonObject o;
    const std::string_view name = toString(kind);
    o.insert(QStringLiteral("event"), QString::fromLatin1(name.data(), qsizetype(name.size())));
    insertIf(o, "meeting", QString::fromLatin1(meetingId.toHex()));
    if (!identity.isEmpty()) {
        const crypto::ByteView key(reinterpret_cast<const uint8_t*>(identity.constData()),
                                   size_t(identity.size()));
        o.insert(QStringLiteral("identity"), QString::fromStdString(crypto::publicKeyId(key)));
    }
    insertIf(o, "source", source);
    insertIf(o, "code", code);
    insertIf(o, "reason", reason);
    insertIf(o, "detail", detail);
    return o;
}

} // namespace conclave::hub
