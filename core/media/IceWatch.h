// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "media/MediaOptions.h"

#include <QString>
#include <QTimer>

#include <gst/gst.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

namespace conclave::media {

/// Watches one link's ICE (its webrtcbin) and says what a user needs to hear, once each, so a
/// link that cannot carry media never just stays silent (docs/media.md "TURN"):
/// - `media.turn_failed`: TURN servers were given, gathering is over and none gave a relay
///   address (credentials wrong or expired, server unreachable); with relay-only no media can
///   flow on the link at all.
/// - `media.ice_failed`: ICE gave up - no path to the peer worked (directly or relayed).
/// - `media.no_peer_address`: the peer's offer or answer came, but no candidate of its within
///   kPeerAddressWait and no connection: typically a relay-only peer whose TURN server refused
///   it (it says media.turn_failed at its end), which leaves nothing for ICE here to try or to
///   fail.
/// webrtcbin calls back on its own threads: `report` must be callable from any thread. Made,
/// told and destroyed on the owner's (Qt) thread; destroying the watch disconnects it.
class IceWatch {
public:
    using Reporter = std::function<void(const Error&)>;

    /// `peer` names the other end in messages ("member 2", "the media server").
    IceWatch(GstElement* webrtc, const MediaOptions& options, QString peer, Reporter report);
    ~IceWatch();
    IceWatch(const IceWatch&) = delete;
    IceWatch& operator=(const IceWatch&) = delete;

    /// How long after the peer's description a link without any peer candidate or connection
    /// is reported: above the 10 s a set-up message may wait for its epoch (docs/media.md).
    static constexpr std::chrono::seconds kPeerAddressWait{15};

    /// The peer's offer or answer is in (starts the kPeerAddressWait).
    void peerDescription();
    /// A candidate of the peer's is in.
    void peerCandidate() { ++m_peerCandidates; }
    /// Candidates written in a session description (`a=candidate:` lines): Janus sends its
    /// own in its offers and answers rather than one by one.
    static int candidatesIn(const QString& sdp);
    /// Relay candidates this link gathered so far.
    int relayCandidates() const { return m_relayCandidates; }

private:
    static void onCandidate(GstElement*, guint mline, gchar* candidate, gpointer self);
    static void onGatheringState(GObject* webrtc, GParamSpec*, gpointer self);
    static void onConnectionState(GObject* webrtc, GParamSpec*, gpointer self);
    QString turnUrls() const;

    GstElement* m_webrtc;
    MediaOptions m_options;
    QString m_peer;
    Reporter m_report;
    std::unique_ptr<QTimer> m_peerAddressWait;
    std::atomic<int> m_relayCandidates{0};
    int m_peerCandidates = 0;
    std::atomic<bool> m_toldTurn{false};
    std::atomic<bool> m_toldIce{false};
};

} // namespace conclave::media
