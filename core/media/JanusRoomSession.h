// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "janus/JanusConnection.h"
#include "janus/VideoRoomPublisher.h"
#include "janus/VideoRoomSubscriber.h"
#include "media/JanusPublishLink.h"
#include "media/JanusSubscribeLink.h"
#include "media/MediaTransport.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <vector>

namespace conclave::media {

/// One member's presence in one Janus VideoRoom, for JanusTransport (docs/media.md
/// "JanusTransport"): a JanusConnection to the room's address with the policy's pins and no API
/// secret, a VideoRoomPublisher joined under the member's feed id and token, its JanusPublishLink
/// once `publish` is called, and one VideoRoomSubscriber + JanusSubscribeLink for the feeds
/// `setFeeds` names (joined at the first non-empty set, then subscribe / unsubscribe). Which
/// feeds those are, and whose each pad is, is the transport's business.
///
/// A session that fails (unreachable, pin mismatch, token refused, kicked, connection lost) says
/// so once with `failed` and does nothing more; the transport drops it. Destroying it leaves the
/// room and closes the connection. Qt thread.
class JanusRoomSession : public QObject {
    Q_OBJECT
public:
    JanusRoomSession(const TransportContext& context, const SfuRoom& room, uint64_t ownFeed,
                     JanusSubscribeLink::PadHandler onPad, JanusSubscribeLink::PadGone onGone);
    ~JanusRoomSession() override;
    JanusRoomSession(const JanusRoomSession&) = delete;
    JanusRoomSession& operator=(const JanusRoomSession&) = delete;

    /// Connects and joins as a publisher: `joined` or `failed` follows.
    void open();
    /// Starts sending this member's streams (once joined; remembered until then).
    void publish();
    /// The feeds to receive from now on (the caller passes only feeds Janus lists as publishing).
    void setFeeds(const std::set<uint64_t>& feeds);
    /// The TURN servers for links this session makes from now on (the publisher if not yet
    /// made, a subscription made or made again); links made keep theirs. Checked by the
    /// transport (MediaTransport::useTurnServers).
    void useTurnServers(std::vector<turn::TurnServer> servers)
    {
        m_context.options.turnServers = std::move(servers);
    }
    /// What a link made now gets (tests).
    const std::vector<turn::TurnServer>& turnServersForNewLinks() const
    {
        return m_context.options.turnServers;
    }
    /// Asks Janus for a keyframe of `feed`'s `kind` (see JanusSubscribeLink::askForKeyframe).
    bool askForKeyframe(uint64_t feed, StreamKind kind)
    {
        return m_subscribeLink && m_subscribeLink->askForKeyframe(feed, kind);
    }

    bool isJoined() const { return m_joined; }
    /// Protected frame bytes this session has published so far.
    uint64_t bytesSent() const { return m_publishLink ? m_publishLink->bytesSent() : 0; }
    /// The publisher link's webrtcbin, once there is one (CongestionControl).
    GstElement* publishWebrtc() const { return m_publishLink ? m_publishLink->webrtc() : nullptr; }
    /// True once Janus answered this member's publish offer.
    bool isPublishing() const { return m_published; }
    /// The subscription as asked of Janus (for tests and status).
    const std::set<uint64_t>& subscribed() const { return m_subscribed; }
    /// Subscriptions made in this room so far: 1, plus one per subscription made afresh after
    /// a failed negotiation (tests and status).
    int subscriptionsMade() const { return m_subscriptionsMade; }
    /// The current subscription's Janus handle, if any (tests: to play a misbehaving Janus).
    janus::VideoRoomSubscriber* subscriber() { return m_subscriber.get(); }

    /// How long a refused subscription change or a failed subscription waits before it is
    /// tried again (not at once: what failed may fail again).
    static constexpr std::chrono::milliseconds kRetryDelay{1000};

signals:
    /// Joined; `feeds` are the room's publishers at that moment (not this member's own).
    void joined(const QList<quint64>& feeds);
    void publishersAdded(const QList<quint64>& feeds);
    void feedGone(quint64 feed);
    /// The session is over (emitted once): the transport waits for the hub's next room.
    void failed(const conclave::Error& why);
    /// Something went wrong that does not end the session (e.g. a subscription change refused).
    void problem(const conclave::Error& why);

private:
    void fail(Error why);
    void startPublishing();
    void reconcile();
    /// reconcile() again after kRetryDelay (once, however often asked meanwhile).
    void reconcileLater();
    void joinSubscriber(const std::set<uint64_t>& feeds);
    /// The subscription's negotiation failed: its pads go back to the members, it is dropped,
    /// and a new one is made with the feeds wanted then.
    void remakeSubscription(const QString& why);

    TransportContext m_context;
    SfuRoom m_room;
    uint64_t m_ownFeed;
    JanusSubscribeLink::PadHandler m_onPad;
    JanusSubscribeLink::PadGone m_onGone;
    // Declared in the order they depend on each other, so they go in reverse.
    std::unique_ptr<janus::JanusConnection> m_connection;
    std::unique_ptr<janus::VideoRoomPublisher> m_publisher;
    std::unique_ptr<JanusPublishLink> m_publishLink;
    std::unique_ptr<janus::VideoRoomSubscriber> m_subscriber;
    std::unique_ptr<JanusSubscribeLink> m_subscribeLink;
    std::set<uint64_t> m_wanted;
    std::set<uint64_t> m_subscribed;
    bool m_joined = false;
    bool m_publishWanted = false;
    bool m_publishStarted = false;
    bool m_published = false;
    bool m_subscriberJoining = false;
    bool m_subscriberJoined = false;
    bool m_failed = false;
    int m_subscriptionsMade = 0;
    QTimer m_retry;
};

} // namespace conclave::media
