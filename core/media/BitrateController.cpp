// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/BitrateController.h"

#include <algorithm>
#include <cmath>

namespace conclave::media {

const char* qualityStepName(QualityStep step)
{
    switch (step) {
    case QualityStep::Full:
        return "full";
    case QualityStep::LowerFrameRate:
        return "lower_fps";
    case QualityStep::HalfResolution:
        return "half_res";
    }
    return "full";
}

BitrateController::BitrateController(int64_t maximum, int64_t minimum)
    : m_maximum(std::max<int64_t>(maximum, 1)),
      m_minimum(std::clamp<int64_t>(minimum, 1, m_maximum))
{
}

void BitrateController::addLink(uint32_t link)
{
    m_links.try_emplace(link, Link{m_maximum, std::nullopt});
}

void BitrateController::removeLink(uint32_t link)
{
    m_links.erase(link);
}

void BitrateController::feedback(uint32_t link, const BitrateFeedback& sample)
{
    auto& state = m_links.try_emplace(link, Link{m_maximum, std::nullopt}).first->second;
    auto& rate = state.rate;
    const double sampled =
        std::clamp(std::isfinite(sample.lossFraction) ? sample.lossFraction : 0.0, 0.0, 1.0);
    state.loss = state.loss ? *state.loss + kLossSmoothing * (sampled - *state.loss) : sampled;
    const double loss = *state.loss;
    const bool delayGrowing = sample.delayTrendMs && *sample.delayTrendMs > kDelayGrowingMs;
    double next = double(rate);
    if (loss > kDecreaseAbove) {
        next *= 1.0 - loss / 2;
    } else if (loss < kIncreaseBelow && !delayGrowing) {
        next *= kIncreaseFactor;
        // A receiver that got much less than was sent has not shown the path carries more; an
        // idle stream (nothing received yet) gives no such limit.
        if (sample.receivedBitsPerSecond && *sample.receivedBitsPerSecond > 0)
            next =
                std::min(next, std::max(double(rate),
                                        kReceivedHeadroom * double(*sample.receivedBitsPerSecond)));
    }
    if (sample.rembBitsPerSecond && *sample.rembBitsPerSecond > 0)
        next = std::min(next, double(*sample.rembBitsPerSecond));
    rate = std::clamp(int64_t(std::llround(next)), m_minimum, m_maximum);
    updateStep();
}

int64_t BitrateController::target() const
{
    if (m_links.empty())
        return m_maximum;
    int64_t lowest = m_maximum;
    for (const auto& [link, state] : m_links)
        lowest = std::min(lowest, state.rate);
    return lowest;
}

std::optional<int64_t> BitrateController::linkRate(uint32_t link) const
{
    const auto it = m_links.find(link);
    if (it == m_links.end())
        return std::nullopt;
    return it->second.rate;
}

std::optional<double> BitrateController::linkLoss(uint32_t link) const
{
    const auto it = m_links.find(link);
    if (it == m_links.end())
        return std::nullopt;
    return it->second.loss;
}

QualityStep BitrateController::stepFor(int64_t rate, double margin) const
{
    const double share = double(rate) / double(m_maximum);
    if (share < kHalfResolutionBelow * margin)
        return QualityStep::HalfResolution;
    if (share < kLowerFrameRateBelow * margin)
        return QualityStep::LowerFrameRate;
    return QualityStep::Full;
}

void BitrateController::updateStep()
{
    const int64_t rate = target();
    // Down as soon as the target is below a threshold for a moment; up only when it is a margin
    // above it, for longer: a step up that is soon undone costs two visible changes.
    const QualityStep down = stepFor(rate, 1.0);
    const QualityStep up = stepFor(rate, kStepUpMargin);
    if (down > m_step) {
        m_higherFor = 0;
        if (++m_lowerFor >= kStepDownAfter) {
            m_step = down;
            m_lowerFor = 0;
        }
    } else if (up < m_step) {
        m_lowerFor = 0;
        if (++m_higherFor >= kStepUpAfter) {
            // One step at a time: the next one needs its own run of good samples.
            m_step = QualityStep(int(m_step) - 1);
            m_higherFor = 0;
        }
    } else {
        m_lowerFor = 0;
        m_higherFor = 0;
    }
}

} // namespace conclave::media
