// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"
#include "turn/TurnServer.h"

#include <QString>

#include <chrono>

namespace conclave::turn {

/// A time-limited credential for coturn's TURN REST scheme (`use-auth-secret` with
/// `static-auth-secret`): whoever hands out TURN access (the hub, say) shares a secret with the
/// TURN server and gives each member `username = "<expiry>:<id>"` (expiry in Unix seconds) and
/// `credential = base64(HMAC-SHA1(secret, username))`. The server recomputes the HMAC, so it
/// needs no user list, and refuses the username once the expiry has passed. Members hold only
/// the pair, never the secret. docs/media.md "TURN".
struct TurnCredentials {
    QString username;
    QString credential;

    /// The credential for `id` until `expiry`. Refused (media.turn_credentials): an empty
    /// secret, an empty id or one holding ':' (coturn splits the username at its first ':'), an
    /// expiry before 1970. Qt's HMAC keeps a copy of the secret for the length of this call
    /// (QMessageAuthenticationCode, not wiped): issue credentials where the secret lives
    /// anyway, never on a member's computer.
    static Result<TurnCredentials> issue(crypto::ByteView secret, const QString& id,
                                         std::chrono::system_clock::time_point expiry);

    /// The server at `url` with these credentials.
    TurnServer forServer(const QString& url) const { return {url, username, credential}; }
};

} // namespace conclave::turn
