// SPDX-License-Identifier: GPL-3.0-or-later
// What each control means for the room (meeting::RoomState), the one reading the chair, the
// participants and the hub share; and who gets a screen key.
#include "crypto/EphemeralKeyPair.h"
#include "meeting/RoomState.h"
#include "meeting/SessionSupport.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;
using meeting::support::keyBytes;

namespace {

struct Person {
    crypto::Ed25519SigningKey key = crypto::Ed25519SigningKey::generate();
    crypto::Ed25519PublicKey pub() const { return key.publicKey(); }
    QByteArray id() const { return keyBytes(key.publicKey()); }
};

ControlBody control(ControlAction action, const Person* target = nullptr)
{
    return ControlBody{action, target ? std::optional(target->pub()) : std::nullopt};
}

crypto::RosterEntry entry(uint32_t index, crypto::MemberRole role, const Person& who)
{
    crypto::RosterEntry e;
    e.index = index;
    e.role = role;
    e.identity = who.pub();
    e.ephemeral = crypto::EphemeralKeyPair::generate().publicKey();
    e.name = "member " + std::to_string(index);
    return e;
}

constexpr ControlAction kAllActions[] = {
    ControlAction::Lock,        ControlAction::Unlock,    ControlAction::MuteAll,
    ControlAction::Mute,        ControlAction::StopVideo, ControlAction::AllowShare,
    ControlAction::RevokeShare, ControlAction::AllowChat, ControlAction::DisableChat,
    ControlAction::Suspend,     ControlAction::Resume,    ControlAction::End,
    ControlAction::ToLobby,
};

} // namespace

class TestRoomState : public QObject {
    Q_OBJECT

private slots:
    void aNewRoomIsOpenWithChatAsTheDescriptorSays()
    {
        QVERIFY(!RoomState().chat());
        const RoomState room(true);
        QVERIFY(room.chat());
        QVERIFY(!room.locked());
        QVERIFY(!room.suspended());
        QVERIFY(!room.ended());
        QVERIFY(room.shareGrants().empty());
    }

    void lockAndUnlock()
    {
        RoomState room;
        QVERIFY(room.apply(control(ControlAction::Lock)));
        QVERIFY(room.locked());
        QVERIFY(!room.apply(control(ControlAction::Lock))); // a repeat changes nothing
        QVERIFY(room.apply(control(ControlAction::Unlock)));
        QVERIFY(!room.locked());
    }

    void chatOnAndOff()
    {
        RoomState room;
        QVERIFY(room.apply(control(ControlAction::AllowChat)));
        QVERIFY(room.chat());
        QVERIFY(!room.apply(control(ControlAction::AllowChat))); // the chair's repeat
        QVERIFY(room.apply(control(ControlAction::DisableChat)));
        QVERIFY(!room.chat());
    }

    void suspendLocksStopsChatSharesAndEveryonesMedia()
    {
        Person alice, bob, chair;
        RoomState room(true);
        room.apply(control(ControlAction::AllowShare, &alice));
        room.apply(control(ControlAction::AllowShare, &bob));
        OwnMedia alicesMedia{false, false, true};
        OwnMedia chairsMedia{false, false, true};
        RoomState chairsRoom = room;
        QVERIFY(room.apply(control(ControlAction::Suspend), alice.id(), false, alicesMedia));
        QVERIFY(room.suspended());
        QVERIFY(room.locked());
        QVERIFY(!room.chat());
        QVERIFY(room.shareGrants().empty());
        QCOMPARE(alicesMedia, (OwnMedia{true, true, false}));
        // The chair's own media stops too.
        chairsRoom.apply(control(ControlAction::Suspend), chair.id(), true, chairsMedia);
        QCOMPARE(chairsMedia, (OwnMedia{true, true, false}));
        QCOMPARE(chairsRoom, room);
    }

    void resumeEndsTheSuspensionOnly()
    {
        Person alice;
        RoomState room(true);
        room.apply(control(ControlAction::AllowShare, &alice));
        OwnMedia media;
        room.apply(control(ControlAction::Suspend), alice.id(), false, media);
        QVERIFY(room.apply(control(ControlAction::Resume), alice.id(), false, media));
        QVERIFY(!room.suspended());
        // Fail closed: still locked, chat off, no share grants, nobody unmuted.
        QVERIFY(room.locked());
        QVERIFY(!room.chat());
        QVERIFY(!room.mayShare(alice.id()));
        QCOMPARE(media, (OwnMedia{true, true, false}));
    }

    void shareGrantsAreByTarget()
    {
        Person alice, bob;
        RoomState room;
        OwnMedia alicesMedia{false, false, true};
        QVERIFY(
            room.apply(control(ControlAction::AllowShare, &alice), alice.id(), false, alicesMedia));
        QVERIFY(room.mayShare(alice.id()));
        QVERIFY(!room.mayShare(bob.id()));
        // Revoking someone else's grant leaves alice sharing.
        room.apply(control(ControlAction::AllowShare, &bob));
        room.apply(control(ControlAction::RevokeShare, &bob), alice.id(), false, alicesMedia);
        QVERIFY(!room.mayShare(bob.id()));
        QVERIFY(alicesMedia.sharing);
        // Revoking hers stops her share at once.
        QVERIFY(room.apply(control(ControlAction::RevokeShare, &alice), alice.id(), false,
                           alicesMedia));
        QVERIFY(!room.mayShare(alice.id()));
        QVERIFY(!alicesMedia.sharing);
        // Without a target nothing changes: "everyone may share" is the descriptor's to say.
        QVERIFY(!room.apply(control(ControlAction::AllowShare)));
        QVERIFY(room.shareGrants().empty());
    }

