// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QUrl>

namespace conclave::hub {

/// One Janus instance the hub may place rooms on, from the hub's own configuration (never the
/// policy, never a client): docs/scaling.md "Room placement".
struct JanusInstanceConfig {
    /// wss://HOST:PORT/ as the hub reaches it and as the clients do - the same URL the policy
    /// lists as a `janus` endpoint of the backend, so clients can find its pin.
    QUrl url;
    /// Base64 SHA-256 of the instance's TLS SubjectPublicKeyInfo (as in the policy).
    QString spkiPin;
    /// The VideoRoom plugin's `admin_key`: only its holder can create rooms.
    QString adminKey;
    /// Janus's `api_secret`, when the instance has one for the hub's API sessions.
    QString apiSecret;
};

} // namespace conclave::hub
