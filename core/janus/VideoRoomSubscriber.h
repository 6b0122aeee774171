// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "janus/JanusConnection.h"
#include "janus/VideoRoomTypes.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>

namespace conclave::janus {

/// A member's one multistream subscription in a Janus VideoRoom (Janus 1.1 API; docs/scaling.md
/// "Client signalling"): its own handle, `join` as a subscriber with the room, the member's
/// publisher `private_id`, the token and the feeds to receive. Janus then offers (`attached`),
/// and offers again after every `subscribe` / `unsubscribe` and when a feed leaves (`updated`,
/// also unasked): each offer comes out of `offer`, and the media side answers with `answer`
/// (Janus's `start`). `streams()` is Janus's current layout, mid -> feed, so each webrtcbin pad
/// (by its transceiver's mid) can be given to the right member.
class VideoRoomSubscriber : public QObject {
    Q_OBJECT
public:
    template <typename T>
    using Done = std::function<void(Result<T>)>;

    explicit VideoRoomSubscriber(JanusConnection& connection, QObject* parent = nullptr);
    ~VideoRoomSubscriber() override;

    /// Attaches a handle and joins with `feeds` (at least one). `privateId` is the member's
    /// publisher's (VideoRoomPublisher::privateId): a member that has not joined as a publisher
    /// with an admitted token is refused (`janus.refused`, 433). Janus's offer follows on
    /// `offer`, after `streamsChanged`.
    void join(const VideoRoomJoin& join, std::uint64_t privateId, const QList<std::uint64_t>& feeds,
              Done<void> done);
    /// Janus's latest offer answered: `start` with the client's SDP answer.
    void answer(const QString& answerSdp, Done<void> done);
    /// Adds every stream of these feeds; a new offer follows (maybe later, merged with others).
    void subscribe(const QList<std::uint64_t>& feeds, Done<void> done);
    /// Removes every stream of these feeds; a new offer follows.
    void unsubscribe(const QList<std::uint64_t>& feeds, Done<void> done);
    /// Asks the publishers of these subscriber mids (video) for a keyframe, through Janus
    /// (`configure` with `send: true`, which Janus answers with a PLI to each publisher). Janus
    /// sends one by itself only when the PeerConnection first comes up, not for streams added by
    /// a renegotiation.
    void requestKeyframes(const QStringList& mids, Done<void> done);
    /// An ICE candidate of the subscriber PeerConnection, for Janus.
    void trickle(int mlineIndex, const QString& candidate);
    void trickleCompleted();
    /// Ends the subscription and detaches the handle.
    void leave();

    qint64 handle() const { return m_handle; }
    /// Janus's current layout of this subscription (from the last `attached` / `updated`).
    const QList<SubscribedStream>& streams() const { return m_streams; }
    /// The stream with this subscriber mid, or nullptr.
    const SubscribedStream* stream(const QString& mid) const;

signals:
    /// Janus's offer for the subscriber PeerConnection (first, or a renegotiation): answer it.
    void offer(const QString& sdp);
    /// The layout changed; `before` is the previous one (so the media side can detach the
    /// branches whose mid now carries another feed, or none).
    void streamsChanged(const QList<conclave::janus::SubscribedStream>& before);
    /// Janus's PeerConnection state for this subscription: webrtcup, hangup, media, slowlink...
    void peerConnectionEvent(const conclave::janus::JanusEvent& event);
    /// One of Janus's ICE candidates (only with Janus's full trickle; else they are in the SDP).
    void remoteCandidate(int mlineIndex, const QString& candidate);
    /// Janus ended this subscription on its own (kicked with the member's publisher, room gone).
    void ended(const QString& reason);

private:
    void onEvent(const JanusEvent& event);
    /// Takes `attached` / `updated` data and its jsep: the layout, then the offer.
    void takeLayout(const QJsonObject& data, const std::optional<Jsep>& jsep);
    void update(const QString& request, const QList<std::uint64_t>& feeds, Done<void> done);

    JanusConnection& m_connection;
    qint64 m_handle = 0;
    QList<SubscribedStream> m_streams;
};

} // namespace conclave::janus
