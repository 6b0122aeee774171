// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/MessageType.h"

#include <array>
#include <cstddef>

namespace conclave::hub {

/// A token bucket's shape: refilled at `perSecond`, holding at most `burst`.
struct MessageRate {
    double perSecond = 1;
    double burst = 1;
};

/// The one table of how fast each message type may come from one connection (docs/protocol.md
/// §6). The hub keeps a bucket per type per connection and drops what comes faster, so a
/// member flooding `signal`, `ack` or co-chair `request` messages slows only itself. The
/// defaults leave honest clients far below every limit: a chair admitting a full lobby at
/// once, a member exchanging offers and ICE candidates with every peer in a large meeting.
class MessageRates {
public:
    static constexpr size_t kTypes = size_t(protocol::MessageType::Resync) + 1;

    static MessageRates defaults();

    const MessageRate& operator[](protocol::MessageType type) const
    {
        return m_rates[size_t(type)];
    }
    void set(protocol::MessageType type, MessageRate rate) { m_rates[size_t(type)] = rate; }

private:
    std::array<MessageRate, kTypes> m_rates{};
};

} // namespace conclave::hub
