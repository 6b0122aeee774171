// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/JanusRoomControl.h"

#include "hub/JanusRandom.h"

#include <QJsonArray>

#include <utility>

namespace conclave::hub {

namespace {

qint64 jsonId(std::uint64_t id)
{
    return static_cast<qint64>(id);
}

} // namespace

JanusRoomControl::JanusRoomControl(JanusConnection& connection, QString adminKey)
    : m_connection(connection), m_adminKey(std::move(adminKey))
{
}

void JanusRoomControl::createRoom(const JanusRoomSpec& spec, Done<JanusRoom> done)
{
    JanusRoom room{JanusRandom::opaqueId(), JanusRandom::secret(), JanusRandom::secret()};
    const QJsonObject body{
        {"request", "create"},
        {"admin_key", m_adminKey},
        {"room", jsonId(room.id)},
        {"permanent", false},
        {"description", room.description},
        {"secret", room.secret},
        {"is_private", true},
        {"require_pvtid", true},
        {"require_e2ee", true},
        {"allowed", QJsonArray{}},
        {"publishers", spec.publishers},
        {"audiolevel_event", spec.audioLevelEvents},
        {"audiocodec", "opus"},
        {"videocodec", "vp8"},
        {"notify_joining", false},
    };
    m_connection.pluginRequest(body, [room, done = std::move(done)](Result<QJsonObject> reply) {
        if (!reply)
            return done(reply.error());
        if (reply->value("videoroom").toString() != "created" ||
            static_cast<std::uint64_t>(reply->value("room").toInteger()) != room.id)
            return done(Error{"janus.protocol",
                              "The media server (Janus) answered a room creation with something "
                              "other than the room asked for; the hub does not use that instance.",
                              ErrorCategory::ConnectionOrIdentity});
        done(room);
    });
}

void JanusRoomControl::allowed(const JanusRoom& room, const QString& action, const QString& token,
                               Done<QStringList> done)
{
    const QJsonObject body{{"request", "allowed"},
                           {"room", jsonId(room.id)},
                           {"secret", room.secret},
                           {"action", action},
                           {"allowed", QJsonArray{token}}};
    m_connection.pluginRequest(body, [done = std::move(done)](Result<QJsonObject> reply) {
        if (!reply)
            return done(reply.error());
        QStringList tokens;
        for (const auto& t : reply->value("allowed").toArray())
            tokens << t.toString();
        done(tokens);
    });
}

void JanusRoomControl::allow(const JanusRoom& room, const QString& token, Done<QStringList> done)
{
    allowed(room, QStringLiteral("add"), token, std::move(done));
}

void JanusRoomControl::disallow(const JanusRoom& room, const QString& token, Done<QStringList> done)
{
    allowed(room, QStringLiteral("remove"), token, std::move(done));
}

void JanusRoomControl::kick(const JanusRoom& room, std::uint64_t participantId, Done<void> done)
{
    const QJsonObject body{{"request", "kick"},
                           {"room", jsonId(room.id)},
                           {"secret", room.secret},
                           {"id", jsonId(participantId)}};
    m_connection.pluginRequest(body, [done = std::move(done)](Result<QJsonObject> reply) {
        done(reply ? Result<void>{} : Result<void>{reply.error()});
    });
}

void JanusRoomControl::destroyRoom(const JanusRoom& room, Done<void> done)
{
    const QJsonObject body{{"request", "destroy"},
                           {"room", jsonId(room.id)},
                           {"secret", room.secret},
                           {"permanent", false}};
    m_connection.pluginRequest(body, [done = std::move(done)](Result<QJsonObject> reply) {
        done(reply ? Result<void>{} : Result<void>{reply.error()});
    });
}

void JanusRoomControl::listParticipants(const JanusRoom& room, Done<QList<JanusParticipant>> done)
{
    const QJsonObject body{{"request", "listparticipants"}, {"room", jsonId(room.id)}};
    m_connection.pluginRequest(body, [done = std::move(done)](Result<QJsonObject> reply) {
        if (!reply)
            return done(reply.error());
        QList<JanusParticipant> people;
        for (const auto& p : reply->value("participants").toArray()) {
            const QJsonObject o = p.toObject();
            people.append(JanusParticipant{static_cast<std::uint64_t>(o.value("id").toInteger()),
                                           o.value("display").toString(),
                                           o.value("publisher").toBool()});
        }
        done(people);
    });
}

void JanusRoomControl::listRooms(Done<QList<QJsonObject>> done)
{
    const QJsonObject body{{"request", "list"}, {"admin_key", m_adminKey}};
    m_connection.pluginRequest(body, [done = std::move(done)](Result<QJsonObject> reply) {
        if (!reply)
            return done(reply.error());
        QList<QJsonObject> rooms;
        for (const auto& r : reply->value("list").toArray())
            rooms.append(r.toObject());
        done(rooms);
    });
}

} // namespace conclave::hub
