// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "protocol/Envelope.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

namespace conclave::meeting {

/// Media set-up messages that came ahead of the epoch they were sealed in: a newcomer (or a
/// member quicker with a COMMIT) sealed its offer under an epoch this member has not taken in
/// yet, or is from someone not yet in this member's roster. Dropping them lost the link for
/// good - nothing sends them again - so they wait here and are tried again after each epoch
/// this member takes in; one found waiting longer than kPatience then is dropped with a
/// warning instead.
/// Nothing here opens or trusts them: they go through the normal checks when tried again.
/// At most kMax are kept (the oldest goes first), whatever a hub sends.
class EarlySignals {
public:
    static constexpr std::chrono::seconds kPatience{10};
    static constexpr size_t kMax = 64;

    struct Waiting {
        protocol::Envelope envelope;
        TimePoint arrived;
    };

    /// Keeps `envelope` (a `signal` that did not open, sealed in `sealedEpoch`) if it may have
    /// come early: sealed in a later epoch than `currentEpoch` (0: this member has none yet),
    /// and not waiting longer than kPatience since `arrived`. False: it is simply refused.
    bool keepIfEarly(const protocol::Envelope& envelope, uint64_t sealedEpoch,
                     uint64_t currentEpoch, TimePoint arrived, TimePoint now);
    /// Everything waiting, to be tried again (a new epoch was taken in); the set is emptied.
    std::vector<Waiting> takeAll();
    size_t size() const { return m_waiting.size(); }

private:
    std::deque<Waiting> m_waiting; ///< oldest first
};

} // namespace conclave::meeting
