// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/CongestionControl.h"

#include <set>

namespace conclave::media {

CongestionControl::CongestionControl(LocalStreams& local, int64_t maximum, Links links)
    : m_local(local), m_controller(maximum), m_links(std::move(links))
{
    m_timer.setInterval(kInterval);
    QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { sample(); });
    m_timer.start();
}

std::optional<BitrateFeedback> CongestionControl::readFeedback(GstElement* webrtc,
                                                               std::string* report)
{
    GstElement* rtpbin = gst_bin_get_by_name(GST_BIN(webrtc), "rtpbin");
    if (!rtpbin)
        return std::nullopt;
    // Session 0: with max-bundle every stream of the link is in it, so is the feedback.
    GstElement* session = nullptr;
    g_signal_emit_by_name(rtpbin, "get-session", 0u, &session);
    gst_object_unref(rtpbin);
    if (!session)
        return std::nullopt;
    GstStructure* stats = nullptr;
    g_object_get(session, "twcc-stats", &stats, nullptr);
    gst_object_unref(session);
    if (!stats)
        return std::nullopt; // no transport-cc report yet (or not negotiated)
    std::optional<BitrateFeedback> feedback;
    guint sent = 0;
    guint received = 0;
    gdouble lossPercent = 0;
    gint64 deltaOfDelta = 0;
    if (gst_structure_get_uint(stats, "packets-sent", &sent) && sent > 0 &&
        gst_structure_get_double(stats, "packet-loss-pct", &lossPercent)) {
        feedback.emplace();
        feedback->lossFraction = lossPercent / 100.0;
        if (gst_structure_get_uint(stats, "bitrate-recv", &received))
            feedback->receivedBitsPerSecond = received;
        if (gst_structure_get_int64(stats, "avg-delta-of-delta", &deltaOfDelta))
            feedback->delayTrendMs = double(deltaOfDelta) / 1e6; // nanoseconds
    }
    if (report) {
        gchar* text = gst_structure_to_string(stats);
        *report = text;
        g_free(text);
    }
    gst_structure_free(stats);
    return feedback;
}

void CongestionControl::sample()
{
    const auto links = m_links();
    // Links gone since the last round no longer count.
    std::set<uint32_t> gone;
    for (const auto& [link, report] : m_lastReport)
        if (!links.count(link))
            gone.insert(link);
    for (uint32_t link : gone) {
        m_controller.removeLink(link);
        m_lastReport.erase(link);
        m_last.erase(link);
    }
    for (const auto& [link, webrtc] : links) {
        std::string report;
        const auto feedback = readFeedback(webrtc, &report);
        if (!feedback)
            continue;
        if (auto& last = m_lastReport[link]; last == report)
            continue; // no report since the last round: nothing new to act on
        else
            last = std::move(report);
        m_last[link] = *feedback;
        m_controller.feedback(link, *feedback);
    }
    if (!m_fixed)
        m_local.setVideoRate(StreamKind::Camera, m_controller.target(),
                             m_applySteps ? m_controller.step() : QualityStep::Full);
}

std::optional<BitrateFeedback> CongestionControl::lastFeedback(uint32_t link) const
{
    const auto it = m_last.find(link);
    if (it == m_last.end())
        return std::nullopt;
    return it->second;
}

} // namespace conclave::media
