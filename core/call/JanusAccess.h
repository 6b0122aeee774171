// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "policy/Backend.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <cstdint>

namespace conclave::call {

/// Where this member's media goes on a `hub+janus` backend: the hub's `media_room` notice
/// (unsigned: the hub's word) checked against this member's own signed policy. The hub picks
/// the instance and the room; the policy alone says which Janus addresses exist and which keys
/// they must present, so a hub cannot send anyone's media to a server of its choosing.
struct JanusAccess {
    QUrl url;
    QStringList pins; ///< from the policy's `janus` endpoint, never from the hub
    uint64_t room = 0;
    QString token;

    /// Refused (`media.not_sfu_backend`, `media.janus_not_in_policy`) with the reason and
    /// what an administrator would change.
    static Result<JanusAccess> check(const policy::Backend* backend, const QString& endpoint,
                                     uint64_t room, const QString& token);
};

} // namespace conclave::call
