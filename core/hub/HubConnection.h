// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "hub/HubOutput.h"
#include "hub/MessageRates.h"
#include "hub/TokenBucket.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <optional>

namespace conclave::hub {

/// One client connection as the hub logic sees it. A connection is bound to exactly one
/// meeting and one identity key by its first accepted `create` or `knock`; every later
/// envelope on it must carry that meeting and be signed by that key, so nobody can speak for
/// another member - not even by relaying that member's genuine, signed messages.
struct HubConnection {
    HubConnection(ConnectionId connectionId, QString sourceKey, TimePoint now, double strikeRate,
                  double maxStrikes)
        : id(connectionId), source(std::move(sourceKey)), openedAt(now),
          strikes(strikeRate, maxStrikes, now)
    {
    }

    ConnectionId id;
    QString source;
    TimePoint openedAt;
    QByteArray meetingId; ///< empty until bound
    QByteArray identity;  ///< 32-byte key; empty until bound
    TokenBucket strikes;  ///< invalid messages still tolerated
    /// Per message type, made on the first message of that type (MessageRates).
    std::array<std::optional<TokenBucket>, MessageRates::kTypes> rates;
    bool counted = false; ///< holds a slot in the SourceLimiter
    bool closing = false; ///< the hub has decided to close it; ignore what it still sends

    bool bound() const { return !identity.isEmpty(); }
};

} // namespace conclave::hub
