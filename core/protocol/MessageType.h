// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string_view>

namespace conclave::protocol {

/// Every signed message kind (docs/protocol.md §3). The wire carries the name; a name not in
/// this list is refused, so a newer client's message is never half-understood.
enum class MessageType {
    Create,     ///< chair registers the meeting at the hub: signed descriptor + ephemeral key
    Knock,      ///< someone asks to enter: invite (if any), name, ephemeral key
    Admit,      ///< chair lets knockers in (with the COMMIT that gives them the key)
    Deny,       ///< chair turns a knocker away
    Commit,     ///< chair's signed epoch change (docs/e2ee.md §3)
    Ack,        ///< member confirms it holds an epoch
    Remove,     ///< chair removes (and bans) a member
    Control,    ///< chair action: lock, unlock, mute-all, stop video, permissions, suspend, end
    Descriptor, ///< chair re-signs the meeting descriptor (e.g. a marking change)
    Chat,       ///< chat text encrypted with the epoch key
    Heartbeat,  ///< chair is alive (≤ 5 s apart)
    Leave,      ///< a member leaves
    Signal,     ///< media signalling (SDP, ICE) between two members
    Delegate,   ///< chair-signed co-chair delegation
    AskUnmute,  ///< chair asks a member to unmute (nobody unmutes anyone else)
    Request,    ///< a co-chair asks the chair to act (admit, deny, remove, lock ...)
    Takeover,   ///< a co-chair becomes chair: the delegation and its chair-change COMMIT
    Resume,     ///< a member back on a new connection (or behind on its epoch) asks to catch up
    Resync,     ///< chair to one member: the current epoch, descriptor and room state again
};

std::string_view toString(MessageType type);
std::optional<MessageType> messageTypeFromString(std::string_view name);

} // namespace conclave::protocol
