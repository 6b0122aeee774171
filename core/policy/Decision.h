// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

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
};

} // namespace conclave::policy
