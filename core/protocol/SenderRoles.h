// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "protocol/MessageType.h"

#include <array>
#include <string_view>

namespace conclave::protocol {

/// Who may send a message type. The hub's routing checks (hub::HubState) and every client's
/// envelope check (meeting::EnvelopeGuard) read this one table (docs/protocol.md §3).
enum class Sender {
    Chair,           ///< the chair's key only - after a co-chair takeover, the successor's
    CoChair,         ///< a member the chair named co-chair (its delegation is checked too)
    Member,          ///< any admitted member, the chair included
    MemberOrKnocker, ///< a member, or a knocker withdrawing from the waiting room
    Knocker,         ///< someone not in the room yet (the first message on a connection)
};

/// Where the hub takes an accepted message.
enum class Delivery {
    Hub,          ///< to the hub alone, never relayed
    LobbyKeepers, ///< the chair and the co-chairs (who see the waiting room)
    Members,      ///< every member but the sender, never the waiting room
    OneMember,    ///< the member the body names (`to`)
    Chair,        ///< the chair alone
};

struct SenderRule {
    MessageType type;
    Sender sender;
    Delivery delivery;
};

/// The rule for `type`; every MessageType has exactly one.
const SenderRule& senderRule(MessageType type);
/// Only the chair's key may send it: the hub refuses it from anyone else (`hub.not_chair`),
/// and a client drops it unless signed by the chair it trusts now (`envelope.not_chair`).
bool chairOnly(MessageType type);
/// A sender numbers its messages in two sequences (docs/protocol.md §2): those the hub takes to
/// every member, and the rest (to one member, the chair alone, the lobby keepers, the hub). Each
/// receiver of the first sees every number in it, so a gap there means messages were dropped;
/// a member sees only its own share of the second, so gaps there mean nothing.
enum class SequenceStream {
    Everyone,
    Directed,
};
/// The sequence `type` is numbered in: from its Delivery, so it cannot disagree with routing.
SequenceStream sequenceStreamOf(MessageType type);
/// Every rule, in MessageType order (for documentation and tests).
const std::array<SenderRule, 19>& senderRules();

std::string_view toString(Sender sender);
std::string_view toString(Delivery delivery);

} // namespace conclave::protocol
