// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>

namespace conclave::media {

/// Counts one received RTP stream by its sequence numbers, as they leave the transport's jitter
/// buffer (RFC 3550 §6.4.1 / A.3: expected = highest extended sequence number - first + 1,
/// lost = expected - received). Counted there, "lost" is what never reached the depayloader in
/// time: dropped by the network and not retransmitted (NACK/RTX), or too late for the jitter
/// buffer. webrtcbin's own inbound-rtp count is not used: it read 0 on most streams (the SSRC
/// match failed, and through an SFU there is none) and two to three times too high on others.
/// Not thread-safe: its owner serialises calls.
class RtpLossCounter {
public:
    /// A jump of more than this many packets forward (or any this far back) is a new run of
    /// numbers (the sender restarted), not a loss: RFC 3550's MAX_DROPOUT.
    static constexpr int64_t kMaxDropout = 3000;

    void received(uint16_t sequenceNumber);

    uint64_t packets() const { return m_packets; }
    /// Never negative: duplicates do not make up for losses.
    int64_t lost() const;

private:
    bool m_started = false;
    int64_t m_first = 0;   ///< extended sequence number of the run's first packet
    int64_t m_highest = 0; ///< extended: wraps of the 16-bit number counted
    uint64_t m_packets = 0;
    uint64_t m_runPackets = 0; ///< received in the current run
    int64_t m_lostBefore = 0;  ///< lost in earlier runs
};

} // namespace conclave::media
