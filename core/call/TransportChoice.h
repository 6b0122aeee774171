// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/MediaTransport.h"
#include "meeting/MediaView.h"
#include "policy/Backend.h"

#include <functional>

namespace conclave::call {

/// The carriage for a meeting's media, chosen when the first epoch comes (only then does a
/// joiner know the meeting's backend): a `hub+janus` backend, as this member's own policy
/// describes it, sends media through Janus (media::JanusTransport); every other backend, or one
/// the policy does not list, is the mesh (media::MeshTransport). `backend` is asked at that
/// moment.
media::TransportFactory transportFor(std::function<const policy::Backend*()> backend);
/// The same for a session's view (which must outlive the media session's first epoch).
media::TransportFactory transportFor(const meeting::MediaView& view);

} // namespace conclave::call
