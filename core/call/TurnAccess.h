// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "policy/Backend.h"
#include "turn/TurnCredentials.h"
#include "turn/TurnServer.h"

#include <optional>
#include <vector>

namespace conclave::call {

/// The TURN relays a member's media may use in a meeting, and whether it must use nothing else.
struct TurnAccess {
    std::vector<turn::TurnServer> servers;
    bool relayOnly = false;

    /// Whether these replace the servers a transport was given: a backend with TURN servers
    /// decides them all; without, a transport keeps what it was given (tests and
    /// `--media-address` setups that name their own). For the first transport and each renewal.
    bool decides() const { return !servers.empty() || relayOnly; }
};

/// The meeting backend's TURN servers *as this member's signed policy lists them*, each with
/// the credentials the hub handed out (hub notice `turn_credentials`), and the backend's
/// `relay_only`. The hub gives credentials, never servers: a hub that could name a server
/// could send every member's media through a relay of its own choosing. Refused
/// (media.turn_required) when the backend demands relaying but the hub has given no
/// credentials - media going directly would show members' addresses to each other, which the
/// policy forbids. No backend, or one without TURN servers: nothing (credentials unused).
Result<TurnAccess> turnAccessFor(const policy::Backend* backend,
                                 const std::optional<turn::TurnCredentials>& credentials);

} // namespace conclave::call
