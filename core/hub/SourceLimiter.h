// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "hub/HubLimits.h"
#include "hub/TokenBucket.h"

#include <QHostAddress>
#include <QString>

#include <map>
#include <optional>

namespace conclave::hub {

/// Limits per source address: concurrent connections, and the knock rate (a token bucket).
/// A source is an IPv4 address, or an IPv6 /64 - one subscriber usually holds a whole /64,
/// so counting single IPv6 addresses would let one machine pose as billions of sources.
class SourceLimiter {
public:
    explicit SourceLimiter(const HubLimits& limits) : m_limits(limits) {}

    /// The key a peer address is counted under ("192.0.2.7", "2001:db8:1:2::/64").
    static QString sourceKey(const QHostAddress& address);

    /// Counts one more connection from `source`, or refuses ("connections.per_source",
    /// "connections.total", "connections.reserved" - the headroom kept for newcomers) without
    /// counting it.
    Result<void> openConnection(const QString& source);
    void closeConnection(const QString& source);
    /// Takes one knock token for `source`; false when the source knocks faster than allowed.
    bool takeKnock(const QString& source, TimePoint now);
    /// Forgets sources with no connection and a full bucket (nothing left to remember).
    void prune(TimePoint now);

    int connections() const { return m_total; }
    int connectionsFrom(const QString& source) const;
    size_t trackedSources() const { return m_sources.size(); }

private:
    struct Source {
        int connections = 0;
        std::optional<TokenBucket> knocks;
    };

    const HubLimits& m_limits;
    std::map<QString, Source> m_sources;
    int m_total = 0;
};

} // namespace conclave::hub
