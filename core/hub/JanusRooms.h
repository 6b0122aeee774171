// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "hub/HubEvent.h"
#include "hub/HubNotice.h"
#include "hub/JanusInstanceConfig.h"
#include "hub/JanusRoom.h"
#include "hub/JanusRoomControl.h"
#include "hub/MediaRoomChange.h"
#include "janus/JanusConnection.h"

#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace conclave::hub {

/// The hub's VideoRooms on the Janus instances of a `hub+janus` backend (docs/scaling.md
/// "Room placement"). It carries out HubState's MediaRoomChanges: a room per meeting on the
/// least-loaded instance, a fresh token per admission put on the room's `allowed` list and
/// then sent to that member alone (`media_room` notice), and on the way out the token taken
/// off `allowed` before the member's publisher is kicked (kick alone is not a ban). When an
/// instance is lost, each of its meetings gets a new room on another instance and every member
/// a new token and notice (they re-publish there); with no instance left, members are told and
/// the rooms are made as soon as an instance is back.
///
/// Requests to Janus are asynchronous; every answer is checked against the meeting's state at
/// that moment (a member who left before its token was allowed gets it disallowed again, a
/// room made for a meeting that ended meanwhile is destroyed).
class JanusRooms : public QObject {
    Q_OBJECT

public:
    using Deliver = std::function<void(ConnectionId, const HubNotice&)>;
    struct Options {
        janus::JanusConnection::Options connection;
        /// How often lost instances are tried again (and meetings without a room placed).
        std::chrono::milliseconds retryInterval{5000};
        /// Janus's publisher cap per room.
        int publishersPerRoom = 100;
    };

    JanusRooms(std::vector<JanusInstanceConfig> instances, Options options,
               QObject* parent = nullptr);
    ~JanusRooms() override;

    /// Connects to every instance (and keeps trying those it cannot reach).
    void start();
    /// Where notices for members go (the hub's sockets).
    void setDelivery(Deliver deliver) { m_deliver = std::move(deliver); }
    void apply(const MediaRoomChange& change);

    /// For status and tests.
    size_t readyInstances() const;
    /// The URL of the instance holding the meeting's room, once it is made.
    std::optional<QUrl> placementOf(const QByteArray& meetingId) const;
    std::optional<JanusRoom> roomOf(const QByteArray& meetingId) const;

signals:
    void event(const conclave::hub::HubEvent& event);

private:
    struct Instance {
        JanusInstanceConfig config;
        std::unique_ptr<janus::JanusConnection> connection;
        std::unique_ptr<JanusRoomControl> control;
        bool ready = false;
        bool reportedUnreachable = false; ///< since it was last ready
    };
    struct Member {
        ConnectionId connection = 0;
        QString token;
    };
    struct Meeting {
        std::optional<size_t> instance; ///< where its room is, or is being made
        std::optional<JanusRoom> room;  ///< once made
        uint64_t placement = 0;         ///< bumped on every (re)placement: stale answers lose
        bool moved = false;             ///< had a room before (the next one is a move)
        std::map<QByteArray, Member> members;
    };

    void connectInstance(size_t index);
    void instanceLost(size_t index, const Error& why);
    void retry();
    /// Makes the meeting's room on the least-loaded ready instance.
    void place(const QByteArray& meetingId);
    std::optional<size_t> leastLoaded() const;
    void grant(const QByteArray& meetingId, const QByteArray& identity);
    void revoke(size_t index, const JanusRoom& room, const QByteArray& identity,
                const QString& token);
    const Member* memberOf(const QByteArray& meetingId, const QByteArray& identity) const;
    void failed(const QByteArray& meetingId, const Error& why);
    void tellMembers(const Meeting& meeting, const HubNotice& notice);
    void log(HubEvent::Kind kind, const QByteArray& meetingId, const QString& detail,
             const Error* why = nullptr);

    std::vector<Instance> m_instances;
    Options m_options;
    std::map<QByteArray, Meeting> m_meetings;
    Deliver m_deliver;
    QTimer m_retry;
};

} // namespace conclave::hub
