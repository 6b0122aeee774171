// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "JsonLineWriter.h"
#include "hub/HubLimits.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

#include <variant>

namespace conclave::app {

/// conclave-hub's command line (docs/cli.md).
struct HubOptions {
    QString host; ///< as written after --listen, for the URL we print
    QHostAddress address;
    quint16 port = 0;
    QString dataDir;
    QString configDir; ///< with backendId: enforce that policy for this backend
    QString backendId;
    /// --janus FILE: the Janus instances of a hub+janus backend (hub::JanusInstancesFile).
    QString janusInstances;
    /// --turn-secret-file FILE: coturn's static-auth-secret, for the members' TURN
    /// credentials (hub::TurnGrants). A file, never a value on the command line (which other
    /// users of the machine can read in the process list).
    QString turnSecretFile;
    hub::HubLimits limits; ///< with the chairs allowed to host (--allow-chair ...)

    /// The options, or the exit code to stop with (usage errors already written).
    static std::variant<HubOptions, int> parse(const QStringList& args, const JsonLineWriter& out);
};

} // namespace conclave::app
