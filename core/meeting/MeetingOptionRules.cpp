// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/MeetingOptionRules.h"

namespace conclave::meeting {

MeetingOptions optionsWithin(MeetingOptions wanted, const policy::MeetingRules& rules)
{
    wanted.waitingRoom = wanted.waitingRoom || rules.waitingRoom;
    wanted.invitesRequired = wanted.invitesRequired || rules.perPersonInvites;
    wanted.openKnocking = wanted.openKnocking && rules.openKnocking && !wanted.invitesRequired;
    wanted.chat = wanted.chat && rules.chat;
    wanted.shareByAll = wanted.shareByAll && rules.screenShare;
    return wanted;
}

std::optional<std::string> ruleBreach(const MeetingOptions& options,
                                      const policy::MeetingRules& rules)
{
    if (rules.waitingRoom && !options.waitingRoom)
        return "need a waiting room";
    if (rules.perPersonInvites && !options.invitesRequired)
        return "need per-person invites";
    if (!rules.openKnocking && options.openKnocking)
        return "may not allow uninvited knocking";
    if (!rules.chat && options.chat)
        return "may not have chat";
    if (!rules.screenShare && options.shareByAll)
        return "may not let everyone share their screen";
    return std::nullopt;
}

} // namespace conclave::meeting
