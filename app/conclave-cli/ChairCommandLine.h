// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Scheme.h"
#include "common/Result.h"
#include "meeting/ChairCommand.h"

#include <QJsonObject>

#include <optional>

namespace conclave::conference {
class MeetingController;
}

namespace conclave::app {

/// A conclave-cli command line that names a row of the chair-command table (docs/cli.md):
/// nullopt for any other line; otherwise the command, with `who` (a name, key id,
/// fingerprint or identity hex) found in the waiting room or among the members as the row
/// says, `reason`, `role` ("observer" admits receive-only) and, for `marking`, the marking
/// parsed under `scheme` and `confirm`. An error ("usage", or the marking's) when `who`
/// matches nobody or the marking does not parse.
std::optional<Result<meeting::ChairCommand>>
chairCommandFrom(const QJsonObject& line, const conference::MeetingController& meeting,
                 const classification::Scheme& scheme);

} // namespace conclave::app
