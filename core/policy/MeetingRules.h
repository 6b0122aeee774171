// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace conclave::policy {

/// What a policy requires and permits for meetings of one approval grade.
/// The defaults are the strictest settings this version can enforce: a grade the policy does
/// not mention gets these. `clearanceCheck` is false because no clearance check exists; a
/// policy that asks for one is refused at load (PolicyParser, "policy.unenforceable").
struct MeetingRules {
    bool waitingRoom = true;
    bool perPersonInvites = true;
    bool openKnocking = false; ///< uninvited people may knock and wait to be admitted
    bool e2ee = true;
    bool clearanceCheck = false; ///< true is refused at load: nothing can enforce it
    bool recording = false;      ///< a permission; nothing records, so true changes nothing
    bool chat = false;
    bool screenShare = false;

    friend bool operator==(const MeetingRules&, const MeetingRules&) = default;
};

} // namespace conclave::policy
