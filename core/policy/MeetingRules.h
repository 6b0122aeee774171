// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace conclave::policy {

/// What a policy requires and permits for meetings of one approval grade.
/// The defaults are the strictest settings: a grade the policy does not mention gets these.
struct MeetingRules {
    bool waitingRoom = true;
    bool perPersonInvites = true;
    bool openKnocking = false; ///< uninvited people may knock and wait to be admitted
    bool e2ee = true;
    bool clearanceCheck = true;
    bool recording = false;
    bool chat = false;
    bool screenShare = false;

    friend bool operator==(const MeetingRules&, const MeetingRules&) = default;
};

} // namespace conclave::policy
