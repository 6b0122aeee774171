// SPDX-License-Identifier: GPL-3.0-or-later
// Roster entries and rosters: validation, encoding, the roster hash, and signed ephemeral-key
// announcements.
#include "KeyScheduleTestKit.h"
#include "crypto/EphemeralAnnouncement.h"
#include "crypto/Roster.h"
#include "crypto/ScheduleWire.h"

#include <QtTest>

using namespace conclave::crypto;
using namespace conclave::crypto::testkit;

namespace {

RosterEntry entry(uint32_t index, uint8_t seed, MemberRole role = MemberRole::Participant,
                  std::string name = "Member")
{
    return {index, role, identityFromSeed(seed).publicKey(), ephemeralFromSecret(seed).publicKey(),
            std::move(name)};
}

std::string codeOf(const conclave::Result<Roster>& r)
{
    return r ? std::string("ok") : r.error().code;
}

} // namespace

class TestRoster : public QObject {
    Q_OBJECT

private slots:
    void entryEncodingIsExact()
    {
        const RosterEntry e = entry(0x01020304, 9, MemberRole::Observer, "Zoë");
        Bytes out;
        e.encode(out);
        QCOMPARE(out.size(), RosterEntry::kFixedSize + 4); // "Zoë" is 4 bytes of UTF-8
        QCOMPARE(toHex(ByteView(out).first(5)), std::string("0102030403"));
        QCOMPARE(toHex(ByteView(out).subspan(5, 32)), toHex(e.identity.view()));
        QCOMPARE(toHex(ByteView(out).subspan(37, 32)), toHex(e.ephemeral.view()));
        QCOMPARE(out[69], uint8_t(4));
        schedule_wire::Reader reader(out);
        auto back = RosterEntry::decode(reader);
        QVERIFY(back.ok());
        QVERIFY(*back == e);
        QVERIFY(reader.atEnd());
    }

    void entryDecodingRefusesTruncationAndBadFields()
    {
        Bytes out;
        entry(3, 4, MemberRole::CoChair, "Bob").encode(out);
        for (size_t n = 0; n < out.size(); ++n) {
            schedule_wire::Reader reader(ByteView(out).first(n));
            QCOMPARE(RosterEntry::decode(reader).error().code, std::string("roster.truncated"));
        }
        Bytes badRole = out;
        badRole[4] = 4;
        schedule_wire::Reader r1(badRole);
        QCOMPARE(RosterEntry::decode(r1).error().code, std::string("roster.bad_role"));
        Bytes longName = out;
        longName[69] = 129;
        longName.resize(70 + 129, 'a');
        schedule_wire::Reader r2(longName);
        QCOMPARE(RosterEntry::decode(r2).error().code, std::string("roster.bad_name"));
    }

