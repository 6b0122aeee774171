// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"

#include <chrono>
#include <cstddef>
#include <deque>

namespace conclave::meeting {

/// How fast the chair moves the meeting to new epochs. A media key id carries only the epoch
/// modulo 16 (crypto::MediaKeyId), and receivers keep an old epoch's keys for 10 s
/// (media::MediaMesh::kOldKeyGrace), so more than 15 epochs inside 10 s would make two live
/// keys share an id. Epochs the chair could as well make a little later - admissions, the
/// rekeys of lock, suspend and the periodic rotation, whoever asked for them (a co-chair's
/// flood of lock requests included) - are held to kMaxPerWindow per kWindow; departures
/// (removal, leaving) never wait, since the one gone must not keep the key, and they count too.
class EpochPacer {
public:
    static constexpr std::chrono::seconds kWindow{10};
    static constexpr size_t kMaxPerWindow = 8;

    /// "keys.epoch_rate" when kMaxPerWindow epochs were made in the last kWindow.
    Result<void> mayChange(TimePoint now) const;
    /// Records an epoch change made at `now` (every one, paced or not).
    void changed(TimePoint now);
    /// Epoch changes within the window ending at `now`.
    size_t recent(TimePoint now) const;

private:
    std::deque<TimePoint> m_changes; ///< within the window (older ones are dropped)
};

} // namespace conclave::meeting
