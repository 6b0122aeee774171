// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "conference/ChairController.h"
#include "hub/HubServer.h"
#include "meeting/ChairSetup.h"

#include <QHostAddress>

#include <memory>

namespace conclave::conference {

/// "Host on this computer": the meeting hub runs inside the desktop app. Its TLS key is kept
/// in the device's data directory (DIR/hub), so the pin invites carry stays the same from one
/// meeting to the next.
class EmbeddedHost {
public:
    /// Listens on `address`:`port` (0: chosen by the system); "hub.listen" when it cannot.
    /// Only `chair` may create meetings on it.
    static Result<std::unique_ptr<hub::HubServer>> start(const QString& dataDir,
                                                         const QHostAddress& address, quint16 port,
                                                         const Clock& clock,
                                                         const crypto::Ed25519PublicKey& chair);
    /// A meeting chaired here on a hub hosted here: the hub listens on `address`:`port`,
    /// `setup` gets its URL and pin, and the chair session is created (refused - with the
    /// policy's reason - when the policy does not approve the marking on this computer). Not
    /// yet connected: call start() on the controller.
    static Result<std::unique_ptr<ChairController>>
    hostMeeting(const QString& dataDir, const QHostAddress& address, quint16 port,
                const crypto::Ed25519SigningKey& identity, const policy::PolicyDocument& policy,
                const Clock& clock, meeting::ChairSetup setup, storage::AuditLog* audit);
    /// The same on a hub already started (start()) for this chair.
    static Result<std::unique_ptr<ChairController>>
    hostMeeting(std::unique_ptr<hub::HubServer> server, const crypto::Ed25519SigningKey& identity,
                const policy::PolicyDocument& policy, const Clock& clock, meeting::ChairSetup setup,
                storage::AuditLog* audit);
    /// Addresses colleagues could reach this computer on: loopback first (this computer
    /// only), then every up, non-loopback IPv4 and IPv6 address.
    static QList<QHostAddress> candidateAddresses();
};

} // namespace conclave::conference
