// SPDX-License-Identifier: GPL-3.0-or-later
// HubState says when a meeting's SFU room changes hands (docs/scaling.md "Room placement"):
// a room at create, a token for each member that is in, none for anyone who is out - by
// removal, return to the waiting room, leaving or a dropped connection - and the room gone at
// the end. JanusRooms carries the changes out; here only the decisions are checked.
#include "HubHarness.h"
#include "TestMeeting.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using namespace conclave::hubtest;
using Kind = MediaRoomChange::Kind;

namespace {

/// The changes since the last call, as "kind:who" with who = a/b/chair/"".
QStringList drain(HubHarness& h, const std::map<QByteArray, QString>& names)
{
    QStringList out;
    for (const MediaRoomChange& c : h.mediaRooms) {
        const char* kind = c.kind == Kind::Open    ? "open"
                           : c.kind == Kind::Join  ? "join"
                           : c.kind == Kind::Leave ? "leave"
                                                   : "close";
        const auto name = names.find(c.identity);
        out << QStringLiteral("%1:%2").arg(QLatin1String(kind),
                                           name == names.end() ? QString() : name->second);
    }
    h.mediaRooms.clear();
    return out;
}

} // namespace

class TestHubMediaRooms : public QObject {
    Q_OBJECT

private slots:
    void everyWayInAndOutChangesTheRoom()
    {
        HubHarness h;
        TestMeeting m(QStringLiteral("test-pin"));
        TestPerson a;
        TestPerson b;
        TestPerson c;
        const std::map<QByteArray, QString> names{{m.chair.id(), QStringLiteral("chair")},
                                                  {a.id(), QStringLiteral("a")},
                                                  {b.id(), QStringLiteral("b")},
                                                  {c.id(), QStringLiteral("c")}};
        const ConnectionId chair = h.startMeeting(m);
        QCOMPARE(drain(h, names), QStringList({"open:", "join:chair"}));
        QCOMPARE(h.mediaRooms.size(), size_t(0));

        const ConnectionId ac = h.admitMember(m, chair, a);
        const ConnectionId bc = h.admitMember(m, chair, b);
        const ConnectionId cc = h.admitMember(m, chair, c, QStringLiteral("192.0.2.21"));
        QCOMPARE(drain(h, names), QStringList({"join:a", "join:b", "join:c"}));

        h.send(chair, m.remove(a));
        QCOMPARE(drain(h, names), QStringList({"leave:a"}));
        QVERIFY(h.isClosed(ac));

        h.send(chair, m.toLobby(b));
        QCOMPARE(drain(h, names), QStringList({"leave:b"}));
        QVERIFY(!h.isClosed(bc)); // waiting, with no token

        h.disconnect(cc);
        QCOMPARE(drain(h, names), QStringList({"leave:c"}));

        h.send(chair, m.control(meeting::ControlAction::End));
        QCOMPARE(drain(h, names), QStringList({"close:"}));
    }

    // The Join carries the member's own connection: the token goes to that member only.
    void aTokenGoesToTheAdmittedConnectionOnly()
    {
        HubHarness h;
        TestMeeting m(QStringLiteral("test-pin"));
        TestPerson a;
        const ConnectionId chair = h.startMeeting(m);
        QCOMPARE(h.mediaRooms.back().connection, chair);
        const ConnectionId ac = h.admitMember(m, chair, a);
        QCOMPARE(h.mediaRooms.back().kind, Kind::Join);
        QCOMPARE(h.mediaRooms.back().connection, ac);
        QCOMPARE(h.mediaRooms.back().identity, a.id());
        QCOMPARE(h.mediaRooms.back().meetingId, m.id);
    }

    // A signed leave, and the last member going (when its place is given up), end in leave
    // then close.
    void leavingAndTheEmptyMeeting()
    {
        HubHarness h;
        TestMeeting m(QStringLiteral("test-pin"));
        TestPerson a;
        const std::map<QByteArray, QString> names{{m.chair.id(), QStringLiteral("chair")},
                                                  {a.id(), QStringLiteral("a")}};
        const ConnectionId chair = h.startMeeting(m);
        const ConnectionId ac = h.admitMember(m, chair, a);
        drain(h, names);
        h.send(ac, m.leave(a));
        QCOMPARE(drain(h, names), QStringList({"leave:a"}));
        h.disconnect(chair); // away: out of the media room at once, its place kept a while
        QCOMPARE(drain(h, names), QStringList({"leave:chair"}));
        h.advance(h.hub.limits().resumeGrace);
        QCOMPARE(drain(h, names), QStringList({"leave:chair", "close:"}));
    }

    // Knockers who never get in, and those denied, never get a token.
    void knockersAndDenialsGetNothing()
    {
        HubHarness h;
        TestMeeting m(QStringLiteral("test-pin"));
        TestPerson a;
        const ConnectionId chair = h.startMeeting(m);
        h.mediaRooms.clear();
        ConnectionId ac = 0;
        QCOMPARE(h.knockCode(m.knock(a, m.invite(&a)), QStringLiteral("192.0.2.40"), &ac),
                 QString());
        h.send(chair, m.deny(a));
        QVERIFY(h.mediaRooms.empty());
    }
};

QTEST_GUILESS_MAIN(TestHubMediaRooms)
#include "tst_hubmediarooms.moc"
