// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/MessageType.h"

#include <array>
#include <utility>

namespace conclave::protocol {
namespace {

constexpr std::array<std::pair<MessageType, std::string_view>, 19> kNames{{
    {MessageType::Create, "create"},         {MessageType::Knock, "knock"},
    {MessageType::Admit, "admit"},           {MessageType::Deny, "deny"},
    {MessageType::Commit, "commit"},         {MessageType::Ack, "ack"},
    {MessageType::Remove, "remove"},         {MessageType::Control, "control"},
    {MessageType::Descriptor, "descriptor"}, {MessageType::Chat, "chat"},
    {MessageType::Heartbeat, "heartbeat"},   {MessageType::Leave, "leave"},
    {MessageType::Signal, "signal"},         {MessageType::Delegate, "delegate"},
    {MessageType::AskUnmute, "ask-unmute"},  {MessageType::Request, "request"},
    {MessageType::Takeover, "takeover"},     {MessageType::Resume, "resume"},
    {MessageType::Resync, "resync"},
}};

} // namespace

std::string_view toString(MessageType type)
{
    for (const auto& [t, name] : kNames)
        if (t == type)
            return name;
    return "unknown";
}

std::optional<MessageType> messageTypeFromString(std::string_view name)
{
    for (const auto& [t, n] : kNames)
        if (n == name)
            return t;
    return std::nullopt;
}

} // namespace conclave::protocol
