// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/SenderRoles.h"

namespace conclave::protocol {
namespace {

using T = MessageType;
using S = Sender;
using D = Delivery;

// docs/protocol.md §3 prints this table; keep them the same. A new MessageType must get a row
// here (the size and order are checked below): there is no default that would let a new
// type through from anyone.
constexpr std::array<SenderRule, 19> kRules{{
    {T::Create, S::Chair, D::Hub},         {T::Knock, S::Knocker, D::LobbyKeepers},
    {T::Admit, S::Chair, D::Members},      {T::Deny, S::Chair, D::Members},
    {T::Commit, S::Chair, D::Members},     {T::Ack, S::Member, D::Members},
    {T::Remove, S::Chair, D::Members},     {T::Control, S::Chair, D::Members},
    {T::Descriptor, S::Chair, D::Members}, {T::Chat, S::Member, D::Members},
    {T::Heartbeat, S::Chair, D::Members},  {T::Leave, S::MemberOrKnocker, D::Members},
    {T::Signal, S::Member, D::OneMember},  {T::Delegate, S::Chair, D::Members},
    {T::AskUnmute, S::Chair, D::Members},  {T::Request, S::CoChair, D::Chair},
    {T::Takeover, S::CoChair, D::Members}, {T::Resume, S::Member, D::Chair},
    {T::Resync, S::Chair, D::OneMember},
}};

constexpr bool inEnumOrder()
{
    for (size_t i = 0; i < kRules.size(); ++i)
        if (size_t(kRules[i].type) != i)
            return false;
    return true;
}
static_assert(inEnumOrder(), "one row per MessageType, in the enum's order");
static_assert(size_t(T::Resync) + 1 == kRules.size(), "every MessageType needs a row");

} // namespace

const SenderRule& senderRule(MessageType type)
{
    return kRules.at(size_t(type));
}

bool chairOnly(MessageType type)
{
    return senderRule(type).sender == Sender::Chair;
}

SequenceStream sequenceStreamOf(MessageType type)
{
    return senderRule(type).delivery == Delivery::Members ? SequenceStream::Everyone
                                                          : SequenceStream::Directed;
}

const std::array<SenderRule, 19>& senderRules()
{
    return kRules;
}

std::string_view toString(Sender sender)
{
    switch (sender) {
    case Sender::Chair:
        return "chair";
    case Sender::CoChair:
        return "co-chair";
    case Sender::Member:
        return "member";
    case Sender::MemberOrKnocker:
        return "member or knocker";
    case Sender::Knocker:
        return "knocker";
    }
    return "unknown";
}

std::string_view toString(Delivery delivery)
{
    switch (delivery) {
    case Delivery::Hub:
        return "hub only";
    case Delivery::LobbyKeepers:
        return "chair and co-chairs";
    case Delivery::Members:
        return "every other member";
    case Delivery::OneMember:
        return "the member named in `to`";
    case Delivery::Chair:
        return "the chair";
    }
    return "unknown";
}

} // namespace conclave::protocol
