// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdint>

namespace conclave::hub {

/// Random values the hub hands to Janus, all from the system CSPRNG (QRandomGenerator::system,
/// getrandom): nothing Janus sees is derived from a meeting, a title or a person.
class JanusRandom {
public:
    /// A room or participant id: uniform in [1, 2^53), so it survives JSON doubles.
    static std::uint64_t opaqueId();
    /// A room secret, admin key or transaction id: 32 random bytes, base64url (43 chars).
    static QString secret();
    /// A single-use member token for a room's `allowed` list: 32 random bytes, base64url.
    /// The hub gives it to one admitted member and removes it from `allowed` on removal.
    static QString memberToken();
};

} // namespace conclave::hub
