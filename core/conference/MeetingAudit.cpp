// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/MeetingAudit.h"

#include "storage/AuditLog.h"

#include <QJsonDocument>

namespace conclave::conference {

Result<void> auditEvent(storage::AuditLog& log, const QString& marking,
                        const meeting::MeetingEvent& event)
{
    const auto detail = QJsonDocument(event.fields()).toJson(QJsonDocument::Compact).toStdString();
    auto written =
        log.append(("meeting." + event.kindName()).toStdString(), marking.toStdString(), detail);
    if (!written)
        return written.error();
    return {};
}

meeting::MeetingEvent refusalEvent(const Error& error)
{
    return meeting::ev::Refused{QString::fromStdString(error.code),
                                QString::fromStdString(error.message)};
}

} // namespace conclave::conference
