// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/SecureBuffer.h"
#include "hub/HubNotice.h"
#include "hub/MediaRoomChange.h"

#include <QString>

#include <chrono>
#include <map>
#include <utility>
#include <vector>

namespace conclave::hub {

/// Hands every member in a meeting short-lived TURN credentials (coturn's REST scheme,
/// turn::TurnCredentials) made from the secret the hub shares with the backend's TURN
/// servers - credentials only: which servers to use comes from the signed policy, never from
/// the hub (docs/media.md "TURN"). A member gets a `turn_credentials` notice when it is in
/// (created, admitted, resumed: MediaRoomChange::Join) and a new one `kRenewBefore` ahead of
/// each expiry while it stays; one that leaves is forgotten.
class TurnGrants {
public:
    static constexpr std::chrono::seconds kLifetime{3600};
    static constexpr std::chrono::seconds kRenewBefore{600};
    /// The secret file's size limit; coturn's own secrets are short texts.
    static constexpr qint64 kMaxSecretBytes = 4096;

    TurnGrants(crypto::SecureBuffer secret, const Clock& clock);

    /// The secret from `path`: its first line, trimmed. Refused (hub.turn_secret) when the
    /// file is missing, empty, larger than kMaxSecretBytes, or readable by group or others
    /// (the secret lets anyone use the TURN servers: chmod 600).
    static Result<crypto::SecureBuffer> readSecret(const QString& path);

    /// Whom to send which notice after `change` (a Join issues, a Leave forgets).
    std::vector<std::pair<ConnectionId, HubNotice>> apply(const MediaRoomChange& change);
    /// Credentials due for renewal; call about once a second.
    std::vector<std::pair<ConnectionId, HubNotice>> renew();
    size_t holders() const { return m_holders.size(); }

private:
    struct Holder {
        ConnectionId connection = 0;
        TimePoint expires;
    };
    std::optional<HubNotice> issue(Holder& holder);

    crypto::SecureBuffer m_secret;
    const Clock& m_clock;
    /// Keyed by meeting and identity: a Leave names those, not the connection.
    std::map<std::pair<QByteArray, QByteArray>, Holder> m_holders;
};

} // namespace conclave::hub
