// SPDX-License-Identifier: GPL-3.0-or-later
#include "call/TurnAccess.h"

namespace conclave::call {

Result<TurnAccess> turnAccessFor(const policy::Backend* backend,
                                 const std::optional<turn::TurnCredentials>& credentials)
{
    TurnAccess access;
    if (!backend)
        return access;
    access.relayOnly = backend->relayOnly;
    const std::vector<std::string> urls = backend->turnUrls();
    if (urls.empty())
        return access; // the parser refuses relay_only without a server
    if (!credentials) {
        if (!access.relayOnly)
            return access;
        return makeError(
            "media.turn_required",
            "The policy requires media on backend '" + backend->id +
                "' to go only through its TURN relays, but its hub has given this member no "
                "TURN credentials, so media cannot start. The hub's operator must give the hub "
                "the TURN servers' shared secret (conclave-hub --turn-secret-file, "
                "docs/operations.md).",
            ErrorCategory::PolicyRefusal);
    }
    for (const std::string& url : urls)
        access.servers.push_back(credentials->forServer(QString::fromStdString(url)));
    if (auto checked = turn::checkTurnServers(access.servers, access.relayOnly); !checked)
        return checked.error();
    return access;
}

} // namespace conclave::call
