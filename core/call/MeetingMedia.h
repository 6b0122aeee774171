// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/EpochKeys.h"
#include "media/MediaMesh.h"
#include "meeting/MediaView.h"
#include "turn/TurnCredentials.h"

#include <QObject>

#include <memory>
#include <optional>
#include <set>

namespace conclave::call {

/// Connects a meeting session (its MediaView) with this member's media mesh: each epoch's
/// roster and keys go to the mesh, signalling goes both ways through the session's signed
/// `signal` messages, and what the member may send (mute, stop video, share, suspend) opens
/// and closes its streams. This is where the rule lives that nobody holds a key for a stream
/// its sender may not send: observers' streams and unpermitted screen shares get no key.
///
/// The owner calls sync() after anything the session did (events, commands, envelopes) and
/// flushes the session's outgoing messages after `signalsQueued`.
class MeetingMedia : public QObject {
    Q_OBJECT

public:
    MeetingMedia(meeting::MediaView& view, std::unique_ptr<media::MediaMesh> mesh);

    void sync();
    /// The hub's `media_room` notice (hub+janus): used only if this member's own policy lists
    /// the address for the meeting's backend (JanusAccess); otherwise refused with why.
    Result<void> useMediaRoom(const QString& endpoint, uint64_t room, const QString& token);
    /// The hub's renewed TURN credentials (hub notice `turn_credentials`): paired with the
    /// policy's servers for the meeting's backend as for the first transport (turnAccessFor),
    /// for the links the transport makes from now on - before the earlier ones expire. Before
    /// the first epoch there is no transport yet: it takes the latest when it is made
    /// (transportFor). Refused with why when turnAccessFor refuses.
    Result<void> useTurnCredentials(const turn::TurnCredentials& credentials);
    /// This member's network changed: its media links are made anew (MediaTransport).
    void restartLinks();
    /// Gives the mesh up (e.g. to go on under a successor chair session after a takeover).
    std::unique_ptr<media::MediaMesh> releaseMesh() { return std::move(m_mesh); }
    const media::MediaMesh& mesh() const { return *m_mesh; }
    media::MediaMesh& mesh() { return *m_mesh; }

signals:
    /// The session has `signal` messages to send.
    void signalsQueued();

private:
    media::EpochKeys keysFor(const meeting::MediaState& state) const;

    meeting::MediaView& m_view;
    std::unique_ptr<media::MediaMesh> m_mesh;
    std::optional<uint64_t> m_epoch;
    std::set<uint32_t> m_sharers;
    bool m_stopped = false;
};

} // namespace conclave::call
