// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "meeting/MeetingDescriptor.h"

#include <QByteArray>
#include <QString>

#include <map>

namespace conclave::meeting {

/// What a delegated co-chair knows of the meeting when it takes the chair over
/// (ParticipantSession::takeOver): the original chair's descriptor as signed (the successor
/// cannot re-sign it, so the marking stays as it is), the delegation that entitles it, and the
/// switches it saw the chair set.
struct ChairSuccession {
    MeetingDescriptor descriptor; ///< options.chat as last switched by the chair
    QByteArray signedDescriptor;
    classification::Marking marking;
    QString hubUrl;
    QByteArray delegation;
    /// The other co-chairs' grants still in force (identity -> signed delegation): the
    /// successor tells newcomers, as the chair did, and carries out their requests.
    std::map<QByteArray, QByteArray> coChairs;
    bool locked = false;
    bool suspended = false;
};

} // namespace conclave::meeting
