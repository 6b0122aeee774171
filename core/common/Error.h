// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>

namespace conclave {

/// A failure a user can act on. `code` is stable and machine-readable ("policy.expired");
/// `message` is a complete sentence that says what is wrong and what would make it work.
struct Error {
    std::string code;
    std::string message;

    friend bool operator==(const Error&, const Error&) = default;
};

} // namespace conclave
