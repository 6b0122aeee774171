// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "meeting/MeetingEvent.h"

#include <QString>

namespace conclave::ui {

/// One sentence for a meeting event, for the meeting window's activity line; "" for the kinds
/// the activity line deliberately does not show (shownAsActivity() false).
QString describeEvent(const meeting::MeetingEvent& event);

/// False for the kinds shown elsewhere, listed in one place (EventText.cpp): roster and epoch
/// (roster panel, security code), chat (chat panel), this device's own media switches (the
/// media buttons) and `created` (the window itself). Every other kind has a sentence.
bool shownAsActivity(meeting::EventKind kind);

/// The chair's control as this member is told it, in words ("The chair muted everyone.").
QString describeControl(meeting::ControlAction action);

} // namespace conclave::ui
