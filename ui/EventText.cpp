// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/EventText.h"

#include <QCoreApplication>

#include <algorithm>
#include <array>

namespace conclave::ui {

namespace {

using meeting::EventKind;
namespace ev = meeting::ev;

QString tr(const char* text)
{
    return QCoreApplication::translate("conclave::ui::EventText", text);
}

/// The one list of kinds the activity line does not show (see shownAsActivity()).
constexpr std::array kNotShown{EventKind::Roster,   EventKind::Epoch,   EventKind::Chat,
                               EventKind::AudioOff, EventKind::AudioOn, EventKind::VideoOff,
                               EventKind::VideoOn,  EventKind::Sharing, EventKind::SharingStopped,
                               EventKind::Created};

/// A person as the line names them: the name, or the fingerprint when the name is unknown.
QString who(const QString& name, const QString& fingerprint)
{
    if (!name.isEmpty())
        return name;
    return fingerprint.isEmpty() ? tr("Someone")
                                 : tr("The member with fingerprint %1").arg(fingerprint);
}

QString inviteWords(meeting::InviteMatch match)
{
    switch (match) {
    case meeting::InviteMatch::Invited:
        return tr("invited");
    case meeting::InviteMatch::Uninvited:
        return tr("no invite");
    case meeting::InviteMatch::InviteInvalid:
        return tr("the invite did not check out");
    case meeting::InviteMatch::Returning:
        return tr("sent back earlier, may return");
    }
    return {};
}

/// What a chair command does, in words ("lock the meeting").
QString commandWords(meeting::ChairAction action, bool on)
{
    using A = meeting::ChairAction;
    switch (action) {
    case A::Admit:
        return tr("admit someone");
    case A::AdmitAllInvited:
        return tr("admit everyone invited");
    case A::Deny:
        return tr("turn someone away");
    case A::Remove:
        return tr("remove someone");
    case A::ToLobby:
        return tr("send someone back to the waiting room");
    case A::Mute:
        return tr("mute someone");
    case A::AskUnmute:
        return tr("ask someone to unmute");
    case A::StopVideo:
        return tr("stop someone's video");
    case A::Share:
        return on ? tr("let someone share their screen") : tr("stop someone sharing their screen");
    case A::CoChair:
        return on ? tr("name a co-chair") : tr("withdraw a co-chair");
    case A::Lock:
        return on ? tr("lock the meeting") : tr("unlock the meeting");
    case A::MuteAll:
        return tr("mute everyone");
    case A::Chat:
        return on ? tr("turn chat on") : tr("turn chat off");
    case A::Suspend:
        return on ? tr("suspend all activity") : tr("resume the meeting");
    case A::ChangeMarking:
        return tr("change the marking");
    case A::End:
        return tr("end the meeting");
    }
    return {};
}

QString problem(const QString& reason, const QString& code)
{
    if (reason.isEmpty())
        return code.isEmpty() ? tr("Something went wrong.")
                              : tr("Something went wrong (%1).").arg(code);
    return code.isEmpty() ? reason : tr("%1 (%2)").arg(reason, code);
}

// One sentence per kind: a kind added to the catalogue without one does not compile.
QString text(const ev::Knock& e)
{
    return tr("%1 is in the waiting room (%2).")
        .arg(who(e.name, e.fingerprint), inviteWords(e.invite));
}
QString text(const ev::Admitted& e)
{
    return tr("%1 was admitted.").arg(who(e.name, e.fingerprint));
}
/// "<sentence>: <reason>", or "<sentence>." when no reason was given.
QString withReason(const char* sentence, const QString& reason)
{
    return reason.isEmpty() ? tr(sentence) + QLatin1Char('.')
                            : tr("%1: %2").arg(tr(sentence), reason);
}

QString text(const ev::Denied& e)
{
    return e.you ? withReason("The chair did not let you in", e.reason)
                 : tr("%1 was turned away.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::Blocked& e)
{
    return tr("%1 was blocked after repeated knocking.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::Removed& e)
{
    return e.you ? withReason("You were removed from the meeting", e.reason)
                 : tr("%1 was removed and cannot return; the meeting key changed.")
                       .arg(who(e.name, e.fingerprint));
}
QString text(const ev::SentToLobby& e)
{
    return e.you ? tr("The chair sent you back to the waiting room.")
                 : tr("%1 was sent back to the waiting room; the meeting key changed.")
                       .arg(who(e.name, e.fingerprint));
}
QString text(const ev::Left& e)
{
    return e.you ? tr("You left the meeting.") : tr("%1 left.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::KnockerLeft& e)
{
    return tr("%1 stopped waiting.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::Roster&)
{
    return {};
}
QString text(const ev::Epoch&)
{
    return {};
}
QString text(const ev::Locked&)
{
    return tr("The meeting is locked: nobody new can knock.");
}
QString text(const ev::Unlocked&)
{
    return tr("The meeting is unlocked.");
}
QString text(const ev::MutedAll&)
{
    return tr("Everyone was muted. Only they can unmute themselves.");
}
QString text(const ev::Muted& e)
{
    return tr("%1 was muted.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::UnmuteAsked& e)
{
    return tr("%1 was asked to unmute.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::VideoStopped& e)
{
    return tr("%1's video was stopped.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::ShareAllowed& e)
{
    return tr("%1 may share their screen.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::ShareRevoked& e)
{
    return tr("%1 may no longer share their screen.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::ChatEnabled&)
{
    return tr("Chat is on.");
}
QString text(const ev::ChatDisabled&)
{
    return tr("Chat is off.");
}
QString text(const ev::Suspended&)
{
    return tr("All activity is suspended: media, chat and sharing stopped, and the meeting "
              "is locked.");
}
QString text(const ev::Resumed&)
{
    return tr("Activity resumed. Everyone is still muted until they unmute.");
}
QString text(const ev::Ended&)
{
    return tr("The meeting has ended.");
}
QString text(const ev::MarkingChangeSent& e)
{
    if (e.to.isEmpty() || e.from.isEmpty())
        return tr("A change of marking was sent: waiting for the hub to accept it.");
    return tr("Changing the marking from %1 to %2: waiting for the hub to accept it.")
        .arg(e.from, e.to);
}
QString text(const ev::MarkingChanged& e)
{
    if (e.to.isEmpty())
        return tr("The marking has changed.");
    return e.from.isEmpty() ? tr("The marking is now %1.").arg(e.to)
                            : tr("The marking is now %1 (it was %2).").arg(e.to, e.from);
}
QString text(const ev::Chat&)
{
    return {};
}
QString text(const ev::CoChair& e)
{
    return e.you ? tr("The chair made you co-chair.")
                 : tr("%1 is co-chair.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::CoChairRevoked& e)
{
    return e.you ? tr("You are no longer co-chair.")
                 : tr("%1 is no longer co-chair.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::CoChairRequest& e)
{
    const QString asked = e.action ? commandWords(*e.action, e.on) : tr("act as chair");
    if (e.done)
        return tr("Co-chair %1 asked to %2: done.").arg(who(e.from, e.fingerprint), asked);
    if (e.reason.value_or(QString()).isEmpty())
        return tr("Co-chair %1 asked to %2: refused.").arg(who(e.from, e.fingerprint), asked);
    return tr("Co-chair %1 asked to %2: refused - %3")
        .arg(who(e.from, e.fingerprint), asked, *e.reason);
}
QString text(const ev::Requested& e)
{
    return tr("You asked the chair to %1.").arg(commandWords(e.action, e.on));
}
QString text(const ev::ChairReplaced& e)
{
    return withReason("A co-chair took over as chair", e.reason);
}
QString text(const ev::TookOver&)
{
    return tr("You are now the chair.");
}
QString text(const ev::ChairChanged& e)
{
    return tr("%1 took over as chair.").arg(who(e.name, e.fingerprint));
}
QString text(const ev::Lobby&)
{
    return tr("Waiting for the chair to let you in.");
}
QString text(const ev::Control& e)
{
    return describeControl(e.action);
}
QString text(const ev::UnmuteRequested&)
{
    return tr("The chair asks you to unmute.");
}
QString text(const ev::AudioOff&)
{
    return {};
}
QString text(const ev::AudioOn&)
{
    return {};
}
QString text(const ev::VideoOff&)
{
    return {};
}
QString text(const ev::VideoOn&)
{
    return {};
}
QString text(const ev::Sharing&)
{
    return {};
}
QString text(const ev::SharingStopped&)
{
    return {};
}
QString text(const ev::Created&)
{
    return {};
}
QString text(const ev::Warning& e)
{
    return problem(e.reason, e.code);
}
QString text(const ev::Refused& e)
{
    return problem(e.reason, e.code);
}
QString text(const ev::Connection& e)
{
    if (e.state == QStringLiteral("resumed"))
        return tr("Reconnected: you are back in the meeting.");
    const QString lost = e.reason.isEmpty()
                             ? tr("Connection to the meeting lost.")
                             : tr("Connection to the meeting lost: %1.").arg(e.reason);
    return e.attempt > 1 ? tr("%1 Reconnecting… (attempt %2)").arg(lost).arg(e.attempt)
                         : tr("%1 Reconnecting…").arg(lost);
}
QString text(const ev::Resynced& e)
{
    if (e.you)
        return tr("You were given the current meeting key again (epoch %1 to %2).")
            .arg(e.fromEpoch)
            .arg(e.toEpoch);
    return tr("%1 had missed key changes and was given the current key again.")
        .arg(who(e.name, e.fingerprint));
}

} // namespace

bool shownAsActivity(EventKind kind)
{
    return std::find(kNotShown.begin(), kNotShown.end(), kind) == kNotShown.end();
}

QString describeControl(meeting::ControlAction action)
{
    using meeting::ControlAction;
    switch (action) {
    case ControlAction::Lock:
        return tr("The chair locked the meeting: nobody new can knock.");
    case ControlAction::Unlock:
        return tr("The chair unlocked the meeting.");
    case ControlAction::MuteAll:
        return tr("The chair muted everyone. Only you can unmute yourself.");
    case ControlAction::Mute:
        return tr("The chair muted you. Only you can unmute yourself.");
    case ControlAction::StopVideo:
        return tr("The chair stopped your video.");
    case ControlAction::AllowShare:
        return tr("The chair allowed you to share your screen.");
    case ControlAction::RevokeShare:
        return tr("The chair withdrew your permission to share your screen.");
    case ControlAction::AllowChat:
        return tr("The chair turned chat on.");
    case ControlAction::DisableChat:
        return tr("The chair turned chat off.");
    case ControlAction::Suspend:
        return tr("The chair suspended all activity: media, chat and sharing stopped, and the "
                  "meeting is locked.");
    case ControlAction::Resume:
        return tr("The chair resumed the meeting. You stay muted until you unmute.");
    case ControlAction::End:
        return tr("The chair ended the meeting.");
    case ControlAction::ToLobby:
        return tr("The chair sent you back to the waiting room.");
    }
    return {};
}

QString describeEvent(const meeting::MeetingEvent& event)
{
    if (!shownAsActivity(event.kind()))
        return {};
    return std::visit([](const auto& e) { return text(e); }, event.data());
}

} // namespace conclave::ui
