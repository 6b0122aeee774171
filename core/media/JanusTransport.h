// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/JanusRoomSession.h"
#include "media/MediaTransport.h"

#include <QObject>
#include <QTimer>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace conclave::media {

/// The hub+janus carriage (docs/media.md "JanusTransport"): this member's streams go once to
/// the meeting's Janus VideoRoom and everyone else's come back on one subscription, through a
/// JanusRoomSession for the room the hub named (useRoom; a new room - the hub moved the meeting
/// - replaces it). Every roster member's feed id is computed here (janus::feedIdFor with the
/// room and its identity key): only feeds of roster members that Janus lists as publishing are
/// subscribed, and each pad goes to the RemoteMember whose feed it is. A pad of a feed that is
/// nobody's is dropped and counted (fail closed); frames under a wrong mapping fail SFrame
/// authentication anyway. Publishing starts at the first startSending. Keyframes: each
/// encryptor asks its encoder for one with the first frame under a new key, Janus asks for one
/// when a subscription starts, the subscription asks Janus for one on streams a renegotiation
/// added, and a watch here asks again for any video stream whose packets arrive while no frame
/// comes out (its keyframe was lost, or came before its branch was linked): Janus 1.1 does not
/// pass on the depayloader's own requests reliably, and the encoder's next keyframe of its own
/// can be 10 s away.
///
/// When the session fails (unreachable, pin mismatch, token refused, kicked, lost) the problem
/// is reported and the transport waits for the hub's next room. Qt thread, except the pad
/// handler (GStreamer's threads), which is serialised with removeMember.
class JanusTransport : public QObject, public MediaTransport {
    Q_OBJECT
public:
    explicit JanusTransport(const TransportContext& context);
    ~JanusTransport() override;
    static TransportFactory factory();

    const char* name() const override { return "janus"; }
    uint64_t bytesSent() const override
    {
        return m_bytesSentBefore + (m_session ? m_session->bytesSent() : 0);
    }
    void addMember(uint32_t index, uint32_t ownIndex, RemoteMember& member) override;
    void removeMember(uint32_t index) override;
    void startSending(uint32_t index) override;
    Result<void> onSignal(uint32_t from, const QByteArray& payload) override;
    void stop() override;
    void setIdentities(uint32_t ownIndex,
                       const std::map<uint32_t, QByteArray>& identities) override;
    Result<void> useRoom(const SfuRoom& room) override;
    void useTurnServers(std::vector<turn::TurnServer> servers) override;
    /// What a link made now gets: a new room's session, the current session's later links
    /// (tests).
    const std::vector<turn::TurnServer>& turnServersForNewLinks() const
    {
        return m_context.options.turnServers;
    }

    /// Pads Janus handed over for a feed that is no roster member's: dropped, never decrypted.
    uint64_t unattributedPads() const { return m_unattributed; }
    /// Joined the current room (false before, after a failure, or when stopped).
    bool isJoined() const { return m_session && m_session->isJoined(); }
    bool isPublishing() const { return m_session && m_session->isPublishing(); }
    /// The feeds subscribed in the current room.
    std::set<uint64_t> subscribedFeeds() const;
    /// The current room's session, if any (tests and status).
    JanusRoomSession* session() { return m_session.get(); }
    /// Keyframes asked of Janus for video streams that waited for one (see the class comment).
    uint64_t keyframeAsks() const override { return m_keyframeAsks; }
    CongestionControl* congestion() override { return m_congestion.get(); }

    /// How often the watch looks, and how long a stream may wait before it asks (again).
    static constexpr std::chrono::milliseconds kKeyframeWatch{250};
    static constexpr std::chrono::milliseconds kKeyframePatience{500};

private:
    void connectToRoom();
    void endSession();
    /// Recomputes feed -> member for the current room and roster.
    void remap();
    /// Subscribes the roster's publishing feeds, unsubscribes the rest.
    void updateFeeds();
    uint64_t feedOf(uint32_t index) const;
    void onPad(uint64_t feed, StreamKind kind, GstPad* pad);
    void onPadGone(uint64_t feed, StreamKind kind, GstPad* pad);
    void askForStarvedKeyframes();

    TransportContext m_context;
    std::optional<SfuRoom> m_room;
    std::optional<uint32_t> m_ownIndex;
    std::map<uint32_t, QByteArray> m_identities;
    std::map<uint32_t, RemoteMember*> m_members;
    std::set<uint64_t> m_publishing; ///< feeds Janus lists as publishing in the current room
    /// useRoom came before this member's identity (the first epoch): join at setIdentities.
    bool m_roomWaiting = false;
    bool m_sending = false;
    bool m_stopped = false;
    std::unique_ptr<JanusRoomSession> m_session;
    uint64_t m_bytesSentBefore = 0; ///< by sessions ended since (a room moved)
    QTimer m_keyframeWatch;
    uint64_t m_keyframeAsks = 0;
    /// One publisher link (id 0): Janus's transport-cc feedback on what reached it.
    std::unique_ptr<CongestionControl> m_congestion;

    std::mutex m_padMutex; ///< guards what the pad handler reads (GStreamer's threads)
    std::map<uint64_t, RemoteMember*> m_byFeed;
    bool m_padsOpen = false; ///< false while a session is being torn down
    std::atomic<uint64_t> m_unattributed{0};
};

} // namespace conclave::media
