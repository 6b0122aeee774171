// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "meeting/MeetingDescriptor.h"
#include "policy/MeetingRules.h"

#include <optional>
#include <string>

namespace conclave::meeting {

// The one place that says what a marking's policy rules mean for a meeting's options; the
// chair applies it when a meeting starts and when its marking changes, the hub checks with it.

/// `wanted` brought within `rules`: the rules are a floor the chair cannot go below (a waiting
/// room and per-person invites where required; no open link, chat or screen share by all where
/// not allowed). Options the rules do not force stay as wanted.
MeetingOptions optionsWithin(MeetingOptions wanted, const policy::MeetingRules& rules);

/// The first way `options` breaks `rules`, in words ("need per-person invites"), if any.
std::optional<std::string> ruleBreach(const MeetingOptions& options,
                                      const policy::MeetingRules& rules);

} // namespace conclave::meeting
