// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>

namespace conclave::client {

/// How a client tells a dead path to the hub from a quiet one (docs/protocol.md §1): it sends
/// a WebSocket ping every `pingEvery` and counts the connection lost when nothing at all (no
/// pong, no message) has come for `deadAfter`. TCP alone would notice only after its
/// retransmission back-off, a minute or more.
struct Liveness {
    std::chrono::milliseconds pingEvery{2000};
    std::chrono::milliseconds deadAfter{6000};
    /// A connection not open (TCP, TLS and the WebSocket upgrade) within this is given up as
    /// `connection.failed`: a path that swallows everything would otherwise hang it for good.
    std::chrono::milliseconds connectWithin{10000};
};

} // namespace conclave::client
