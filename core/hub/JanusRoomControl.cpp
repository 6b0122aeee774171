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

void JanusRoomControl::request(const QJsonObject& body, Done<QJsonObject> done)
{
    const auto unwrap = [](Done<QJsonObject> d) {
        return [d = std::move(d)](Result<janus::PluginReply> r) {
            d(r ? Result<QJsonObject>{r->data} : Result<QJsonObject>{r.error()});
        };
    };
    if (m_handle->id != 0)
        return m_connection.pluginRequest(m_handle->id, body, std::nullopt,
                                          unwrap(std::move(done)));
    m_handle->waiting.emplace_back(body, std::move(done));
    if (m_handle->waiting.size() > 1)
        return; // the attach is under way
    std::weak_ptr<Handle> weak = m_handle;
    auto* connection = &m_connection;
    m_connection.attach(QStringLiteral("janus.plugin.videoroom"), [weak, connection, unwrap](
                                                                      Result<qint64> attached) {
        const auto handle = weak.lock();
        if (!handle)
            return;
        auto waiting = std::exchange(handle->waiting, {});
        if (attached)
            handle->id = *attached;
        for (auto& [b, d] : waiting) {
            if (!attached)
                d(attached.error());
            else
                connection->pluginRequest(handle->id, b, std::nullopt, unwrap(std::move(d)));
        }
    });
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
    request(body, [room, done = std::move(done)](Result<QJsonObject> reply) {
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
    request(body, [done = std::move(done)](Result<QJsonObject> reply) {
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
    request(body, [done = std::move(done)](Result<QJsonObject> reply) {
        done(reply ? Result<void>{} : Result<void>{reply.error()});
    });
}

void JanusRoomControl::destroyRoom(const JanusRoom& room, Done<void> done)
{
    const QJsonObject body{{"request", "destroy"},
                           {"room", jsonId(room.id)},
                           {"secret", room.secret},
                           {"permanent", false}};
    request(body, [done = std::move(done)](Result<QJsonObject> reply) {
        done(reply ? Result<void>{} : Result<void>{reply.error()});
    });
}

void JanusRoomControl::listParticipants(const JanusRoom& room, Done<QList<JanusParticipant>> done)
{
    const QJsonObject body{{"request", "listparticipants"}, {"room", jsonId(room.id)}};
    request(body, [done = std::move(done)](Result<QJsonObject> reply) {
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
    request(body, [done = std::move(done)](Result<QJsonObject> reply) {
        if (!reply)
            return done(reply.error());
        QList<QJsonObject> rooms;
        for (const auto& r : reply->value("list").toArray())
            rooms.append(r.toObject());
        done(rooms);
    });
}

} // namespace conclave::hub
