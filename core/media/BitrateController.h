// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace conclave::media {

/// What one link's receiver told the sender over about the last second (RTCP: transport-cc
/// through webrtcbin's twcc-stats, receiver reports, REMB).
struct BitrateFeedback {
    /// Share of the packets sent that did not arrive, 0..1, before any retransmission.
    double lossFraction = 0;
    /// What the receiver got, bits per second (transport-cc); unknown from receiver reports.
    std::optional<int64_t> receivedBitsPerSecond;
    /// How the one-way delay changes between packet groups, milliseconds (transport-cc's
    /// avg-delta-of-delta): above kDelayGrowingMs the queues on the path are filling.
    std::optional<double> delayTrendMs;
    /// The receiver's own estimate of what it can take (REMB), bits per second: a ceiling.
    std::optional<int64_t> rembBitsPerSecond;
};

/// How the encoder's input is cut down when the bitrate is low: fewer bits spread over fewer
/// frames or pixels look better than a starved encoder at full size (blocky, then frozen).
enum class QualityStep {
    Full,           ///< the configured size and frame rate
    LowerFrameRate, ///< half the frame rate
    HalfResolution, ///< half the frame rate and half the width and height
};

const char* qualityStepName(QualityStep step);

/// A sender's video bitrate that follows congestion feedback (docs/media.md "Congestion
/// control"). Pure logic, fed about once a second per link; one per encoded stream. Each link
/// has its own rate, a simplified GCC (draft-ietf-rmcat-gcc) loss rule on the link's loss
/// smoothed over about five seconds (kLossSmoothing: one second's share of ~80 packets scatters
/// by ± 3 points; a cap's loss of 30 % and more still crosses the threshold within 2 s):
///  - loss above 12 %: rate × (1 - loss/2) - the more is lost, the larger the cut. GCC says
///    10 %; a path that loses 10 % at random whatever the rate would then be cut on every
///    second sample that happens to read above it and sink to the minimum, while a congested
///    path - sending more than it carries - loses far more (30 % and up at a cap);
///  - loss below 2 % and the delay not growing: rate × 1.08, but never above 1.5 × what the
///    receiver says it got (the path has not shown it can carry more);
///  - otherwise (2-12 % loss, or the delay growing): hold - a lossy radio link loses a few
///    percent whatever the rate, and cutting on that would only starve the picture;
///  - never above the receiver's REMB, always within [minimum, maximum].
/// The stream has one encoder shared by every link (a tee), so its target is the lowest link
/// rate: the slowest receiver sets it. The quality step moves down when the target stays below
/// a threshold (share of the maximum) for kStepDownAfter samples, and up only when it stays
/// kStepUpMargin above it for kStepUpAfter samples, so a target near a threshold does not make
/// the picture change size every second. Not thread-safe: its owner serialises calls.
class BitrateController {
public:
    static constexpr int64_t kDefaultMinimum = 100000;
    static constexpr double kDecreaseAbove = 0.12;
    /// Weight of a new sample in the smoothed loss (an exponential moving average).
    static constexpr double kLossSmoothing = 0.2;
    static constexpr double kIncreaseBelow = 0.02;
    static constexpr double kIncreaseFactor = 1.08;
    static constexpr double kReceivedHeadroom = 1.5;
    static constexpr double kDelayGrowingMs = 1.0;
    /// Below these shares of the maximum, the frame rate then also the resolution is halved.
    static constexpr double kLowerFrameRateBelow = 0.6;
    static constexpr double kHalfResolutionBelow = 0.4;
    static constexpr double kStepUpMargin = 1.25;
    static constexpr int kStepDownAfter = 2;
    static constexpr int kStepUpAfter = 5;

    /// maximum: the configured bitrate (MediaOptions::videoBitrate); minimum is lowered to it
    /// if larger. Starts at the maximum (what a fixed-rate sender sends) with the full step.
    explicit BitrateController(int64_t maximum, int64_t minimum = kDefaultMinimum);

    int64_t minimum() const { return m_minimum; }
    int64_t maximum() const { return m_maximum; }

    /// A new link starts at the maximum: it lowers the target only once its receiver reports.
    void addLink(uint32_t link);
    /// The link's rate no longer counts; the target may rise at once.
    void removeLink(uint32_t link);
    /// One sample for a link (added if unknown), about once a second; updates the target and,
    /// once per call, the step.
    void feedback(uint32_t link, const BitrateFeedback& sample);

    /// Bits per second the encoder should aim at: the lowest link rate (maximum with no links).
    int64_t target() const;
    std::optional<int64_t> linkRate(uint32_t link) const;
    /// The link's smoothed loss, 0..1; nothing before its first sample.
    std::optional<double> linkLoss(uint32_t link) const;
    QualityStep step() const { return m_step; }

private:
    QualityStep stepFor(int64_t rate, double margin) const;
    void updateStep();

    int64_t m_maximum;
    int64_t m_minimum;
    struct Link {
        int64_t rate = 0;
        std::optional<double> loss; ///< smoothed
    };
    std::map<uint32_t, Link> m_links;
    QualityStep m_step = QualityStep::Full;
    int m_lowerFor = 0;  ///< consecutive samples with the target in a lower step than m_step
    int m_higherFor = 0; ///< consecutive samples with the target clearly in a higher one
};

} // namespace conclave::media