    void aRevokeWithoutAGrantDoesNotStopAShareByAll()
    {
        Person alice;
        RoomState room;
        OwnMedia media{false, false, true}; // sharing because the descriptor lets everyone
        QVERIFY(!room.apply(control(ControlAction::RevokeShare, &alice), alice.id(), false, media));
        QVERIFY(media.sharing);
    }

    void muteAndStopVideoReachTheirTargetOnly()
    {
        Person alice, bob;
        RoomState room;
        OwnMedia media;
        room.apply(control(ControlAction::Mute, &bob), alice.id(), false, media);
        room.apply(control(ControlAction::StopVideo, &bob), alice.id(), false, media);
        QCOMPARE(media, OwnMedia{});
        QVERIFY(room.apply(control(ControlAction::Mute, &alice), alice.id(), false, media));
        QVERIFY(media.muted);
        QVERIFY(room.apply(control(ControlAction::StopVideo, &alice), alice.id(), false, media));
        QVERIFY(media.videoOff);
        QCOMPARE(room, RoomState()); // nothing in the room itself
    }

    void muteAllMutesTheMembersNotTheChair()
    {
        Person alice, chair;
        RoomState room;
        OwnMedia members, chairs;
        room.apply(control(ControlAction::MuteAll), alice.id(), false, members);
        room.apply(control(ControlAction::MuteAll), chair.id(), true, chairs);
        QVERIFY(members.muted);
        QVERIFY(!chairs.muted);
        // Only suspend touches the chair's own media: its mute or stop-video is for others.
        room.apply(control(ControlAction::Mute), chair.id(), true, chairs);
        room.apply(control(ControlAction::StopVideo), chair.id(), true, chairs);
        QCOMPARE(chairs, OwnMedia{});
    }

    void toLobbyEndsTheTargetsShareGrant()
    {
        Person alice, bob;
        RoomState room;
        room.apply(control(ControlAction::AllowShare, &alice));
        room.apply(control(ControlAction::AllowShare, &bob));
        QVERIFY(room.apply(control(ControlAction::ToLobby, &alice)));
        QVERIFY(!room.mayShare(alice.id()));
        QVERIFY(room.mayShare(bob.id()));
        room.leaves(bob.id()); // removed
        QVERIFY(room.shareGrants().empty());
    }

    void endEndsTheMeeting()
    {
        RoomState room;
        QVERIFY(room.apply(control(ControlAction::End)));
        QVERIFY(room.ended());
    }

    void aRevisionKeepsChatOnlyWhereItsOptionsAllow()
    {
        MeetingOptions noChat;
        noChat.chat = false;
        MeetingOptions chat;
        chat.chat = true;
        RoomState room(true);
        room.takeRevision(chat);
        QVERIFY(room.chat());
        room.takeRevision(noChat);
        QVERIFY(!room.chat());
        room.takeRevision(chat); // a revision never switches chat on; the chair does
        QVERIFY(!room.chat());
    }

    // The hub reads the room without anyone's media; it must come to the same room as the
    // sessions do for every control.
    void theRoomIsTheSameWithOrWithoutOwnMedia()
    {
        Person alice, bob;
        for (ControlAction action : kAllActions) {
            RoomState hubs(true), members(true), chairs(true);
            for (RoomState* r : {&hubs, &members, &chairs})
                r->apply(control(ControlAction::AllowShare, &bob));
            OwnMedia a, c;
            const ControlBody body = control(action, &bob);
            hubs.apply(body);
            members.apply(body, alice.id(), false, a);
            chairs.apply(body, alice.id(), true, c);
            QCOMPARE(members, hubs);
            QCOMPARE(chairs, hubs);
        }
    }

    void shareGrantsAreBounded()
    {
        RoomState room;
        for (size_t i = 0; i < RoomState::kMaxSharers + 5; ++i)
            room.apply(control(ControlAction::AllowShare, std::make_unique<Person>().get()));
        QCOMPARE(room.shareGrants().size(), RoomState::kMaxSharers);
    }

    void screenKeysGoToTheChairAndThoseAllowed()
    {
        Person chair, granted, other, observer;
        auto roster = crypto::Roster::create({entry(0, crypto::MemberRole::Chair, chair),
                                              entry(1, crypto::MemberRole::Participant, granted),
                                              entry(2, crypto::MemberRole::Participant, other),
                                              entry(3, crypto::MemberRole::Observer, observer)});
        QVERIFY(roster);
        RoomState room;
        room.apply(control(ControlAction::AllowShare, &granted));
        room.apply(control(ControlAction::AllowShare, &observer)); // an observer only receives
        QCOMPARE(room.screenSharers(*roster, false), (std::set<uint32_t>{0, 1}));
        QCOMPARE(room.screenSharers(*roster, true), (std::set<uint32_t>{0, 1, 2}));
        OwnMedia media;
        room.apply(control(ControlAction::Suspend), chair.id(), true, media);
        QCOMPARE(room.screenSharers(*roster, true), std::set<uint32_t>{0});
        room.apply(control(ControlAction::Resume), chair.id(), true, media);
        QCOMPARE(room.screenSharers(*roster, true), (std::set<uint32_t>{0, 1, 2}));
        QCOMPARE(room.screenSharers(*roster, false), std::set<uint32_t>{0}); // grants withdrawn
    }
};

QTEST_APPLESS_MAIN(TestRoomState)
#include "tst_roomstate.moc"
