// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "meeting/MeetingDescriptor.h"

#include <QString>

#include <cstdint>

namespace conclave::meeting {

/// What a chair chooses when opening a meeting. The marking is chosen explicitly: there is no
/// default, and the session refuses to start when the policy does not approve it here.
struct ChairSetup {
    QString title;
    classification::Marking marking;
    QString backendId;
    QString hubUrl;
    QString hubPin;
    QString chairName = QStringLiteral("Chair");
    /// The hub runs inside this program (EmbeddedHost, conclave-cli host without --hub): the
    /// only way an embedded ("this computer") backend may be used.
    bool hostedHere = false;
    MeetingOptions options; ///< tightened to what the policy's rules require for the marking
    uint16_t cipherSuite = 0xF001;
};

} // namespace conclave::meeting
