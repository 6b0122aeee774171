// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CommandParser.h"
#include "PolicyLoader.h"

#include <optional>
#include <variant>

namespace conclave::app {

/// The optional "--anchors DIR --policy POLICY [--state DB]" trio shared by check and marking.
/// Without --policy the built-in public-business-only policy applies.
class PolicyOptions {
public:
    void addTo(CommandParser& cmd);
    /// The policy to use, or the exit code to stop with (the failure already written).
    std::variant<policy::PolicyDocument, int> load(CommandParser& cmd,
                                                   const JsonLineWriter& out) const;
};

} // namespace conclave::app
