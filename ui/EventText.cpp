// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/EventText.h"

#include <QCoreApplication>

namespace conclave::ui {

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("conclave::ui::EventText", text);
}

} // namespace

QString describeEvent(const meeting::MeetingEvent& event)
{
    const auto field = [&](const char* key) {
        return event.data.value(QLatin1String(key)).toVariant().toString();
    };
    const QString& k = event.kind;
    if (k == QLatin1String("knock"))
        return tr("%1 is in the waiting room (%2).").arg(field("name"), field("invite"));
    if (k == QLatin1String("admitted"))
        return tr("%1 was admitted.").arg(field("name"));
    // Without a name the event is about this member (a participant's own session).
    const bool aboutMe = field("name").isEmpty();
    if (k == QLatin1String("denied"))
        return aboutMe ? tr("The chair did not let you in: %1").arg(field("reason"))
                       : tr("%1 was turned away.").arg(field("name"));
    if (k == QLatin1String("blocked"))
        return tr("%1 was blocked after repeated knocking.").arg(field("name"));
    if (k == QLatin1String("removed"))
        return aboutMe ? tr("You were removed from the meeting: %1").arg(field("reason"))
                       : tr("%1 was removed and cannot return; the meeting key changed.")
                             .arg(field("name"));
    if (k == QLatin1String("sent_to_lobby"))
        return aboutMe ? tr("The chair sent you back to the waiting room.")
                       : tr("%1 was sent back to the waiting room; the meeting key changed.")
                             .arg(field("name"));
    if (k == QLatin1String("left"))
        return tr("%1 left.").arg(field("name"));
    if (k == QLatin1String("knocker_left"))
        return tr("%1 stopped waiting.").arg(field("name"));
    if (k == QLatin1String("locked"))
        return tr("The meeting is locked: nobody new can knock.");
    if (k == QLatin1String("unlocked"))
        return tr("The meeting is unlocked.");
    if (k == QLatin1String("muted_all"))
        return tr("Everyone was muted. Only they can unmute themselves.");
    if (k == QLatin1String("muted"))
        return tr("%1 was muted.").arg(field("name"));
    if (k == QLatin1String("video_stopped"))
        return tr("%1's video was stopped.").arg(field("name"));
    if (k == QLatin1String("share_allowed"))
        return tr("%1 may share their screen.").arg(field("name"));
    if (k == QLatin1String("share_revoked"))
        return tr("%1 may no longer share their screen.").arg(field("name"));
    if (k == QLatin1String("chat_enabled"))
        return tr("Chat is on.");
    if (k == QLatin1String("chat_disabled"))
        return tr("Chat is off.");
    if (k == QLatin1String("suspended"))
        return tr("All activity is suspended: media, chat and sharing stopped, and the meeting "
                  "is locked.");
    if (k == QLatin1String("resumed"))
        return tr("Activity resumed. Everyone is still muted until they unmute.");
    if (k == QLatin1String("marking_changed"))
        return tr("The marking is now %1 (it was %2).").arg(field("to"), field("from"));
    if (k == QLatin1String("control"))
        return tr("The chair: %1.").arg(field("action"));
    if (k == QLatin1String("co_chair"))
        return tr("%1 is co-chair.").arg(field("name"));
    if (k == QLatin1String("co_chair_revoked"))
        return tr("%1 is no longer co-chair.").arg(field("name"));
    if (k == QLatin1String("unmute_requested"))
        return tr("The chair asks you to unmute.");
    if (k == QLatin1String("lobby"))
        return tr("Waiting for the chair to let you in.");
    if (k == QLatin1String("warning") || k == QLatin1String("error") ||
        k == QLatin1String("refused"))
        return tr("%1 (%2)").arg(field("reason"), field("code"));
    if (k == QLatin1String("ended"))
        return tr("The meeting has ended.");
    if (k == QLatin1String("chair_changed"))
        return tr("%1 took over as chair.").arg(field("name"));
    return {};
}

} // namespace conclave::ui
