// SPDX-License-Identifier: GPL-3.0-or-later
// Every activity line the meeting window can show, read once: one event of every kind in the
// catalogue (meeting/MeetingEvent.h), each with its fields filled and once with them all empty.
#include "ui/EventText.h"

#include <QtTest>

#include <utility>

using namespace conclave;
using meeting::EventKind;
using meeting::MeetingEvent;
namespace ev = meeting::ev;

namespace {

const QString kName = QStringLiteral("Alice Example");
const QString kFp = QStringLiteral("12345 67890 12345 67890 12345 67890");

/// One filled-in event of `kind`. No default: a kind added to the catalogue without a sample
/// here does not compile (-Werror=switch), so it cannot slip past this test.
MeetingEvent sample(EventKind kind)
{
    switch (kind) {
    case EventKind::Knock:
        return ev::Knock{kName,
                         kName,
                         kFp,
                         QStringLiteral("1f2e3d4c"),
                         QStringLiteral("ab"),
                         meeting::InviteMatch::Invited,
                         {},
                         QStringLiteral("new"),
                         false};
    case EventKind::Admitted:
        return ev::Admitted{kName, kFp, 3};
    case EventKind::Denied:
        return ev::Denied{kName, kFp, QStringLiteral("not on the list"), false};
    case EventKind::Blocked:
        return ev::Blocked{kName, kFp};
    case EventKind::Removed:
        return ev::Removed{kName, kFp, QStringLiteral("disruption"), false};
    case EventKind::SentToLobby:
        return ev::SentToLobby{kName, kFp, {}, false};
    case EventKind::Left:
        return ev::Left{kName, kFp, false};
    case EventKind::KnockerLeft:
        return ev::KnockerLeft{kName, kFp};
    case EventKind::Roster:
        return ev::Roster{{{1, kName, crypto::MemberRole::Participant, kFp}}};
    case EventKind::Epoch:
        return ev::Epoch{2, QStringLiteral("1234"), QStringLiteral("5678"), 2, 0};
    case EventKind::Locked:
        return ev::Locked{};
    case EventKind::Unlocked:
        return ev::Unlocked{};
    case EventKind::MutedAll:
        return ev::MutedAll{};
    case EventKind::Muted:
        return ev::Muted{kName, kFp};
    case EventKind::UnmuteAsked:
        return ev::UnmuteAsked{kName, kFp, QStringLiteral("your turn")};
    case EventKind::VideoStopped:
        return ev::VideoStopped{kName, kFp};
    case EventKind::ShareAllowed:
        return ev::ShareAllowed{kName, kFp};
    case EventKind::ShareRevoked:
        return ev::ShareRevoked{kName, kFp};
    case EventKind::ChatEnabled:
        return ev::ChatEnabled{};
    case EventKind::ChatDisabled:
        return ev::ChatDisabled{};
    case EventKind::Suspended:
        return ev::Suspended{};
    case EventKind::Resumed:
        return ev::Resumed{};
    case EventKind::Ended:
        return ev::Ended{};
    case EventKind::MarkingChangeSent:
        return ev::MarkingChangeSent{QStringLiteral("OFFICIAL"), QStringLiteral("SECRET"), 2};
    case EventKind::MarkingChanged:
        return ev::MarkingChanged{QStringLiteral("OFFICIAL"),
                                  QStringLiteral("SECRET"),
                                  2,
                                  std::nullopt,
                                  true,
                                  false,
                                  false};
    case EventKind::Chat:
        return ev::Chat{kName, kFp, QStringLiteral("OFFICIAL"), QStringLiteral("hello")};
    case EventKind::CoChair:
        return ev::CoChair{kName, kFp, false};
    case EventKind::CoChairRevoked:
        return ev::CoChairRevoked{kName, kFp, false};
    case EventKind::CoChairRequest:
        return ev::CoChairRequest{kName,        kFp,          meeting::ChairAction::MuteAll,
                                  true,         std::nullopt, true,
                                  std::nullopt, std::nullopt};
    case EventKind::Requested:
        return ev::Requested{meeting::ChairAction::ToLobby, true, kFp};
    case EventKind::ChairReplaced:
        return ev::ChairReplaced{QStringLiteral("the chair was silent")};
    case EventKind::TookOver:
        return ev::TookOver{};
    case EventKind::ChairChanged:
        return ev::ChairChanged{kName, kFp};
    case EventKind::Lobby:
        return ev::Lobby{QStringLiteral("Budget"), QStringLiteral("OFFICIAL"),
                         QStringLiteral("dept-hub-1"), kFp, QStringLiteral("1234")};
    case EventKind::Control:
        return ev::Control{meeting::ControlAction::AllowShare};
    case EventKind::UnmuteRequested:
        return ev::UnmuteRequested{QStringLiteral("your turn")};
    case EventKind::AudioOff:
        return ev::AudioOff{};
    case EventKind::AudioOn:
        return ev::AudioOn{};
    case EventKind::VideoOff:
        return ev::VideoOff{};
    case EventKind::VideoOn:
        return ev::VideoOn{};
    case EventKind::Sharing:
        return ev::Sharing{};
    case EventKind::SharingStopped:
        return ev::SharingStopped{};
    case EventKind::Created:
        return ev::Created{};
    case EventKind::Warning:
        return ev::Warning{QStringLiteral("chat.dropped"), QStringLiteral("a message was dropped")};
    case EventKind::Refused:
        return ev::Refused{QStringLiteral("policy.marking_not_approved"),
                           QStringLiteral("SECRET is not approved here")};
    case EventKind::Connection:
        return ev::Connection{QStringLiteral("reconnecting"),
                              QStringLiteral("nothing from the hub for 6 s"), 2};
    case EventKind::Resynced:
        return ev::Resynced{kName, kFp, false, 3, 7};
    }
    return ev::Created{};
}

/// The event of `kind` with every field empty: what a producer that forgot a field would make.
template <std::size_t... I>
MeetingEvent blankAt(std::size_t index, std::index_sequence<I...>)
{
    std::optional<MeetingEvent> out;
    ((index == I ? (out.emplace(std::variant_alternative_t<I, meeting::EventData>{}), 0) : 0), ...);
    return *out;
}
MeetingEvent blank(EventKind kind)
{
    return blankAt(std::size_t(kind), std::make_index_sequence<meeting::kEventKindCount>{});
}

/// Words of the wire protocol that must never reach a person: control and request names with a
/// hyphen ("allow-share"), and event names with an underscore ("share_allowed").
QStringList protocolWords()
{
    QStringList words;
    for (int a = 0; a <= int(meeting::ControlAction::ToLobby); ++a) {
        const auto w = toString(meeting::ControlAction(a));
        words << QString::fromLatin1(w.data(), qsizetype(w.size()));
    }
    for (const auto& rule : meeting::chairCommandRules())
        if (rule.name != "co-chair") // a command's name, and plain English too
            words << QString::fromLatin1(rule.name.data(), qsizetype(rule.name.size()));
    for (const auto& info : meeting::kEventKinds)
        words << QString::fromLatin1(info.name.data(), qsizetype(info.name.size()));
    words << QStringLiteral("invite_invalid") << QStringLiteral("uninvited");
    QStringList out;
    for (const QString& w : words)
        if (w.contains(QLatin1Char('-')) || w.contains(QLatin1Char('_')))
            out << w;
    return out;
}

/// Why `line` is not fit to show, or empty when it is.
QString flaw(const QString& line)
{
    if (line.trimmed().isEmpty())
        return QStringLiteral("empty");
    if (line.front().isSpace() || line.front() == QLatin1Char('\''))
        return QStringLiteral("starts with an empty name slot");
    if (line.contains(QRegularExpression(QStringLiteral("%\\d"))))
        return QStringLiteral("has an unfilled %n");
    if (line.contains(QStringLiteral("  ")) || line.contains(QStringLiteral("()")) ||
        line.contains(QStringLiteral(" .")) || line.contains(QStringLiteral(" ,")) ||
        line.contains(QStringLiteral(": .")) || line.endsWith(QLatin1Char(' ')) ||
        line.endsWith(QLatin1Char(':')) || line.endsWith(QLatin1Char('-')))
        return QStringLiteral("has an empty slot");
    for (const QString& word : protocolWords())
        if (line.contains(word))
            return QStringLiteral("shows the protocol word '%1'").arg(word);
    return {};
}

} // namespace

