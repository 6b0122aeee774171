// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the Janus media tests share (tst_janus_media, tst_janus_ciphertext,
// tst_janus_malicious_sfu): a real Janus in its own network namespace with one room, members
// publishing SFrame-protected test media through it, members joined to subscribe.

#include "JanusProcess.h"
#include "crypto/SecureBuffer.h"
#include "crypto/SframeCipherSuite.h"
#include "hub/JanusRoomControl.h"
#include "janus/JanusConnection.h"
#include "janus/JanusMessage.h"
#include "janus/VideoRoomPublisher.h"
#include "janus/VideoRoomSubscriber.h"
#include "media/JanusPublishLink.h"
#include "media/LocalStreams.h"
#include "media/MediaOptions.h"
#include "media/StreamKind.h"

#include <QSignalSpy>
#include <QString>

#include <gst/gst.h>

#include <atomic>
#include <cstdint>
#include <memory>

namespace conclave::testsupport {

inline constexpr auto kMediaSuite = crypto::CipherSuite::ChaCha20Poly1305Sha256;

/// The KID of stream `kind` of the member with roster index `index`, epoch 1.
uint64_t mediaKid(media::StreamKind kind, uint32_t index = 0);

/// A member's pipeline, stopped and freed when the test is done.
struct Pipeline {
    GstElement* element = gst_pipeline_new(nullptr);
    bool play();
    ~Pipeline();
};

/// A member publishing test media through Janus: its pipeline, SFrame keys, connection,
/// VideoRoom publisher and publish link (destroyed in reverse order).
struct Publishing {
    uint32_t index = 0; ///< its roster index (in its KIDs)
    uint64_t feed = 0;
    crypto::SecureBuffer key = crypto::SecureBuffer::random(32);
    std::atomic<uint64_t> keyframes{0}; ///< camera keyframes leaving the encoder
    Pipeline pipeline;
    std::unique_ptr<media::LocalStreams> local;
    std::unique_ptr<janus::JanusConnection> connection;
    std::unique_ptr<janus::VideoRoomPublisher> publisher;
    std::unique_ptr<media::JanusPublishLink> link;
};

/// A member that subscribes: joined as a publisher (for its private id; it sends nothing) on
/// its own connection, with a subscriber handle on that connection not joined yet.
struct Viewing {
    uint64_t feed = 0;
    QString token;
    Pipeline pipeline;
    std::unique_ptr<janus::JanusConnection> connection;
    std::unique_ptr<janus::VideoRoomPublisher> publisher;
    std::unique_ptr<janus::VideoRoomSubscriber> subscriber;
};

bool sawEvent(const QSignalSpy& spy, janus::JanusEvent::Kind kind);

/// The conclavesframedec of the RemoteMember branch a transport's `pad` is attached to (pad ->
/// depayloader -> decryptor), with a reference for the caller; nullptr if not attached.
GstElement* branchDecryptor(GstPad* pad);

/// For a failure message: each source pad of the webrtcbin elements in `pipeline`, with its
/// transceiver's mid and what it is linked to ("src_0 mid 0 -> rtpopusdepay3").
QString describeReceivePads(GstElement* pipeline);
/// The DTLS roles (`a=setup` values) in the local answers of `pipeline`'s webrtcbins.
QStringList localAnswerSetups(GstElement* pipeline);

/// Janus (own namespace, wss, pinned key), the hub's room control and one room.
class JanusMedia {
public:
    /// Starts GStreamer's elements, Janus and the room; an empty string, or why not.
    QString start();

    JanusProcess& janus() { return m_janus; }
    hub::JanusRoomControl& rooms() { return *m_rooms; }
    const hub::JanusRoom& room() const { return m_room; }
    /// 160x120, 10 fps test media, ICE on the namespace's address.
    const media::MediaOptions& options() const { return m_options; }

    /// A connection to Janus as `requester` ("the hub", "this member"); nullptr if refused.
    std::unique_ptr<janus::JanusConnection> connect(const QString& requester);
    /// A member with test media and its own key (KIDs of roster index `index`), joined and
    /// publishing under its feed id once Janus has its PeerConnection up; nullptr (with a
    /// failure logged) otherwise.
    std::unique_ptr<Publishing> publish(char identity, uint32_t index = 0);
    /// A member admitted to the room and joined as a (silent) publisher, ready to subscribe
    /// with `subscriber` and its publisher's private id; nullptr (logged) otherwise.
    std::unique_ptr<Viewing> view(char identity);

private:
    JanusProcess m_janus;
    std::unique_ptr<janus::JanusConnection> m_control;
    std::unique_ptr<hub::JanusRoomControl> m_rooms;
    hub::JanusRoom m_room;
    media::MediaOptions m_options;
};

} // namespace conclave::testsupport