    void names_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("empty") << QByteArray() << true;
        QTest::newRow("ascii") << QByteArray("Alice Brown") << true;
        QTest::newRow("accents and cjk") << QByteArray("Zoë 山田") << true;
        QTest::newRow("emoji (4 bytes)") << QByteArray("\xf0\x9f\x98\x80") << true;
        QTest::newRow("128 bytes") << QByteArray(128, 'a') << true;
        QTest::newRow("129 bytes") << QByteArray(129, 'a') << false;
        QTest::newRow("newline") << QByteArray("Alice\nChair") << false;
        QTest::newRow("nul") << QByteArray("A\0B", 3) << false;
        QTest::newRow("del") << QByteArray("A\x7f") << false;
        QTest::newRow("c1 control") << QByteArray("A\xc2\x85") << false;
        QTest::newRow("rtl override") << QByteArray("A\xe2\x80\xae") << false;
        QTest::newRow("rtl isolate") << QByteArray("A\xe2\x81\xa7") << false;
        QTest::newRow("overlong slash") << QByteArray("\xc0\xaf") << false;
        QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80") << false;
        QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << false;
        QTest::newRow("lone continuation") << QByteArray("\x80") << false;
        QTest::newRow("cut sequence") << QByteArray("\xe5\xb1") << false;
    }

    void names()
    {
        QFETCH(QByteArray, name);
        QFETCH(bool, accepted);
        RosterEntry e = entry(1, 2);
        e.name.assign(name.constData(), size_t(name.size()));
        QCOMPARE(e.validate().ok(), accepted);
        QCOMPARE(Roster::create({e}).ok(), accepted);
        if (!accepted)
            QCOMPARE(e.validate().error().code, std::string("roster.bad_name"));
    }

    void rosterValidation()
    {
        QCOMPARE(codeOf(Roster::create({})), std::string("roster.empty"));
        QCOMPARE(codeOf(Roster::create({entry(0, 1, MemberRole::Chair), entry(1, 2)})),
                 std::string("ok"));
        QCOMPARE(codeOf(Roster::create({entry(1, 1), entry(0, 2)})),
                 std::string("roster.unordered"));
        QCOMPARE(codeOf(Roster::create({entry(1, 1), entry(1, 2)})),
                 std::string("roster.duplicate_index"));
        RosterEntry sameIdentity = entry(2, 3);
        sameIdentity.identity = identityFromSeed(1).publicKey();
        QCOMPARE(codeOf(Roster::create({entry(1, 1), sameIdentity})),
                 std::string("roster.duplicate_identity"));
        RosterEntry sameEphemeral = entry(2, 3);
        sameEphemeral.ephemeral = ephemeralFromSecret(1).publicKey();
        QCOMPARE(codeOf(Roster::create({entry(1, 1), sameEphemeral})),
                 std::string("roster.duplicate_ephemeral"));
        QCOMPARE(codeOf(Roster::create(
                     {entry(0, 1, MemberRole::Chair), entry(1, 2, MemberRole::Chair)})),
                 std::string("roster.two_chairs"));
        QCOMPARE(codeOf(Roster::create({entry(65535, 1)})), std::string("ok"));
        QCOMPARE(codeOf(Roster::create({entry(65536, 1)})), std::string("roster.index_range"));
        RosterEntry badRole = entry(1, 1);
        badRole.role = static_cast<MemberRole>(7);
        QCOMPARE(codeOf(Roster::create({badRole})), std::string("roster.bad_role"));
    }

    void rosterSizeLimit()
    {
        std::vector<RosterEntry> many;
        for (uint32_t i = 0; i <= Roster::kMaxMembers; ++i) {
            RosterEntry e;
            e.index = i;
            // Distinct keys without 10,001 key generations: the roster only compares bytes.
            e.identity.bytes[0] = uint8_t(i);
            e.identity.bytes[1] = uint8_t(i >> 8);
            e.ephemeral = X25519PublicKey{e.identity.bytes};
            many.push_back(e);
        }
        QCOMPARE(codeOf(Roster::create(many)), std::string("roster.too_large"));
        many.pop_back();
        auto ok = Roster::create(many);
        QVERIFY(ok.ok());
        QCOMPARE(ok->size(), Roster::kMaxMembers);
        QCOMPARE(ok->find(9999)->index, 9999u);
    }

    void lookupAndWithout()
    {
        auto roster = Roster::create({entry(0, 1, MemberRole::Chair), entry(3, 2), entry(9, 3)});
        QVERIFY(roster.ok());
        QVERIFY(roster->find(3) && roster->find(3)->identity == identityFromSeed(2).publicKey());
        QVERIFY(!roster->find(4));
        QVERIFY(!roster->find(10));
        QCOMPARE(roster->findIdentity(identityFromSeed(3).publicKey())->index, 9u);
        QVERIFY(!roster->findIdentity(identityFromSeed(4).publicKey()));
        const std::vector<uint32_t> drop = {3, 42};
        auto smaller = roster->without(drop);
        QVERIFY(smaller.ok());
        QCOMPARE(smaller->size(), size_t(2));
        QVERIFY(!smaller->find(3));
        Bytes expected;
        entry(0, 1, MemberRole::Chair).encode(expected);
        entry(9, 3).encode(expected);
        QCOMPARE(toHex(smaller->encodedEntries()), toHex(expected));
    }

    void hashCoversEverything()
    {
        const MeetingId meeting = MeetingId::random();
        auto base = Roster::create({entry(0, 1, MemberRole::Chair), entry(1, 2)});
        const RosterHash h = base->hash(meeting, 3);
        QVERIFY(h == base->hash(meeting, 3));
        QVERIFY(h != base->hash(meeting, 4));
        QVERIFY(h != base->hash(MeetingId::random(), 3));
        auto renamed = Roster::create(
            {entry(0, 1, MemberRole::Chair), entry(1, 2, MemberRole::Participant, "Other")});
        QVERIFY(h != renamed->hash(meeting, 3));
        auto observer =
            Roster::create({entry(0, 1, MemberRole::Chair), entry(1, 2, MemberRole::Observer)});
        QVERIFY(h != observer->hash(meeting, 3));
        auto ghost = Roster::create({entry(0, 1, MemberRole::Chair), entry(1, 2), entry(2, 3)});
        QVERIFY(h != ghost->hash(meeting, 3));
        auto reindexed = Roster::create({entry(0, 1, MemberRole::Chair), entry(2, 2)});
        QVERIFY(h != reindexed->hash(meeting, 3));
    }

    void announcements()
    {
        const MeetingId meeting = MeetingId::random();
        const auto identity = Ed25519SigningKey::generate();
        const auto ephemeral = EphemeralKeyPair::generate();
        auto a = EphemeralAnnouncement::create(identity, meeting, ephemeral.publicKey());
        QVERIFY(a.verify(meeting).ok());
        QCOMPARE(a.verify(MeetingId::random()).error().code, std::string("keys.wrong_meeting"));

        const Bytes message = EphemeralAnnouncement::signedMessage(meeting, ephemeral.publicKey());
        QCOMPARE(message.size(), size_t(21 + 16 + 32));
        QCOMPARE(std::string(message.begin(), message.begin() + 21),
                 std::string("conclave ephemeral v1"));
        QVERIFY(verifyEd25519(identity.publicKey(), message, a.signature));

        auto swappedKey = a;
        swappedKey.ephemeral = EphemeralKeyPair::generate().publicKey();
        QCOMPARE(swappedKey.verify(meeting).error().code, std::string("keys.bad_announcement"));
        auto otherIdentity = a;
        otherIdentity.identity = Ed25519SigningKey::generate().publicKey();
        QCOMPARE(otherIdentity.verify(meeting).error().code, std::string("keys.bad_announcement"));
        auto movedMeeting = a;
        movedMeeting.meetingId = MeetingId::random();
        QCOMPARE(movedMeeting.verify(movedMeeting.meetingId).error().code,
                 std::string("keys.bad_announcement"));
    }

    void ephemeralKeys()
    {
        const auto a = EphemeralKeyPair::generate();
        const auto b = EphemeralKeyPair::generate();
        QVERIFY(!(a.publicKey() == b.publicKey()));
        QCOMPARE(a.secret().size(), size_t(32));
        auto again = EphemeralKeyPair::fromSecret(a.secret().view());
        QVERIFY(again.ok() && again->publicKey() == a.publicKey());
        QCOMPARE(EphemeralKeyPair::fromSecret(Bytes(31, 1)).error().code,
                 std::string("keys.bad_ephemeral_key"));
        QCOMPARE(X25519PublicKey::fromBytes(Bytes(33)).error().code,
                 std::string("keys.bad_ephemeral_key"));
        QCOMPARE(MeetingId::fromBytes(Bytes(15)).error().code, std::string("keys.bad_meeting_id"));
        QVERIFY(!(MeetingId::random() == MeetingId::random()));
    }
};

QTEST_GUILESS_MAIN(TestRoster)
#include "tst_roster.moc"
