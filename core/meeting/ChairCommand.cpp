// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/ChairCommand.h"

#include <array>

namespace conclave::meeting {

namespace {

using A = ChairAction;
using T = CommandTarget;

// name, action, on, target, a co-chair may ask, original chair only
constexpr std::array<ChairCommandRule, 21> kRules{{
    {"admit", A::Admit, true, T::Knocker, true, false},
    {"admit-all", A::AdmitAllInvited, true, T::Meeting, false, false},
    {"deny", A::Deny, true, T::Knocker, true, false},
    {"remove", A::Remove, true, T::Member, true, false},
    {"to-lobby", A::ToLobby, true, T::Member, true, false},
    {"lock", A::Lock, true, T::Meeting, true, false},
    {"unlock", A::Lock, false, T::Meeting, true, false},
    {"mute-all", A::MuteAll, true, T::Meeting, true, false},
    {"mute", A::Mute, true, T::Member, false, false},
    {"ask-unmute", A::AskUnmute, true, T::Member, false, false},
    {"stop-video", A::StopVideo, true, T::Member, false, false},
    {"allow-share", A::Share, true, T::Member, false, false},
    {"revoke-share", A::Share, false, T::Member, false, false},
    {"chat-on", A::Chat, true, T::Meeting, false, false},
    {"chat-off", A::Chat, false, T::Meeting, false, false},
    {"suspend", A::Suspend, true, T::Meeting, true, false},
    {"resume", A::Suspend, false, T::Meeting, true, false},
    {"marking", A::ChangeMarking, true, T::Meeting, false, true},
    {"co-chair", A::CoChair, true, T::Member, false, true},
    {"revoke-co-chair", A::CoChair, false, T::Member, false, true},
    {"end", A::End, true, T::Meeting, false, false},
}};

} // namespace

std::span<const ChairCommandRule> chairCommandRules()
{
    return kRules;
}

const ChairCommandRule* chairCommandNamed(std::string_view name)
{
    for (const ChairCommandRule& rule : kRules)
        if (rule.name == name)
            return &rule;
    return nullptr;
}

const ChairCommandRule& ruleOf(ChairAction action, bool on)
{
    const ChairCommandRule* first = nullptr;
    for (const ChairCommandRule& rule : kRules) {
        if (rule.action != action)
            continue;
        if (rule.on == on)
            return rule;
        if (!first)
            first = &rule;
    }
    return *first; // one-way actions have one row; every action has at least one
}

std::string coChairRequestNames()
{
    std::string out;
    for (const ChairCommandRule& rule : kRules)
        if (rule.coChairMayAsk)
            out += (out.empty() ? "" : ", ") + std::string(rule.name);
    return out;
}

std::string_view ChairCommand::name() const
{
    return ruleOf(action, on).name;
}

} // namespace conclave::meeting
