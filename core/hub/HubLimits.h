// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "hub/ChairAllowList.h"
#include "hub/MessageRates.h"
#include "protocol/Envelope.h"

#include <QtGlobal>

#include <chrono>

namespace conclave::hub {

/// The hub's resource limits (docs/protocol.md §6). Every one of them bounds what a stranger
/// who knows only the hub's address can make the hub hold or do.
struct HubLimits {
    int maxLobby = 50;      ///< knockers waiting per meeting
    double knockRate = 10;  ///< knocks per second per source address (token bucket refill)
    double knockBurst = 20; ///< token bucket size
    int maxConnectionsPerSource = 64;
    int maxConnections = 1000;
    /// The last `reservedConnections` of maxConnections are kept for newcomers: once fewer
    /// than that are free, a source already holding `reservedPerSource` connections gets no
    /// more, so a few addresses that fill the hub still leave room for everyone else.
    int reservedConnections = 32;
    int reservedPerSource = 2;
    /// Connections whose TLS is done but whose WebSocket upgrade is not (HubServer): they are
    /// cut after handshakeTimeout and capped per source and in total.
    int maxPendingPerSource = 16;
    int maxPending = 512;
    std::chrono::milliseconds handshakeTimeout{5000};
    int maxMeetings = 1000;
    qsizetype maxMessageBytes = protocol::Envelope::kMaxEnvelopeBytes;
    /// A member that does not read its messages must not make the hub buffer without end.
    qint64 maxQueuedBytes = 16 * 1024 * 1024;
    std::chrono::seconds knockerTimeout{300}; ///< time a knocker may wait unanswered
    std::chrono::seconds unboundTimeout{30};  ///< time to send create/knock after connecting
    /// A chair unheard for longer (it sends a heartbeat every 5 s) is silent: no knocks are
    /// taken, and a delegated co-chair may take over.
    std::chrono::seconds chairSilence{15};
    /// The hub pings every connection this often and closes one it has heard nothing from (no
    /// message, no pong) for `peerSilence`, so a dead path is noticed in seconds rather than
    /// after TCP's retransmission back-off (docs/protocol.md §1).
    std::chrono::milliseconds pingInterval{5000};
    std::chrono::milliseconds peerSilence{15000};
    /// A member whose connection went without a signed `leave` keeps its place this long: it
    /// may `resume` on a new connection (docs/protocol.md §6, "Resume"). Past it, the others
    /// are told it left and the chair rekeys it out. Zero: no places are kept.
    std::chrono::seconds resumeGrace{120};
    /// Invalid messages tolerated per connection: a bucket of `maxStrikes` refilled over
    /// `strikeWindow`, so an honest client's rare mistake never adds up to a disconnect.
    int maxStrikes = 10;
    std::chrono::seconds strikeWindow{60};
    /// How many messages of each type one connection may send (per second, and at once).
    MessageRates messageRates = MessageRates::defaults();
    /// The chairs that may create meetings on this hub (conclave-hub --allow-chair; the hub
    /// inside the app or `conclave-cli host` allows its own chair). Empty: nobody may, unless
    /// allowAnyChair - which only tests set.
    ChairAllowList allowedChairs;
    bool allowAnyChair = false;
};

} // namespace conclave::hub
