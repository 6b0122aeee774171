// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QString>

#include <vector>

namespace conclave::turn {

/// A TURN server this member may relay its media through, for networks where members cannot
/// reach each other directly (docs/media.md "TURN"). `url` is RFC 7065's form,
/// `turn:<host>[:<port>][?transport=udp|tcp]` (port 3478 when none is given; no transport: UDP
/// and TCP both); `username` and `credential` are the long-term credential the server checks -
/// with coturn's REST scheme a `<expiry>:<id>` username and its HMAC (TurnCredentials). Not a
/// meeting secret: the server only ever sees addresses and DTLS-SRTP packets of SFrame frames.
struct TurnServer {
    QString url;
    QString username;
    QString credential;
};

/// Where a `turn:` URL points: host (an IPv6 address in brackets), port, and "udp", "tcp" or
/// empty (both).
struct TurnAddress {
    QString host;
    int port = 0;
    QString transport;
};

/// The URL alone checked as webrtcbinTurnUri checks it (media.turn_url,
/// media.turns_unsupported): the policy refuses a server no member could use when it is read,
/// not when a meeting's media starts.
Result<TurnAddress> parseTurnUrl(const QString& url);

/// `server` checked and written as webrtcbin 1.22's `add-turn-server` takes it:
/// `turn://<username>:<credential>@<host>:<port>[?transport=udp|tcp]`, username and credential
/// percent-encoded (a REST username holds ':', a base64 credential '/', '+' and '='; webrtcbin
/// splits user from password at the first ':' and then unescapes both).
/// Refused (media.turn_url, media.turns_unsupported, media.turn_credentials): anything but
/// `turn:`, a missing or malformed host, a port outside 1-65535, a transport other than udp or
/// tcp, other query keys, an empty username or credential. `turns:` above all: libnice 0.1.21
/// (Debian 12) opens a plain TCP connection for it in WebRTC mode and never does TLS, so a
/// `turns:` server would not work - TURN over TCP on port 443 is the supported choice.
Result<QString> webrtcbinTurnUri(const TurnServer& server);

/// Every server checked as webrtcbinTurnUri does; relay only (MediaOptions::relayOnly) without
/// any server is refused too (media.turn_required): no media could flow at all.
Result<void> checkTurnServers(const std::vector<TurnServer>& servers, bool relayOnly);

} // namespace conclave::turn
