// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdint>

namespace conclave::hub {

/// What the hub asks of a VideoRoom for one meeting. Nothing in it names the meeting.
struct JanusRoomSpec {
    /// Janus's cap on concurrent publishers (the meeting's member limit).
    int publishers = 20;
    /// Audio level events tell whoever watches the room who is speaking; off for markings
    /// above OFFICIAL (docs/scaling.md "Janus rooms (hub side)").
    bool audioLevelEvents = false;
};

/// A room the hub created: the ids and the secret only the hub holds.
struct JanusRoom {
    std::uint64_t id = 0;
    /// Needed to edit, destroy, kick and change `allowed`; never leaves the hub.
    QString secret;
    /// Random opaque string given to Janus as the description (never a title).
    QString description;
};

/// One participant as Janus lists it (listparticipants).
struct JanusParticipant {
    std::uint64_t id = 0;
    QString display;
    bool publisher = false;
};

} // namespace conclave::hub
