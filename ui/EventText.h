// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "meeting/MeetingEvent.h"

#include <QString>

namespace conclave::ui {

/// One sentence for a meeting event, for the meeting window's activity line ("" for events
/// that are shown elsewhere, such as chat and roster updates).
QString describeEvent(const meeting::MeetingEvent& event);

} // namespace conclave::ui
