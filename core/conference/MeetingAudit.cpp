// SPDX-License-Identifier: GPL-3.0-or-later
#include "conference/MeetingAudit.h"

#include "storage/AuditLog.h"

#include <QJsonDocument>

namespace conclave::conference {

Result<void> auditEvent(storage::AuditLog& log, const QString& marking,
                        const meeting::MeetingEvent& event)
{
    const auto detail = QJsonDocument(event.data).toJson(QJsonDocument::Compact).toStdString();
    auto written =
        log.append(("meeting." + event.kind).toStdString(), marking.toStdString(), detail);
    if (!written)
        return written.error();
    return {};
}

meeting::MeetingEvent refusalEvent(const Error& error)
{
    return {QStringLiteral("refused"),
            {{QStringLiteral("code"), QString::fromStdString(error.code)},
             {QStringLiteral("reason"), QString::fromStdString(error.message)}},
            true};
}

} // namespace conclave::conference
