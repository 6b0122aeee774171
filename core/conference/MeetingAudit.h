// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "meeting/MeetingEvent.h"

#include <QString>

namespace conclave::storage {
class AuditLog;
}

namespace conclave::conference {

/// Writes an audited meeting event to the device's audit log ("meeting.<kind>", the marking in
/// force, the event's fields as compact JSON): the one way every front-end records a meeting,
/// including a meeting refused before it had a controller.
Result<void> auditEvent(storage::AuditLog& log, const QString& marking,
                        const meeting::MeetingEvent& event);

/// The event a refusal by policy is recorded (and shown) as: `refused` with its code and reason.
meeting::MeetingEvent refusalEvent(const Error& error);

} // namespace conclave::conference
