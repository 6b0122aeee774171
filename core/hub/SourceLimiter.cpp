// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/SourceLimiter.h"

namespace conclave::hub {

QString SourceLimiter::sourceKey(const QHostAddress& address)
{
    bool mapped = false;
    const quint32 v4 = address.toIPv4Address(&mapped);
    if (mapped)
        return QHostAddress(v4).toString();
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return address.toString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes).toString() + QStringLiteral("/64");
}

Result<void> SourceLimiter::openConnection(const QString& source)
{
    if (m_total >= m_limits.maxConnections)
        return makeError("connections.total",
                         "the hub is holding as many connections as it is configured for (" +
                             std::to_string(m_limits.maxConnections) + "); try again later");
    if (connectionsFrom(source) >= m_limits.maxConnectionsPerSource)
        return makeError("connections.per_source",
                         "too many connections from " + source.toStdString() + " (at most " +
                             std::to_string(m_limits.maxConnectionsPerSource) +
                             "); close some and try again");
    // The last few slots are for newcomers: a source that already has its share waits, so a
    // handful of addresses that fill the hub cannot lock everyone else out.
    const int free = m_limits.maxConnections - m_total;
    const int held = connectionsFrom(source);
    if (free <= m_limits.reservedConnections && held >= m_limits.reservedPerSource)
        return makeError(
            "connections.reserved",
            "the hub is nearly full (" + std::to_string(m_total) + " of " +
                std::to_string(m_limits.maxConnections) + " connections in use); the last " +
                std::to_string(m_limits.reservedConnections) +
                " are kept for addresses with fewer than " +
                std::to_string(m_limits.reservedPerSource) + ", and " + source.toStdString() +
                " already holds " + std::to_string(held) + "; close one or try again later");
    ++m_sources[source].connections;
    ++m_total;
    return {};
}

void SourceLimiter::closeConnection(const QString& source)
{
    const auto it = m_sources.find(source);
    if (it == m_sources.end() || it->second.connections == 0)
        return;
    --it->second.connections;
    --m_total;
    // Nothing left to remember about a source that never knocked (prune() takes the rest).
    if (it->second.connections == 0 && !it->second.knocks)
        m_sources.erase(it);
}

bool SourceLimiter::takeKnock(const QString& source, TimePoint now)
{
    Source& s = m_sources[source];
    if (!s.knocks)
        s.knocks.emplace(m_limits.knockRate, m_limits.knockBurst, now);
    return s.knocks->take(now);
}

void SourceLimiter::prune(TimePoint now)
{
    for (auto it = m_sources.begin(); it != m_sources.end();) {
        const bool idle =
            it->second.connections == 0 && (!it->second.knocks || it->second.knocks->isFull(now));
        it = idle ? m_sources.erase(it) : std::next(it);
    }
}

int SourceLimiter::connectionsFrom(const QString& source) const
{
    const auto it = m_sources.find(source);
    return it == m_sources.end() ? 0 : it->second.connections;
}

} // namespace conclave::hub
