// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "policy/PolicyDocument.h"

#include <string>

namespace conclave::policy {

/// The policy in force when no valid signed policy is installed: OFFICIAL meetings on any
/// backend, everything above refused. `whyNoSignedPolicy` ("no policy is installed in
/// /etc/conclave", "the installed policy expired ...") is repeated in every refusal so the
/// user can tell an administrator what to fix.
PolicyDocument publicBusinessOnlyPolicy(std::string whyNoSignedPolicy);

} // namespace conclave::policy
