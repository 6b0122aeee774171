// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

#include <vector>

namespace conclave::meeting {

/// Something a session wants its owner to know: shown in the UI, printed by conclave-cli as
/// one JSON line ({"event": kind, ...data}), and - when `audited` - written to the audit log.
/// Kinds are listed in docs/cli.md.
struct MeetingEvent {
    QString kind;
    QJsonObject data;
    bool audited = false;

    QJsonObject toJson() const
    {
        QJsonObject out = data;
        out.insert(QStringLiteral("event"), kind);
        return out;
    }
};

using MeetingEvents = std::vector<MeetingEvent>;

} // namespace conclave::meeting
