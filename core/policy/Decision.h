// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"

#include <string>

namespace conclave::policy {

/// The answer to "may this happen?", as a value. `code` is stable ("marking_not_approved");
/// `reason` is a sentence a civil servant can act on: what was refused, why, and what would
/// make it allowed.
struct Decision {
    bool allowed = false;
    std::string code;
    std::string reason;

    static Decision allow(std::string reason) { return {true, "allowed", std::move(reason)}; }
    static Decision refuse(std::string code, std::string reason)
    {
        return {false, std::move(code), std::move(reason)};
    }

    /// A refusal as the error a client reports: "policy.<code>", a policy refusal whatever
    /// the code (the one place a Decision becomes an Error on this side of the wire).
    Error refusal() const { return Error{"policy." + code, reason, ErrorCategory::PolicyRefusal}; }
};

} // namespace conclave::policy
