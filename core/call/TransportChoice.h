// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/MediaTransport.h"
#include "meeting/MediaView.h"
#include "policy/Backend.h"
#include "turn/TurnCredentials.h"

#include <functional>
#include <optional>

namespace conclave::call {

/// The carriage for a meeting's media, chosen when the first epoch comes (only then does a
/// joiner know the meeting's backend): a `hub+janus` backend, as this member's own policy
/// describes it, sends media through Janus (media::JanusTransport); every other backend, or one
/// the policy does not list, is the mesh (media::MeshTransport). `backend` is asked at that
/// moment. So is `turnCredentials` (the hub's latest, if any): the transport's TURN servers
/// are the backend's as the policy lists them, with those credentials, and relay-only as the
/// policy says (call::turnAccessFor); when that is refused, the problem is reported and no
/// transport is made - media never goes directly against the policy.
media::TransportFactory
transportFor(std::function<const policy::Backend*()> backend,
             std::function<std::optional<turn::TurnCredentials>()> turnCredentials = {});
/// The same for a session's view (which must outlive the media session's first epoch).
media::TransportFactory transportFor(const meeting::MediaView& view);

} // namespace conclave::call
