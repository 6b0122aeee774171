// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <cstdint>

namespace conclave::janus {

/// The Janus publisher id ("feed") of one member in one VideoRoom: BLAKE2b of a domain label,
/// the room id (8 bytes, big-endian) and the member's 32-byte identity key, truncated to 52
/// bits (below 2^53, so it survives JSON numbers everywhere) and never 0. Every member computes
/// it for every roster member, so nobody has to ask anyone (or Janus) which feed is whose; Janus
/// learns an opaque number that differs per room, not the identity. A feed that is not the one
/// it claims to be only carries frames that fail SFrame authentication (keys are per member).
/// Returns 0 - never a feed id - when `identityKey32` is not 32 bytes.
std::uint64_t feedIdFor(std::uint64_t room, const QByteArray& identityKey32);

} // namespace conclave::janus
