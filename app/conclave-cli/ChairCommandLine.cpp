// SPDX-License-Identifier: GPL-3.0-or-later
#include "ChairCommandLine.h"

#include "WhoMatcher.h"
#include "classification/MarkingParser.h"
#include "conference/MeetingController.h"

namespace conclave::app {

namespace {

using Parsed = Result<meeting::ChairCommand>;

std::optional<crypto::Ed25519PublicKey>
find(const QString& who, const conference::MeetingController& meeting, meeting::CommandTarget where)
{
    if (where == meeting::CommandTarget::Knocker) {
        for (const conference::Knocker& k : meeting.waiting())
            if (namesPerson(who, k.identity, k.name))
                return k.identity;
        return std::nullopt;
    }
    for (const conference::Member& m : meeting.members())
        if (namesPerson(who, m.identity, m.name))
            return m.identity;
    return std::nullopt;
}

} // namespace

std::optional<Result<meeting::ChairCommand>>
chairCommandFrom(const QJsonObject& line, const conference::MeetingController& meeting,
                 const classification::Scheme& scheme)
{
    const QString name = line.value(QStringLiteral("cmd")).toString();
    const meeting::ChairCommandRule* rule = meeting::chairCommandNamed(name.toStdString());
    if (!rule)
        return std::nullopt;
    meeting::ChairCommand command{rule->action, rule->on};
    command.reason = line.value(QStringLiteral("reason")).toString();
    if (line.value(QStringLiteral("role")).toString() == QLatin1String("observer"))
        command.role = crypto::MemberRole::Observer;
    if (rule->target != meeting::CommandTarget::Meeting) {
        const QString who = line.value(QStringLiteral("who")).toString();
        command.target = find(who, meeting, rule->target);
        if (!command.target)
            return Parsed(makeError("usage", "nobody matching '" + who.toStdString() + "' is " +
                                                 (rule->target == meeting::CommandTarget::Knocker
                                                      ? "waiting"
                                                      : "in the meeting")));
    }
    if (rule->action == meeting::ChairAction::ChangeMarking) {
        auto marking = classification::MarkingParser(scheme).parse(
            line.value(QStringLiteral("marking")).toString().toStdString());
        if (!marking)
            return Parsed(marking.error());
        command.marking = marking->marking;
        command.confirmed = line.value(QStringLiteral("confirm")).toBool();
    }
    return Parsed(command);
}

} // namespace conclave::app