class TestEventText : public QObject {
    Q_OBJECT

private slots:
    void everyKindHasItsSample()
    {
        for (std::size_t i = 0; i < meeting::kEventKindCount; ++i) {
            QCOMPARE(sample(EventKind(i)).kind(), EventKind(i));
            QCOMPARE(blank(EventKind(i)).kind(), EventKind(i));
        }
    }

    void everyShownKindReadsAsASentence()
    {
        int shown = 0;
        for (std::size_t i = 0; i < meeting::kEventKindCount; ++i) {
            const auto kind = EventKind(i);
            const QString name = meeting::kindName(kind);
            if (!ui::shownAsActivity(kind)) {
                QVERIFY2(ui::describeEvent(sample(kind)).isEmpty(), qPrintable(name));
                continue;
            }
            ++shown;
            for (const MeetingEvent& e : {sample(kind), blank(kind)}) {
                const QString line = ui::describeEvent(e);
                const QString why = flaw(line);
                QVERIFY2(why.isEmpty(),
                         qPrintable(QStringLiteral("%1: \"%2\" %3").arg(name, line, why)));
            }
        }
        QVERIFY(shown > int(meeting::kEventKindCount) / 2); // the hidden list stays short
    }

    void aPersonIsNamedInTheLine()
    {
        for (std::size_t i = 0; i < meeting::kEventKindCount; ++i) {
            const MeetingEvent e = sample(EventKind(i));
            const QJsonObject fields = e.fields();
            if (!ui::shownAsActivity(e.kind()) || !fields.contains(QStringLiteral("name")))
                continue;
            QVERIFY2(ui::describeEvent(e).contains(kName), qPrintable(e.kindName()));
        }
    }

    void everyControlIsToldInWords()
    {
        QSet<QString> lines;
        for (int a = 0; a <= int(meeting::ControlAction::ToLobby); ++a) {
            const MeetingEvent e = ev::Control{meeting::ControlAction(a)};
            const QString line = ui::describeEvent(e);
            QVERIFY2(flaw(line).isEmpty(), qPrintable(line + QStringLiteral(": ") + flaw(line)));
            lines.insert(line);
        }
        QCOMPARE(lines.size(), int(meeting::ControlAction::ToLobby) + 1); // one sentence each
        QCOMPARE(ui::describeEvent(ev::Control{meeting::ControlAction::MuteAll}),
                 QStringLiteral("The chair muted everyone. Only you can unmute yourself."));
    }

    void ownFateIsToldToYou()
    {
        QVERIFY(ui::describeEvent(ev::Removed{kName, kFp, QStringLiteral("disruption"), true})
                    .startsWith(QStringLiteral("You were removed")));
        QVERIFY(ui::describeEvent(ev::Removed{kName, kFp, QStringLiteral("disruption"), false})
                    .startsWith(kName));
    }
};

QTEST_MAIN(TestEventText)
#include "tst_eventtext.moc"
