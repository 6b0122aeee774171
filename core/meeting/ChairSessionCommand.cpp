// SPDX-License-Identifier: GPL-3.0-or-later
// ChairSession: one entry point for every chair command (the table in meeting/ChairCommand).
#include "meeting/ChairSession.h"

namespace conclave::meeting {

Result<MeetingEvents> ChairSession::perform(const ChairCommand& command)
{
    const ChairCommandRule& rule = ruleOf(command.action, command.on);
    if (rule.target != CommandTarget::Meeting && !command.target)
        return makeError("usage",
                         "'" + std::string(rule.name) + "' acts on one person: say who (" +
                             (rule.target == CommandTarget::Knocker ? "someone in the waiting room)"
                                                                    : "someone in the meeting)"));
    const auto& who = command.target;
    switch (command.action) {
    case ChairAction::Admit:
        return admit(*who, command.role);
    case ChairAction::AdmitAllInvited:
        return admitAllInvited();
    case ChairAction::Deny:
        return deny(*who, command.reason);
    case ChairAction::Remove:
        return remove(*who, command.reason);
    case ChairAction::ToLobby:
        return sendToLobby(*who, command.reason);
    case ChairAction::Mute:
        return mute(*who);
    case ChairAction::AskUnmute:
        return askUnmute(*who, command.reason);
    case ChairAction::StopVideo:
        return stopVideo(*who);
    case ChairAction::Share:
        return setShare(*who, command.on);
    case ChairAction::CoChair:
        return delegate(*who, command.on);
    case ChairAction::Lock:
        return command.on ? lock() : unlock();
    case ChairAction::MuteAll:
        return muteAll();
    case ChairAction::Chat:
        return setChat(command.on);
    case ChairAction::Suspend:
        return command.on ? suspend() : resume();
    case ChairAction::ChangeMarking:
        if (!command.marking)
            return makeError("usage", "a marking change names the new marking");
        return changeMarking(*command.marking, command.confirmed);
    case ChairAction::End:
        return end();
    }
    return makeError("usage", "unknown chair command");
}

Result<MeetingEvents> ChairSession::carryOut(const ChairCommand& request)
{
    // The request decoder accepts only what the table lets a co-chair ask for; a co-chair
    // still may not act on another co-chair (only the chair can).
    const bool onPerson =
        request.action == ChairAction::Remove || request.action == ChairAction::ToLobby;
    if (onPerson && request.target && isCoChair(*request.target))
        return Error{"meeting.co_chair_target",
                     "a co-chair cannot remove or move another co-chair; ask the chair"};
    if (!ruleOf(request.action, request.on).coChairMayAsk)
        return Error{"meeting.bad_request", "a co-chair may ask only for " + coChairRequestNames()};
    return perform(request);
}

} // namespace conclave::meeting
