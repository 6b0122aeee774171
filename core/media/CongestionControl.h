// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "media/BitrateController.h"
#include "media/LocalStreams.h"

#include <QTimer>

#include <gst/gst.h>

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace conclave::media {

/// This member's camera bitrate following its links' congestion feedback (docs/media.md
/// "Congestion control"): once a second, on the Qt thread, reads each sending link's
/// transport-cc statistics from its webrtcbin, feeds them to a BitrateController and applies
/// its target and quality step to the camera's encoder (LocalStreams::setVideoRate). A mesh
/// has one link per peer, Janus one publisher link; the camera is encoded once for all of
/// them, so the slowest link sets its rate. The screen share keeps its fixed rate: text must
/// stay sharp, and a slide changes rarely, so it is small between changes anyway.
class CongestionControl {
public:
    /// The webrtcbin of each link sending now, by link (a mesh peer's roster index; Janus: 0).
    using Links = std::function<std::map<uint32_t, GstElement*>()>;
    static constexpr std::chrono::milliseconds kInterval{1000};

    CongestionControl(LocalStreams& local, int64_t maximum, Links links);

    /// One round now (the timer calls it every kInterval): read, decide, apply.
    void sample();
    /// A link that is gone no longer holds the rate down.
    void removeLink(uint32_t link) { m_controller.removeLink(link); }

    const BitrateController& controller() const { return m_controller; }
    /// Fixed: feedback is still read and the target computed, but the encoder keeps the
    /// configured rate and size (comparisons in tests and benchmarks).
    void setFixed(bool fixed) { m_fixed = fixed; }
    /// Whether the quality step is applied to the camera's size and frame rate (on unless a
    /// test or benchmark compares); off, it is still computed and reported.
    void setApplySteps(bool apply) { m_applySteps = apply; }
    /// The last feedback read from a link, if any came (statistics, tests).
    std::optional<BitrateFeedback> lastFeedback(uint32_t link) const;

    /// What the link's receiver reported over the last second, from webrtcbin's transport-cc
    /// statistics (its RTP session's twcc-stats); nothing before the first report or when
    /// transport-cc was not negotiated.
    /// `report`, when given, gets the statistics as text, to tell a new report from a repeat.
    static std::optional<BitrateFeedback> readFeedback(GstElement* webrtc,
                                                       std::string* report = nullptr);

private:
    LocalStreams& m_local;
    BitrateController m_controller;
    Links m_links;
    QTimer m_timer;
    bool m_fixed = false;
    bool m_applySteps = true;
    std::map<uint32_t, BitrateFeedback> m_last;
    /// twcc-stats keeps its last values when no report comes: a repeat is not a new sample.
    std::map<uint32_t, std::string> m_lastReport;
};

} // namespace conclave::media
