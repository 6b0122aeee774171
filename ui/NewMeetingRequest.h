// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace conclave::ui {

/// What the chair filled in on the start window's "New meeting" page.
struct NewMeetingRequest {
    QString title;
    classification::Marking marking;
    QString backendId;
    /// Hosting on this computer: the address colleagues reach it on (loopback: only here).
    QHostAddress listenAddress;
    QStringList invitees; ///< one per-person invite each
    QString chairName;
    bool chat = false;
    bool openLink = false; ///< also a meeting link for uninvited knocking, where allowed
};

} // namespace conclave::ui
