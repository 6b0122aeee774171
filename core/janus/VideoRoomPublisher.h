// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "janus/JanusConnection.h"
#include "janus/VideoRoomTypes.h"

#include <QList>
#include <QObject>
#include <QString>

#include <cstdint>
#include <functional>

namespace conclave::janus {

/// A member's publisher in a Janus VideoRoom (docs/scaling.md "Client signalling"): its own
/// handle on the member's JanusConnection, `join` as a publisher with the room, the member's
/// feed id, the hub's token and an opaque display (the feed id again: never a name), then
/// `publish` with the client's sendonly SDP offer (Janus answers). Remembers the `private_id`
/// Janus gives on join: the member's subscriber needs it (rooms require it). Reports the room's
/// other publishers as they come and go, and its own kick.
class VideoRoomPublisher : public QObject {
    Q_OBJECT
public:
    template <typename T>
    using Done = std::function<void(Result<T>)>;

    explicit VideoRoomPublisher(JanusConnection& connection, QObject* parent = nullptr);
    ~VideoRoomPublisher() override;

    /// Attaches a handle and joins; the result is the feeds already publishing in the room.
    /// A token Janus does not list is `janus.refused` with words for the member (433).
    void join(const VideoRoomJoin& join, Done<QList<std::uint64_t>> done);
    /// Sends the client's SDP offer (marked end-to-end encrypted, opus + vp8) with a label per
    /// stream; the result is Janus's SDP answer.
    void publish(const QString& offerSdp, const QList<StreamLabel>& labels, Done<QString> done);
    /// An ICE candidate of the publisher PeerConnection, for Janus.
    void trickle(int mlineIndex, const QString& candidate);
    void trickleCompleted();
    /// Leaves the room and detaches the handle (Janus tells the others `leaving`).
    void leave();

    qint64 handle() const { return m_handle; }
    std::uint64_t feed() const { return m_join.feed; }
    /// Janus's private id for this member's participant; 0 before join.
    std::uint64_t privateId() const { return m_privateId; }

signals:
    /// Feeds that started publishing in the room (not this member's own).
    void publishersAdded(const QList<quint64>& feeds);
    /// A feed stopped publishing, left or was kicked.
    void feedGone(quint64 feed, conclave::janus::FeedGone why);
    /// Janus kicked this member (the hub removed it): its media in the room is over.
    void kicked();
    /// Janus's PeerConnection state for this publisher: webrtcup, hangup, media, slowlink...
    void peerConnectionEvent(const conclave::janus::JanusEvent& event);
    /// One of Janus's ICE candidates (only with Janus's full trickle; else they are in the SDP).
    void remoteCandidate(int mlineIndex, const QString& candidate);

private:
    void onEvent(const JanusEvent& event);
    void notePublishers(const QJsonObject& data);

    JanusConnection& m_connection;
    VideoRoomJoin m_join;
    qint64 m_handle = 0;
    std::uint64_t m_privateId = 0;
};

} // namespace conclave::janus
