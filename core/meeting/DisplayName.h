// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QString>

namespace conclave::meeting {

/// Names people see for each other (invitees, knockers, the chair, roster entries) must show
/// the same to everyone: no invisible characters (zero-width spaces and joiners, soft hyphens)
/// and no text-direction controls (U+202E and friends can make "Alice" display as someone
/// else), nor control characters. Returns the trimmed name, or "name.invalid" saying which
/// character and why; `whose` names the field in the message ("the invitee's name").
Result<QString> checkDisplayName(const QString& name, const char* whose);

} // namespace conclave::meeting
