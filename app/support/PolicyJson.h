// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "policy/Decision.h"
#include "policy/MeetingRules.h"
#include "policy/PolicyDocument.h"
#include "policy/PolicyVerifier.h"

#include <QJsonObject>

namespace conclave::app {

/// JSON shapes printed by the headless programs (documented in docs/cli.md).
QJsonObject rulesToJson(const policy::MeetingRules& rules);
QJsonObject decisionToJson(const policy::Decision& decision);
QJsonObject policySummaryToJson(const policy::PolicyDocument& document);
QJsonObject verifiedPolicyToJson(const policy::VerifiedPolicy& verified);

} // namespace conclave::app
