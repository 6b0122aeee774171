// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "hub/JanusRoom.h"
#include "janus/JanusConnection.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace conclave::hub {

/// The hub's VideoRoom requests on one Janus instance (docs/scaling.md "Janus rooms (hub
/// side)"). The hub owns one per instance, with that instance's JanusConnection and the admin
/// key from the hub's configuration; clients never see the admin key or a room secret.
/// All results arrive as values in the callbacks (Error{code, message} on refusal).
/// It attaches its own VideoRoom handle on the (open) connection with its first request.
class JanusRoomControl {
public:
    template <typename T>
    using Done = std::function<void(Result<T>)>;
    using JanusConnection = janus::JanusConnection;

    JanusRoomControl(JanusConnection& connection, QString adminKey);

    /// Creates a private room with a random id (< 2^53), random secret and opaque description;
    /// require_pvtid, require_e2ee, an empty `allowed` list (so nobody can join until admitted),
    /// opus + vp8 only.
    void createRoom(const JanusRoomSpec& spec, Done<JanusRoom> done);
    /// Adds `token` to the room's `allowed` list; the result is Janus's complete list.
    void allow(const JanusRoom& room, const QString& token, Done<QStringList> done);
    /// Removes `token` from `allowed`: that token can no longer join. Does not end a present
    /// participant's stay - kick does (Janus's kick alone is not a ban).
    void disallow(const JanusRoom& room, const QString& token, Done<QStringList> done);
    void kick(const JanusRoom& room, std::uint64_t participantId, Done<void> done);
    void destroyRoom(const JanusRoom& room, Done<void> done);
    void listParticipants(const JanusRoom& room, Done<QList<JanusParticipant>> done);
    /// All rooms Janus lists to the admin key holder (private ones included), as Janus's
    /// raw room objects: for tests and status.
    void listRooms(Done<QList<QJsonObject>> done);

private:
    /// The VideoRoom handle and the requests waiting for it to be attached; shared with the
    /// connection's callbacks, which may outlive this object.
    struct Handle {
        qint64 id = 0;
        std::vector<std::pair<QJsonObject, Done<QJsonObject>>> waiting;
    };
    /// Sends `body` on the VideoRoom handle, attaching it first if need be.
    void request(const QJsonObject& body, Done<QJsonObject> done);
    void allowed(const JanusRoom& room, const QString& action, const QString& token,
                 Done<QStringList> done);

    JanusConnection& m_connection;
    QString m_adminKey;
    std::shared_ptr<Handle> m_handle = std::make_shared<Handle>();
};

} // namespace conclave::hub
