// SPDX-License-Identifier: GPL-3.0-or-later
// The hub reads the chair's controls as every client does (meeting::RoomState): what it
// enforces - lock, suspend, chat off - is what the chair and the members hold.
#include "HubHarness.h"
#include "TestMeeting.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using namespace conclave::hubtest;
using meeting::ControlAction;

class TestHubRoomRules : public QObject {
    Q_OBJECT

private slots:
    // A suspension turns chat off, and resuming does not turn it back on: the chair and the
    // members hold chat off until the chair allows it again, so the hub no longer carries a
    // modified client's chat in between (it used to remember chat as it was before).
    void chatStaysOffAfterASuspensionEnds()
    {
        HubHarness h;
        meeting::MeetingOptions options;
        options.chat = true;
        TestMeeting m(QStringLiteral("test-pin"), options);
        const ConnectionId chair = h.startMeeting(m);
        TestPerson a;
        const ConnectionId ac = h.admitMember(m, chair, a);
        h.send(ac, m.chat(a));
        QCOMPARE(h.take(chair).envelopes.size(), 1);

        h.send(chair, m.control(ControlAction::Suspend));
        h.send(chair, m.control(ControlAction::Resume));
        h.take(ac);
        const HubMeeting* meeting = h.hub.meeting(m.id);
        QVERIFY(!meeting->isSuspended());
        QVERIFY(meeting->isLocked()); // resume does not unlock
        QVERIFY(!meeting->chatEnabled());
        h.send(ac, m.chat(a));
        QCOMPARE(h.take(ac).errorCode(), QStringLiteral("meeting.chat_disabled"));
        QVERIFY(h.take(chair).envelopes.isEmpty());

        h.send(chair, m.control(ControlAction::AllowChat));
        h.take(ac);
        h.send(ac, m.chat(a));
        QCOMPARE(h.take(chair).envelopes.size(), 1);
    }

    // A revision whose options turn chat off (a raised marking's rules) turns it off at the
    // hub too, as members apply it when it arrives.
    void aRevisionWithoutChatTurnsChatOff()
    {
        HubHarness h;
        meeting::MeetingOptions options;
        options.chat = true;
        TestMeeting m(QStringLiteral("test-pin"), options);
        const ConnectionId chair = h.startMeeting(m);
        TestPerson a;
        const ConnectionId ac = h.admitMember(m, chair, a);
        m.descriptor.revision = 2;
        m.descriptor.options.chat = false;
        h.send(chair, m.chair.envelope(protocol::MessageType::Descriptor, m.id,
                                       meeting::BlobBody{m.signedDescriptor()}.encode()));
        QCOMPARE(h.take(chair).errorCode(), QString());
        h.take(ac);
        h.send(ac, m.chat(a));
        QCOMPARE(h.take(ac).errorCode(), QStringLiteral("meeting.chat_disabled"));
    }

    void theChairsShareGrantsFollowItsControls()
    {
        HubHarness h;
        TestMeeting m;
        const ConnectionId chair = h.startMeeting(m);
        TestPerson a;
        const ConnectionId ac = h.admitMember(m, chair, a);
        h.send(chair,
               m.chair.envelope(
                   protocol::MessageType::Control, m.id,
                   meeting::ControlBody{ControlAction::AllowShare, a.key().publicKey()}.encode()));
        h.take(ac);
        QVERIFY(h.hub.meeting(m.id)->room().mayShare(a.id()));
        h.send(chair, m.toLobby(a)); // leaving the room ends the grant, as at the chair
        QVERIFY(!h.hub.meeting(m.id)->room().mayShare(a.id()));
    }
};

QTEST_APPLESS_MAIN(TestHubRoomRules)
#include "tst_hubroomrules.moc"
