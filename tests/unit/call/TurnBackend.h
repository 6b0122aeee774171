// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A hub backend as a policy lists it with two TURN servers (TCP on 443 and UDP), for the tests
// of what a member makes of the policy's TURN servers and the hub's credentials.
#include "policy/Backend.h"

#include <QString>

namespace conclave::calltest {

/// Credentials as a hub hands them out (coturn REST form: expiry:random, base64 HMAC).
inline const QString kTurnUser = QStringLiteral("1700003600:0a1b2c");
inline const QString kTurnCredential = QStringLiteral("c2VjcmV0Lys=");

inline policy::Backend backendWithTurn(bool relayOnly)
{
    policy::Backend b;
    b.id = "dept-hub";
    b.kind = policy::BackendKind::Hub;
    b.endpoints = {{policy::Endpoint::Role::Hub, "wss://hub.example:8443", {"pin"}},
                   {policy::Endpoint::Role::Turn, "turn:turn.example:443?transport=tcp", {}},
                   {policy::Endpoint::Role::Turn, "turn:turn.example:3478?transport=udp", {}}};
    b.relayOnly = relayOnly;
    return b;
}

} // namespace conclave::calltest
