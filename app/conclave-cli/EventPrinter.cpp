// SPDX-License-Identifier: GPL-3.0-or-later
#include "EventPrinter.h"

#include "storage/AuditLog.h"

#include <QJsonDocument>

namespace conclave::app {

void EventPrinter::print(const meeting::MeetingEvents& events)
{
    for (const auto& e : events)
        print(e);
}

void EventPrinter::print(const meeting::MeetingEvent& event)
{
    m_out.write(event.toJson());
    if (!event.audited())
        return;
    const auto detail = QJsonDocument(event.fields()).toJson(QJsonDocument::Compact).toStdString();
    if (auto written = m_audit.append(("meeting." + event.kindName()).toStdString(),
                                      m_marking.toStdString(), detail);
        !written)
        m_out.writeFailure("warning", written.error());
}

} // namespace conclave::app
