// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "JsonLineWriter.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <cstdint>
#include <set>
#include <utility>

namespace conclave::conference {
class MeetingController;
}
namespace conclave::media {
class MediaMesh;
}

namespace conclave::app {

/// What `--media` prints for conclave-cli host and join, read from the meeting's media mesh:
/// `media` statistics lines every two seconds (per remote member and stream: frames received,
/// decrypted, failed, decoded, time to the first decoded frame), a `first_frame` line the
/// moment each remote stream first decodes, a `key_switch` line each time this member's
/// streams move to a new epoch's keys, and a `media.no_device` warning per missing device.
class MediaReport : public QObject {
    Q_OBJECT

public:
    /// `meeting` names the peers; the mesh is the one it runs.
    MediaReport(media::MediaMesh& mesh, const conference::MeetingController& meeting,
                const JsonLineWriter& out);

    /// The mesh goes on under another controller (a co-chair's, after its takeover).
    void follow(const conference::MeetingController& meeting) { m_meeting = &meeting; }
    /// One `media` line per remote member and stream, now.
    void printStats();

private:
    void reportFirstFrames();
    QString nameOf(uint32_t index) const;

    media::MediaMesh& m_mesh;
    const conference::MeetingController* m_meeting;
    const JsonLineWriter& m_out;
    QTimer m_statsTimer;
    QTimer m_firstFrameTimer;
    QElapsedTimer m_since; ///< media started: the stats lines' `elapsed_ms`
    std::set<std::pair<uint32_t, int>> m_firstFramesReported;
};

} // namespace conclave::app
