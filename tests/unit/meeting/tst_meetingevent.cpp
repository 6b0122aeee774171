// SPDX-License-Identifier: GPL-3.0-or-later
// The event catalogue (meeting/MeetingEvent.h): the JSON each kind prints, the one table of
// names and audit flags, and that docs/cli.md names every kind.
#include "TestPaths.h"
#include "meeting/MeetingEvent.h"

#include <QFile>
#include <QJsonDocument>
#include <QSet>
#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;

namespace {

QByteArray compact(const MeetingEvent& e)
{
    return QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact);
}

} // namespace

class TestMeetingEvent : public QObject {
    Q_OBJECT

private slots:
    void printsTheDocumentedJson()
    {
        // The lines conclave-cli printed before the catalogue was typed, byte for byte.
        QCOMPARE(compact(ev::Knock{"Alice", "alice", "1 2 3", "1f2e", "ab", InviteMatch::Invited,
                                   "", QStringLiteral("new"), true}),
                 QByteArray(R"({"contact":"new","event":"knock","fingerprint":"1 2 3",)"
                            R"("identity":"ab","invite":"invited","invite_problem":"",)"
                            R"("key_id":"1f2e","key_verified":true,"name":"Alice",)"
                            R"("typed_name":"alice"})"));
        QCOMPARE(compact(ev::Admitted{"Alice", "1 2 3", 2}),
                 QByteArray(R"({"event":"admitted","fingerprint":"1 2 3","index":2,)"
                            R"("name":"Alice"})"));
        QCOMPARE(compact(ev::Locked{}), QByteArray(R"({"event":"locked"})"));
        QCOMPARE(compact(ev::Control{ControlAction::AllowShare}),
                 QByteArray(R"({"action":"allow-share","event":"control"})"));
        QCOMPARE(compact(ev::Warning{"chat.dropped", "dropped"}),
                 QByteArray(R"({"code":"chat.dropped","event":"warning","reason":"dropped"})"));
        // Optional fields are left out, not printed empty.
        QCOMPARE(compact(ev::CoChairRequest{"Bob", "4 5 6", ChairAction::Lock, false, std::nullopt,
                                            true, std::nullopt, std::nullopt}),
                 QByteArray(R"({"action":"unlock","event":"co_chair_request",)"
                            R"("fingerprint":"4 5 6","from":"Bob","result":"done"})"));
        // The fixed drift: a chair's control on a member names them.
        QCOMPARE(compact(chairControlEvent(ControlAction::Mute, "Bob", "4 5 6")),
                 QByteArray(R"({"event":"muted","fingerprint":"4 5 6","name":"Bob"})"));
    }

    void auditIsAPropertyOfTheKind()
    {
        QVERIFY(MeetingEvent(ev::Muted{"Bob", "4 5 6"}).audited());
        QVERIFY(MeetingEvent(ev::Warning{"chat.dropped", "x"}).audited());
        QVERIFY(MeetingEvent(ev::Sharing{}).audited());
        QVERIFY(!MeetingEvent(ev::AudioOff{}).audited());
        QVERIFY(!MeetingEvent(ev::Chat{}).audited());
        QVERIFY(!MeetingEvent(ev::Roster{}).audited());
        // The audit detail is the printed line without "event".
        const MeetingEvent e = ev::Denied{"Eve", "7 8 9", "not invited", false};
        QJsonObject line = e.toJson();
        line.remove(QStringLiteral("event"));
        QCOMPARE(e.fields(), line);
    }

    void namesAreUniqueAndDocumented()
    {
        QFile doc(testsupport::testDataDir() + QStringLiteral("/../../docs/cli.md"));
        QVERIFY2(doc.open(QIODevice::ReadOnly), qPrintable(doc.fileName()));
        const QString text = QString::fromUtf8(doc.readAll());
        QSet<QString> names;
        for (std::size_t i = 0; i < kEventKindCount; ++i) {
            const QString name = kindName(EventKind(i));
            QVERIFY2(!names.contains(name), qPrintable(name));
            names.insert(name);
            QVERIFY2(text.contains(QLatin1Char('`') + name + QLatin1Char('`')),
                     qPrintable(name + QStringLiteral(" is not in docs/cli.md")));
        }
    }
};

QTEST_GUILESS_MAIN(TestMeetingEvent)
#include "tst_meetingevent.moc"
