// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/JanusRooms.h"

#include "hub/JanusRandom.h"
#include "janus/FeedId.h"

#include <algorithm>

namespace conclave::hub {

JanusRooms::JanusRooms(std::vector<JanusInstanceConfig> instances, Options options, QObject* parent)
    : QObject(parent), m_options(std::move(options))
{
    for (JanusInstanceConfig& config : instances)
        m_instances.push_back(Instance{std::move(config), nullptr, nullptr, false});
    m_retry.setInterval(m_options.retryInterval);
    connect(&m_retry, &QTimer::timeout, this, &JanusRooms::retry);
}

JanusRooms::~JanusRooms()
{
    // Rooms are not permanent: Janus drops them with the hub's session when it closes.
    for (Instance& instance : m_instances)
        if (instance.connection)
            instance.connection->disconnect(this);
}

void JanusRooms::start()
{
    for (size_t i = 0; i < m_instances.size(); ++i)
        connectInstance(i);
    m_retry.start();
}

void JanusRooms::connectInstance(size_t index)
{
    Instance& instance = m_instances[index];
    janus::JanusConnection::Options options = m_options.connection;
    options.apiSecret = instance.config.apiSecret;
    options.expectedPins = {instance.config.spkiPin};
    instance.control.reset();
    instance.connection = std::make_unique<janus::JanusConnection>(instance.config.url, options);
    instance.control =
        std::make_unique<JanusRoomControl>(*instance.connection, instance.config.adminKey);
    janus::JanusConnection* connection = instance.connection.get();
    connect(connection, &janus::JanusConnection::lost, this,
            [this, index, connection](const Error& why) {
                if (m_instances[index].connection.get() == connection)
                    instanceLost(index, why);
            });
    connection->open([this, index, connection](Result<void> opened) {
        Instance& now = m_instances[index];
        if (now.connection.get() != connection)
            return;
        if (!opened) {
            // The retry timer makes a new connection; only the first failure in a row is
            // logged, so an instance that stays down does not fill the log every 5 s.
            if (!now.reportedUnreachable)
                log(HubEvent::Kind::JanusInstance, {}, now.config.url.toString() + " unreachable",
                    &opened.error());
            now.reportedUnreachable = true;
            now.control.reset();
            now.connection.release()->deleteLater(); // not inside its own callback
            return;
        }
        now.ready = true;
        now.reportedUnreachable = false;
        log(HubEvent::Kind::JanusInstance, {}, now.config.url.toString() + " ready");
        retry(); // meetings waiting for a room
    });
}

void JanusRooms::instanceLost(size_t index, const Error& why)
{
    Instance& instance = m_instances[index];
    instance.ready = false;
    log(HubEvent::Kind::JanusInstance, {}, instance.config.url.toString() + " lost", &why);
    // The connection object must not die inside its own signal; the retry makes a new one.
    instance.control.reset();
    instance.connection.release()->deleteLater();
    for (auto& [meetingId, meeting] : m_meetings) {
        if (meeting.instance != index)
            continue;
        meeting.moved = meeting.moved || meeting.room.has_value();
        meeting.instance.reset();
        meeting.room.reset();
        ++meeting.placement;
        place(meetingId);
    }
}

void JanusRooms::retry()
{
    for (size_t i = 0; i < m_instances.size(); ++i)
        if (!m_instances[i].connection)
            connectInstance(i);
    for (auto& [meetingId, meeting] : m_meetings)
        if (!meeting.instance)
            place(meetingId);
}

size_t JanusRooms::readyInstances() const
{
    return size_t(std::count_if(m_instances.begin(), m_instances.end(),
                                [](const Instance& i) { return i.ready; }));
}

std::optional<QUrl> JanusRooms::placementOf(const QByteArray& meetingId) const
{
    const auto it = m_meetings.find(meetingId);
    if (it == m_meetings.end() || !it->second.room)
        return std::nullopt;
    return m_instances[*it->second.instance].config.url;
}

std::optional<JanusRoom> JanusRooms::roomOf(const QByteArray& meetingId) const
{
    const auto it = m_meetings.find(meetingId);
    return it == m_meetings.end() ? std::nullopt : it->second.room;
}

std::optional<size_t> JanusRooms::leastLoaded() const
{
    // Load is members, then rooms: a room stays on its instance for the meeting's life (it
    // fits on one instance), so the members it will have are not known; those it has are.
    std::optional<size_t> best;
    std::pair<size_t, size_t> bestLoad{SIZE_MAX, SIZE_MAX};
    for (size_t i = 0; i < m_instances.size(); ++i) {
        if (!m_instances[i].ready)
            continue;
        std::pair<size_t, size_t> load{0, 0};
        for (const auto& [id, meeting] : m_meetings)
            if (meeting.instance == i) {
                load.first += meeting.members.size();
                ++load.second;
            }
        if (load < bestLoad) {
            best = i;
            bestLoad = load;
        }
    }
    return best;
}

void JanusRooms::apply(const MediaRoomChange& change)
{
    switch (change.kind) {
    case MediaRoomChange::Kind::Open:
        m_meetings[change.meetingId];
        return place(change.meetingId);
    case MediaRoomChange::Kind::Join: {
        const auto it = m_meetings.find(change.meetingId);
        if (it == m_meetings.end())
            return;
        Meeting& meeting = it->second;
        if (const auto old = meeting.members.find(change.identity);
            old != meeting.members.end() && meeting.room)
            revoke(*meeting.instance, *meeting.room, change.identity, old->second.token);
        // A fresh token per admission: one that was ever given out is never valid again.
        meeting.members[change.identity] = Member{change.connection, JanusRandom::memberToken()};
        if (meeting.room)
            grant(change.meetingId, change.identity);
        return;
    }
    case MediaRoomChange::Kind::Leave: {
        const auto it = m_meetings.find(change.meetingId);
        if (it == m_meetings.end())
            return;
        Meeting& meeting = it->second;
        const auto member = meeting.members.find(change.identity);
        if (member == meeting.members.end())
            return;
        const QString token = member->second.token;
        meeting.members.erase(member);
        if (meeting.room)
            revoke(*meeting.instance, *meeting.room, change.identity, token);
        return;
    }
    case MediaRoomChange::Kind::Close: {
        const auto it = m_meetings.find(change.meetingId);
        if (it == m_meetings.end())
            return;
        if (it->second.room) {
            Instance& instance = m_instances[*it->second.instance];
            if (instance.control)
                // Destroying the room ends every participant's stay in it.
                instance.control->destroyRoom(*it->second.room, [](Result<void>) {});
        }
        log(HubEvent::Kind::MediaRoom, change.meetingId, QStringLiteral("closed"));
        m_meetings.erase(it);
        return;
    }
    }
}

void JanusRooms::place(const QByteArray& meetingId)
{
    Meeting& meeting = m_meetings.at(meetingId);
    const std::optional<size_t> index = leastLoaded();
    if (!index)
        return failed(meetingId,
                      Error{"janus.unavailable",
                            "No media server (Janus) for this meeting is reachable, so audio and "
                            "video are paused; chat and the meeting's controls go on. The hub "
                            "makes a new media room as soon as a server is back.",
                            ErrorCategory::ConnectionOrIdentity});
    meeting.instance = index;
    const uint64_t placement = ++meeting.placement;
    Instance& instance = m_instances[*index];
    JanusRoomSpec spec;
    spec.publishers = m_options.publishersPerRoom;
    spec.audioLevelEvents = false; // docs/scaling.md: nothing here needs who-is-speaking events
    instance.control->createRoom(
        spec, [this, meetingId, placement, index = *index](Result<JanusRoom> made) {
            const auto it = m_meetings.find(meetingId);
            const bool current = it != m_meetings.end() && it->second.placement == placement;
            if (!current) { // ended or moved meanwhile: the room is nobody's
                if (made && m_instances[index].control)
                    m_instances[index].control->destroyRoom(*made, [](Result<void>) {});
                return;
            }
            Meeting& placed = it->second;
            if (!made) {
                placed.instance.reset(); // tried again on the next retry
                return failed(meetingId, made.error());
            }
            placed.room = *made;
            const QString url = m_instances[index].config.url.toString();
            log(HubEvent::Kind::MediaRoom, meetingId,
                (placed.moved ? QStringLiteral("moved to ") : QStringLiteral("opened on ")) + url);
            for (auto& [identity, member] : placed.members) {
                member.token = JanusRandom::memberToken(); // tokens of a lost room are not reused
                grant(meetingId, identity);
            }
        });
}

void JanusRooms::grant(const QByteArray& meetingId, const QByteArray& identity)
{
    Meeting& meeting = m_meetings.at(meetingId);
    const size_t index = *meeting.instance;
    const JanusRoom room = *meeting.room;
    const QString token = meeting.members.at(identity).token;
    m_instances[index].control->allow(
        room, token, [this, meetingId, identity, token, index, room](Result<QStringList> allowed) {
            const Member* member = memberOf(meetingId, identity);
            const auto roomNow = roomOf(meetingId);
            const bool current =
                member && member->token == token && roomNow && roomNow->id == room.id;
            if (!allowed) {
                if (current)
                    failed(meetingId, allowed.error());
                return;
            }
            if (!current) { // left (or the room moved) while Janus was adding it: take it off again
                if (m_instances[index].control)
                    m_instances[index].control->disallow(room, token, [](Result<QStringList>) {});
                return;
            }
            if (m_deliver)
                m_deliver(
                    member->connection,
                    HubNotice::mediaRoom(m_instances[index].config.url.toString(), room.id, token));
        });
}

void JanusRooms::revoke(size_t index, const JanusRoom& room, const QByteArray& identity,
                        const QString& token)
{
    JanusRoomControl* control = m_instances[index].control.get();
    if (!control)
        return;
    // Off the list first, so the kicked member cannot simply join again (kick is not a ban);
    // then its publisher goes, and with it the subscriptions made under its private id. The
    // chair's rekey is what really shuts it out.
    const uint64_t feed = janus::feedIdFor(room.id, identity);
    control->disallow(room, token, [this, index, room, feed](Result<QStringList>) {
        if (JanusRoomControl* now = m_instances[index].control.get())
            now->kick(room, feed, [](Result<void>) {}); // not there (never joined): fine
    });
}

const JanusRooms::Member* JanusRooms::memberOf(const QByteArray& meetingId,
                                               const QByteArray& identity) const
{
    const auto it = m_meetings.find(meetingId);
    if (it == m_meetings.end())
        return nullptr;
    const auto member = it->second.members.find(identity);
    return member == it->second.members.end() ? nullptr : &member->second;
}

void JanusRooms::failed(const QByteArray& meetingId, const Error& why)
{
    log(HubEvent::Kind::MediaRoomFailed, meetingId, {}, &why);
    const auto it = m_meetings.find(meetingId);
    if (it != m_meetings.end())
        tellMembers(it->second, HubNotice::error(why.code, why.message));
}

void JanusRooms::tellMembers(const Meeting& meeting, const HubNotice& notice)
{
    if (!m_deliver)
        return;
    for (const auto& [identity, member] : meeting.members)
        m_deliver(member.connection, notice);
}

void JanusRooms::log(HubEvent::Kind kind, const QByteArray& meetingId, const QString& detail,
                     const Error* why)
{
    HubEvent ev;
    ev.kind = kind;
    ev.meetingId = meetingId;
    ev.detail = detail;
    if (why) {
        ev.code = QString::fromStdString(why->code);
        ev.reason = QString::fromStdString(why->message);
    }
    emit event(ev);
}

} // namespace conclave::hub
