// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Scheme.h"
#include "common/Result.h"

#include <QJsonValue>

#include <string>

namespace conclave::policy {

/// Reads a policy's "scheme": either the name of the built-in scheme ("uk-gsc-2023"), an
/// object {"base": "uk-gsc-2023", "codewords": [...]} registering codewords, or a complete
/// scheme definition (see docs/policy.md). The result is always validated.
Result<classification::Scheme> schemeFromJson(const QJsonValue& value, const std::string& path);

} // namespace conclave::policy
