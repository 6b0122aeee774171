// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "common/Result.h"
#include "media/CongestionControl.h"
#include "media/LocalStreams.h"
#include "media/MediaOptions.h"
#include "media/RemoteMember.h"
#include "media/StreamKind.h"
#include "media/StreamStats.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <gst/gst.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace conclave::media {

/// The SFU room the hub sent this member to (hub+janus), after the member checked it against
/// its own policy (call::JanusAccess): Janus's address, the pins its key must match (from the
/// policy, never the hub), the room and this member's own token.
struct SfuRoom {
    QUrl url;
    QStringList pins;
    uint64_t room = 0;
    QString token;
};

/// What a transport is given by the media session (MediaMesh) that owns it.
struct TransportContext {
    GstElement* pipeline = nullptr; ///< the meeting's (running) pipeline; add elements to it
    LocalStreams* local = nullptr;  ///< this member's streams, encrypted once (requestOutput)
    MediaOptions options;
    /// Sends a set-up message to member `to` through the hub as a signed, sealed `signal`.
    /// Callable from any thread.
    std::function<void(uint32_t to, const QByteArray& payload)> sendSignal;
    /// Something the user should hear about (e.g. the SFU cannot be reached). Any thread.
    std::function<void(const Error& problem)> reportProblem;
};

/// How this member's encrypted streams reach the others and theirs reach it: a WebRTC mesh
/// (MeshTransport) or an SFU. Only carriage: keys, decryption and the key schedule are the
/// session's (MediaMesh) and the members' (RemoteMember), the same for every transport, so
/// nothing here decides what is decrypted. A transport hands each stream it receives to the
/// RemoteMember it belongs to (attach) and takes it away when it ends (detach); a wrong
/// mapping only makes frames fail to authenticate.
///
/// Called on the session's (Qt) thread.
class MediaTransport {
public:
    virtual ~MediaTransport() = default;
    /// How the streams travel, for reports ("mesh", "janus"): never a security decision.
    virtual const char* name() const = 0;

    /// Member `index` is in the roster of a new epoch in which this member is `ownIndex`. Its
    /// streams, as they arrive, go to `member` - which stays valid until removeMember(index)
    /// has returned. Called once per member until it is removed.
    virtual void addMember(uint32_t index, uint32_t ownIndex, RemoteMember& member) = 0;
    /// Member `index` is gone from the roster. When this returns the transport no longer
    /// touches its RemoteMember (no attach, detach or stats in flight or to come).
    virtual void removeMember(uint32_t index) = 0;
    /// This member's streams now use keys member `index` holds: they may go to it. Until then
    /// nothing is sent to it (frames under an epoch a newcomer never had only fail at its end).
    /// A transport that sends to everyone at once (an SFU publisher) starts at the first call.
    virtual void startSending(uint32_t index) = 0;
    /// A `signal` from member `from` (the session checked signature and roster). A transport
    /// that signals elsewhere refuses it.
    virtual Result<void> onSignal(uint32_t from, const QByteArray& payload) = 0;
    /// Protected frame bytes this member has put on its own link so far, every copy counted
    /// (a mesh sends one per peer, an SFU publisher one): what the member's uplink carries.
    virtual uint64_t bytesSent() const = 0;
    /// Keyframes this member asked for on its own because a received video stream waited for
    /// one (statistics): a transport whose links ask by themselves has none.
    virtual uint64_t keyframeAsks() const { return 0; }
    /// What sets this member's camera bitrate from its links' feedback, when there is one
    /// (statistics: the target and quality step now).
    virtual CongestionControl* congestion() { return nullptr; }
    /// This member's network changed (its addresses are not those it had): links to the
    /// others are made anew, since ICE in webrtcbin 1.22 neither notices a dead path nor
    /// restarts. A transport without links of its own does nothing.
    virtual void restartLinks() {}
    /// Links made anew so far (restartLinks, or at the peer's request): statistics.
    virtual uint64_t linksRemade() const { return 0; }
    /// Removed, left or ended: every connection goes, nothing is sent any more.
    virtual void stop() = 0;

    /// Every roster member's identity key of the new epoch (own included, this member being
    /// `ownIndex`), before its addMember calls: for transports that name streams by it (an SFU's
    /// feed ids).
    virtual void setIdentities(uint32_t ownIndex, const std::map<uint32_t, QByteArray>& identities)
    {
        (void)ownIndex;
        (void)identities;
    }
    /// The TURN servers (with their credentials) for links made from now on: the hub's renewed
    /// credentials, paired with the policy's servers, before the old ones expire. Links already
    /// made keep theirs: a TURN server checks a credential only when an allocation is made, and
    /// an allocation is then refreshed under it for as long as it is used (docs/media.md
    /// "TURN"). Relay-only never changes here (it is the signed policy's, for the whole
    /// meeting). A list turn::checkTurnServers refuses is reported (reportProblem) and the
    /// servers in use stay.
    virtual void useTurnServers(std::vector<turn::TurnServer> servers) = 0;
    /// The SFU room to use from now on (again after the hub moved the meeting): a transport
    /// that does not go through an SFU refuses it.
    virtual Result<void> useRoom(const SfuRoom& room)
    {
        (void)room;
        return Error{"media.not_sfu_backend",
                     "this meeting's media goes directly between members, not through a media "
                     "server; the hub's room was not used",
                     ErrorCategory::PolicyRefusal};
    }
};

/// Makes the transport for a session (MediaMesh::create); it keeps what it needs of `context`.
using TransportFactory = std::function<std::unique_ptr<MediaTransport>(const TransportContext&)>;

} // namespace conclave::media
