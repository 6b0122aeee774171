// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "turn/TurnServer.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace conclave::media {

/// How a member's media pipeline is built.
struct MediaOptions {
    /// Test pattern and tone instead of devices (conclave-cli --media test, the demo, tests).
    bool testSources = true;
    /// Device ids from DeviceList; empty: the default device, or none (then receive-only).
    QString camera;
    QString microphone;
    int width = 320;
    int height = 240;
    int framesPerSecond = 15;
    int videoBitrate = 300000; ///< bits per second
    /// Audio per frame, milliseconds (Opus: 10, 20, 40 or 60). Each frame is one packet, so
    /// longer frames mean fewer packets to receive, decrypt and authenticate, and more delay.
    int audioFrameMilliseconds = 20;
    /// ICE host candidates only on these addresses (e.g. 127.0.0.1 for a meeting on one
    /// machine); empty: every interface, as libnice chooses. No STUN server is used.
    QStringList localAddresses;
    /// TURN servers every link of this member may relay through (mesh and Janus links alike),
    /// for networks where members cannot reach each other or the media server directly;
    /// checked by MediaMesh::create (checkTurnServers). Empty: no relay. docs/media.md "TURN".
    std::vector<turn::TurnServer> turnServers;
    /// Media only through a TURN relay (webrtcbin's ice-transport-policy "relay"): no host
    /// candidate is offered or used, so peers never learn this member's addresses and nothing
    /// goes to them directly. For a policy that demands it, and for tests that prove relaying.
    /// Needs at least one TURN server.
    bool relayOnly = false;
    /// Jitter buffer, milliseconds: also how long a lost packet may take to be asked for again
    /// and retransmitted (NACK/RTX) before it counts as lost. With 10 % of every packet dropped
    /// both ways on loopback (requests and retransmissions too), 200 ms kept 93-100 % of the
    /// camera's frames decodable, 150 ms 77-100 %; 200 ms of delay is within what conversation
    /// tolerates (docs/media.md "Loss and bandwidth").
    int latency = 200;
    /// Load mode: every received frame is decrypted and authenticated (SFrame), none is
    /// decoded or shown - so one machine can hold many members (conclave-cli --media load).
    bool authenticateOnly = false;
};

} // namespace conclave::media
