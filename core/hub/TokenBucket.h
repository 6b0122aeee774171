// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"

namespace conclave::hub {

/// A token bucket: `burst` tokens, refilled at `ratePerSecond`. Used for knock rates per
/// source and for the invalid-message allowance per connection.
class TokenBucket {
public:
    TokenBucket(double ratePerSecond, double burst, TimePoint now);

    /// Takes one token if there is one.
    bool take(TimePoint now);
    /// True when the bucket has refilled completely (its state carries no information).
    bool isFull(TimePoint now) const;

private:
    double tokensAt(TimePoint now) const;

    double m_rate;
    double m_burst;
    double m_tokens;
    TimePoint m_last;
};

} // namespace conclave::hub
