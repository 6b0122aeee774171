// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "classification/Marking.h"
#include "crypto/Ed25519.h"
#include "crypto/RosterEntry.h"

#include <QString>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace conclave::meeting {

/// Everything a chair can do to the meeting or to one person in it.
enum class ChairAction {
    Admit,
    AdmitAllInvited,
    Deny,
    Remove,
    ToLobby,
    Mute,
    AskUnmute,
    StopVideo,
    Share,
    CoChair,
    Lock,
    MuteAll,
    Chat,
    Suspend,
    ChangeMarking,
    End
};

/// Whom a command acts on.
enum class CommandTarget {
    Meeting, ///< everyone
    Knocker, ///< someone in the waiting room
    Member   ///< someone in the meeting
};

/// One chair command, whichever front-end gave it (a button, a conclave-cli line, a co-chair's
/// signed request): every one goes through ChairSession::perform.
struct ChairCommand {
    ChairAction action = ChairAction::Lock;
    /// Share, CoChair, Lock, Chat, Suspend: allow / name / lock / on / suspend, or the reverse.
    bool on = true;
    std::optional<crypto::Ed25519PublicKey> target = std::nullopt;
    QString reason = {};
    crypto::MemberRole role = crypto::MemberRole::Participant; ///< Admit: participant or observer
    std::optional<classification::Marking> marking = std::nullopt; ///< ChangeMarking
    bool confirmed = false; ///< ChangeMarking: the chair confirmed lowering the marking

    /// The command's name in the table ("allow-share", "unlock" ...).
    std::string_view name() const;
};

/// One row of the chair-command table: what a named command is, whom it names and who may
/// give it. Front-ends read it to enable buttons and parse commands; the controllers read it
/// to route a command to the chair session or, for a co-chair, to a signed request; the chair
/// reads it to decide which requests a co-chair may make.
struct ChairCommandRule {
    std::string_view name; ///< conclave-cli command, and the wire name of a co-chair's request
    ChairAction action;
    bool on;
    CommandTarget target;
    bool coChairMayAsk;     ///< a co-chair may ask the chair for it (a signed request)
    bool originalChairOnly; ///< needs the original chair's signature: not after a takeover
};

/// The table, in the order the CLI documentation lists it.
std::span<const ChairCommandRule> chairCommandRules();
/// The row with this name, or null.
const ChairCommandRule* chairCommandNamed(std::string_view name);
/// The row for an action (and, for two-way actions, its direction).
const ChairCommandRule& ruleOf(ChairAction action, bool on = true);
/// "admit, deny, ..." - what a co-chair may ask for, for messages that say so.
std::string coChairRequestNames();

} // namespace conclave::meeting
