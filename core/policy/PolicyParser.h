// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "policy/PolicyDocument.h"

#include <cstddef>
#include <string_view>

namespace conclave::policy {

/// Strict parser for policy.json (format "conclave-policy/1", see docs/policy.md). It checks
/// structure and meaning (every key known, markings valid for the scheme, pins well formed,
/// ids and pins unique); it does not check the signature or the validity window, which is
/// PolicyVerifier's job.
class PolicyParser {
public:
    static constexpr size_t kMaxBytes = 1024 * 1024;
    static constexpr std::string_view kFormat = "conclave-policy/1";

    /// Errors: "policy.too_large", "policy.malformed" (not JSON; says line and column),
    /// "policy.invalid" (names the key path and what is expected), "policy.unenforceable" (a
    /// rule this version cannot enforce, e.g. clearance_check true: refused, never ignored).
    /// Category InvalidInput, except policy.unenforceable: PolicyRefusal.
    static Result<PolicyDocument> parse(std::string_view bytes);

private:
    static Result<PolicyDocument> parseUnclassified(std::string_view bytes);
};

} // namespace conclave::policy
