// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Roster.h"

#include <cstdint>

namespace conclave::crypto {

/// What a delegated co-chair carries from its member key schedule into the chair's role when
/// it takes over (docs/e2ee.md §3, "Chair change"): the epoch and roster it holds, its own
/// index in that roster, the suite in use, and the first sender index never given out (so the
/// new chair never reuses an index within the meeting).
struct Succession {
    uint64_t epoch = 0;
    Roster roster;
    uint32_t ownIndex = 0;
    uint32_t nextIndex = 0;
    uint16_t suite = 0;
    DescriptorHash descriptorHash{};
};

} // namespace conclave::crypto
