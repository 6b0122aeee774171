// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "JsonLineWriter.h"
#include "meeting/MeetingEvent.h"

#include <QString>

namespace conclave::storage {
class AuditLog;
}

namespace conclave::app {

/// Prints session events as JSON lines and writes the audited ones to the device's audit log,
/// tagged with the meeting's marking.
class EventPrinter {
public:
    EventPrinter(const JsonLineWriter& out, storage::AuditLog& audit) : m_out(out), m_audit(audit)
    {
    }

    void setMarking(const QString& marking) { m_marking = marking; }
    void print(const meeting::MeetingEvents& events);
    void print(const meeting::MeetingEvent& event);

private:
    const JsonLineWriter& m_out;
    storage::AuditLog& m_audit;
    QString m_marking;
};

} // namespace conclave::app
