// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/BuiltinPolicy.h"

namespace conclave::policy {

PolicyDocument publicBusinessOnlyPolicy(std::string whyNoSignedPolicy)
{
    PolicyDocument doc;
    doc.builtin = true;
    doc.issuer = std::move(whyNoSignedPolicy);
    doc.scheme = classification::Scheme::ukGovernment();
    doc.notBefore = TimePoint::min();
    doc.notAfter = TimePoint::max();
    MeetingRules official;
    official.waitingRoom = true;
    official.perPersonInvites = false;
    official.openKnocking = true;
    official.e2ee = true;
    official.clearanceCheck = false;
    official.recording = false;
    official.chat = true;
    official.screenShare = true;
    doc.rulesByGrade[0] = official;
    return doc;
}

} // namespace conclave::policy
