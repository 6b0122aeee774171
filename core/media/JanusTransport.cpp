// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/JanusTransport.h"

#include "janus/FeedId.h"

#include <QPointer>
#include <QTimer>

#include <utility>

namespace conclave::media {

JanusTransport::JanusTransport(const TransportContext& context) : m_context(context)
{
    m_keyframeWatch.setInterval(kKeyframeWatch);
    connect(&m_keyframeWatch, &QTimer::timeout, this, &JanusTransport::askForStarvedKeyframes);
    m_keyframeWatch.start();
    if (m_context.local)
        m_congestion = std::make_unique<CongestionControl>(
            *m_context.local, m_context.options.videoBitrate, [this] {
                std::map<uint32_t, GstElement*> links;
                if (m_session && m_session->isPublishing() && m_session->publishWebrtc())
                    links.emplace(0, m_session->publishWebrtc());
                return links;
            });
}

JanusTransport::~JanusTransport()
{
    endSession();
}

TransportFactory JanusTransport::factory()
{
    return [](const TransportContext& context) -> std::unique_ptr<MediaTransport> {
        return std::make_unique<JanusTransport>(context);
    };
}

uint64_t JanusTransport::feedOf(uint32_t index) const
{
    const auto identity = m_identities.find(index);
    if (!m_room || identity == m_identities.end())
        return 0;
    return janus::feedIdFor(m_room->room, identity->second); // 0 for a malformed key
}

void JanusTransport::remap()
{
    std::map<uint64_t, RemoteMember*> byFeed;
    for (const auto& [index, member] : m_members)
        if (const uint64_t feed = feedOf(index); feed != 0)
            byFeed[feed] = member;
    std::lock_guard lock(m_padMutex);
    m_byFeed = std::move(byFeed);
}

void JanusTransport::setIdentities(uint32_t ownIndex,
                                   const std::map<uint32_t, QByteArray>& identities)
{
    m_ownIndex = ownIndex;
    m_identities = identities;
    remap();
    // A room that came before the first epoch is joined now. A room whose session failed is
    // not tried again: the hub sends a new one (or the same one with a new token).
    if (std::exchange(m_roomWaiting, false) && m_room && !m_stopped)
        connectToRoom();
}

void JanusTransport::addMember(uint32_t index, uint32_t ownIndex, RemoteMember& member)
{
    if (index == ownIndex || m_stopped)
        return;
    m_members[index] = &member;
    remap();
    updateFeeds();
}

void JanusTransport::removeMember(uint32_t index)
{
    const auto it = m_members.find(index);
    if (it == m_members.end())
        return;
    RemoteMember* member = it->second;
    m_members.erase(it);
    // Once the lock is ours no attach to it is in flight, and none can start after.
    remap();
    for (StreamKind kind : kAllStreams)
        member->detach(kind);
    updateFeeds();
}

void JanusTransport::updateFeeds()
{
    if (!m_session)
        return;
    std::set<uint64_t> wanted;
    for (const auto& [index, member] : m_members)
        if (const uint64_t feed = feedOf(index); feed != 0 && m_publishing.count(feed))
            wanted.insert(feed);
    m_session->setFeeds(wanted);
}

void JanusTransport::startSending(uint32_t)
{
    // One publisher for everyone: it starts with the first member holding this member's keys.
    if (m_sending)
        return;
    m_sending = true;
    if (m_session)
        m_session->publish();
}

Result<void> JanusTransport::onSignal(uint32_t, const QByteArray&)
{
    return Error{"media.not_mesh",
                 "a member sent a direct media set-up message, but this meeting's media goes "
                 "through its media server (Janus); the message was ignored",
                 ErrorCategory::PolicyRefusal};
}

Result<void> JanusTransport::useRoom(const SfuRoom& room)
{
    if (m_stopped)
        return {};
    if (room.room == 0 || room.token.isEmpty() || room.pins.isEmpty())
        return Error{"media.bad_room",
                     "the hub's media room is incomplete (no room, token or pinned key), so this "
                     "member's media was not connected; the hub should send a complete one"};
    // A new room (the meeting moved) replaces the old one entirely.
    endSession();
    m_room = room;
    m_publishing.clear();
    remap();
    if (m_ownIndex)
        connectToRoom();
    else
        m_roomWaiting = true;
    return {};
}

void JanusTransport::useTurnServers(std::vector<turn::TurnServer> servers)
{
    if (auto checked = turn::checkTurnServers(servers, m_context.options.relayOnly); !checked) {
        if (m_context.reportProblem)
            m_context.reportProblem(checked.error());
        return;
    }
    // The session of a later room copies m_context; the current one may still make its
    // publisher or a new subscription.
    m_context.options.turnServers = servers;
    if (m_session)
        m_session->useTurnServers(std::move(servers));
}

void JanusTransport::connectToRoom()
{
    const uint64_t ownFeed = feedOf(*m_ownIndex);
    if (ownFeed == 0) {
        if (m_context.reportProblem)
            m_context.reportProblem(Error{"media.no_identity",
                                          "this member's identity key is not in the roster, so "
                                          "its media cannot join the media server's room"});
        return;
    }
    m_session = std::make_unique<JanusRoomSession>(
        m_context, *m_room, ownFeed,
        [this](uint64_t feed, StreamKind kind, GstPad* pad) { onPad(feed, kind, pad); },
        [this](uint64_t feed, StreamKind kind, GstPad* pad) { onPadGone(feed, kind, pad); });
    JanusRoomSession* session = m_session.get();
    connect(session, &JanusRoomSession::joined, this, [this](const QList<quint64>& feeds) {
        m_publishing = std::set<uint64_t>(feeds.begin(), feeds.end());
        if (m_sending)
            m_session->publish();
        updateFeeds();
    });
    connect(session, &JanusRoomSession::publishersAdded, this, [this](const QList<quint64>& feeds) {
        m_publishing.insert(feeds.begin(), feeds.end());
        updateFeeds();
    });
    connect(session, &JanusRoomSession::feedGone, this, [this](quint64 feed) {
        m_publishing.erase(feed);
        updateFeeds();
    });
    connect(session, &JanusRoomSession::problem, this, [this](const Error& why) {
        if (m_context.reportProblem)
            m_context.reportProblem(why);
    });
    connect(session, &JanusRoomSession::failed, this, [this, session](const Error& why) {
        if (m_context.reportProblem)
            m_context.reportProblem(why);
        // Not from inside the session's own signal: it is torn down next.
        QTimer::singleShot(0, this, [this, session] {
            if (m_session.get() == session)
                endSession();
        });
    });
    {
        std::lock_guard lock(m_padMutex);
        m_padsOpen = true;
    }
    session->open();
}

void JanusTransport::endSession()
{
    {
        std::lock_guard lock(m_padMutex);
        m_padsOpen = false;
    }
    if (!m_session)
        return;
    // Members' branches leave the session's pads before its PeerConnection goes.
    for (const auto& [index, member] : m_members)
        for (StreamKind kind : kAllStreams)
            member->detach(kind);
    m_bytesSentBefore += m_session->bytesSent();
    m_session.reset();
    m_publishing.clear();
}

void JanusTransport::stop()
{
    m_stopped = true;
    m_sending = false;
    m_congestion.reset();
    endSession();
    m_members.clear();
    remap();
}

std::set<uint64_t> JanusTransport::subscribedFeeds() const
{
    return m_session ? m_session->subscribed() : std::set<uint64_t>{};
}

void JanusTransport::onPad(uint64_t feed, StreamKind kind, GstPad* pad)
{
    {
        // Held during attach: removeMember waits for it, so a member gone never gets a pad.
        std::lock_guard lock(m_padMutex);
        const auto it = m_byFeed.find(feed);
        if (m_padsOpen && it != m_byFeed.end())
            return it->second->attach(kind, pad);
    }
    // Nobody's (not in the roster, or being torn down): never decrypted, never decoded.
    ++m_unattributed;
    RemoteMember::park(pad);
}

void JanusTransport::askForStarvedKeyframes()
{
    if (!m_session)
        return;
    const auto now = std::chrono::steady_clock::now();
    for (const auto& [index, member] : m_members)
        for (StreamKind kind : member->starvedOfKeyframes(now, kKeyframePatience))
            if (const uint64_t feed = feedOf(index); feed != 0)
                m_keyframeAsks += m_session->askForKeyframe(feed, kind) ? 1 : 0;
}

void JanusTransport::onPadGone(uint64_t feed, StreamKind kind, GstPad* pad)
{
    RemoteMember* member = nullptr;
    {
        std::lock_guard lock(m_padMutex);
        if (const auto it = m_byFeed.find(feed); it != m_byFeed.end())
            member = it->second;
    }
    // Qt thread, like removeMember: the member cannot go in between.
    if (member)
        member->detach(kind, pad);
}

} // namespace conclave::media
