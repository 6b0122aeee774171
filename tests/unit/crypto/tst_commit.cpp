// SPDX-License-Identifier: GPL-3.0-or-later
// COMMIT encoding: the exact layout of docs/e2ee.md §3, strict decoding (truncation, trailing
// bytes, bounds, inconsistent fields) and exact round trips.
#include "KeyScheduleTestKit.h"
#include "crypto/Commit.h"
#include "crypto/ScheduleWire.h"

#include <QtTest>

#include <functional>

using namespace conclave::crypto;
using namespace conclave::crypto::testkit;

namespace {

constexpr size_t kCountOffset = 114; // after the roster and descriptor hashes

void putU32At(Bytes& b, size_t offset, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        b[offset + size_t(i)] = uint8_t(v >> (8 * (3 - i)));
}

std::string decodeCode(ByteView data)
{
    auto r = Commit::decode(data);
    return r ? std::string("ok") : r.error().code;
}

/// A meeting with three members admitted, then one removed: one admit and one rekey COMMIT.
struct Fixture {
    Meeting meeting;
    Commit admit;
    Commit rekey;

    Fixture()
    {
        for (const char* name : {"alice", "bob", "carol"})
            meeting.knock(name);
        admit =
            std::move(meeting.chair().admit({meeting.admissionFor("alice"),
                                             meeting.admissionFor("bob", MemberRole::CoChair),
                                             meeting.admissionFor("carol", MemberRole::Observer)}))
                .value();
        const std::vector<uint32_t> bob = {2};
        rekey = std::move(meeting.chair().rekey(CommitReason::Removed,
                                                *meeting.chair().roster().without(bob)))
                    .value();
    }
};

} // namespace

class TestCommit : public QObject {
    Q_OBJECT

private slots:
    void layoutIsExactlyTheSpecification()
    {
        Fixture f;
        const Commit& c = f.rekey;
        const Bytes wire = c.encode();
        QCOMPARE(std::string(wire.begin(), wire.begin() + 18), std::string("conclave commit v2"));
        QCOMPARE(toHex(ByteView(wire).subspan(18, 16)), toHex(f.meeting.meetingId().view()));
        QCOMPARE(toHex(ByteView(wire).subspan(34, 8)), std::string("0000000000000002"));
        QCOMPARE(wire[42], uint8_t(1)); // kind: rekey
        QCOMPARE(wire[43], uint8_t(1)); // reason: removed
        QCOMPARE(toHex(ByteView(wire).subspan(44, 4)), std::string("00000000"));
        QCOMPARE(toHex(ByteView(wire).subspan(48, 2)), std::string("f001"));
        QCOMPARE(toHex(ByteView(wire).subspan(50, 32)), toHex(c.rosterHash));
        QCOMPARE(toHex(ByteView(wire).subspan(82, 32)), toHex(c.descriptorHash));
        QVERIFY(c.rosterHash == f.meeting.chair().roster().hash(f.meeting.meetingId(), 2));
        QCOMPARE(toHex(ByteView(wire).subspan(kCountOffset, 4)), std::string("00000003"));
        const Bytes& entries = c.roster.encodedEntries();
        QCOMPARE(toHex(ByteView(wire).subspan(118, entries.size())), toHex(entries));
        const size_t wrapsAt = 118 + entries.size();
        QCOMPARE(toHex(ByteView(wire).subspan(wrapsAt, 4)), std::string("00000002"));
        QCOMPARE(toHex(ByteView(wire).subspan(wrapsAt + 4, 4)), std::string("00000001"));
        QCOMPARE(toHex(ByteView(wire).subspan(wrapsAt + 56, 4)), std::string("00000003"));
        QCOMPARE(wire.size(), wrapsAt + 4 + 2 * 52 + 64);
        // The signature is the last 64 bytes and covers everything before them.
        const ByteView body = ByteView(wire).first(wire.size() - 64);
        QCOMPARE(toHex(body), toHex(c.signedBytes()));
        QVERIFY(
            verifyEd25519(f.meeting.chairIdentity().publicKey(), body, ByteView(wire).last(64)));
    }

    void roundTrips()
    {
        Fixture f;
        for (const Commit* c : {&f.admit, &f.rekey}) {
            const Bytes wire = c->encode();
            auto back = Commit::decode(wire);
            QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
            QCOMPARE(toHex(back->encode()), toHex(wire));
            QVERIFY(back->meetingId == c->meetingId);
            QCOMPARE(back->epoch, c->epoch);
            QCOMPARE(back->kind, c->kind);
            QCOMPARE(back->reason, c->reason);
            QCOMPARE(back->suite, c->suite);
            QVERIFY(back->roster == c->roster);
            QVERIFY(back->wraps == c->wraps);
            QVERIFY(back->verifySignature(f.meeting.chairIdentity().publicKey()));
        }
        QCOMPARE(f.admit.wraps.size(), size_t(3)); // the newcomers only
        QCOMPARE(f.rekey.wraps.size(), size_t(2)); // everyone left but the chair
        QVERIFY(!f.rekey.findWrap(0) && !f.rekey.findWrap(2) && f.rekey.findWrap(3));
    }

    void truncationAtEveryLengthIsRefused()
    {
        Fixture f;
        for (const Commit* c : {&f.admit, &f.rekey}) {
            const Bytes wire = c->encode();
            for (size_t n = 0; n < wire.size(); ++n)
                QCOMPARE(decodeCode(ByteView(wire).first(n)), std::string("commit.malformed"));
            Bytes longer = wire;
            longer.push_back(0);
            QCOMPARE(decodeCode(longer), std::string("commit.malformed"));
            QVERIFY(Commit::decode(longer).error().message.find("trailing") != std::string::npos);
        }
    }

    void countsAreBounded()
    {
        Fixture f;
        const Bytes wire = f.rekey.encode();
        for (uint32_t count : {0u, 4u, 10001u, 0xffffffffu}) {
            Bytes bad = wire;
            putU32At(bad, kCountOffset, count);
            QCOMPARE(decodeCode(bad), std::string("commit.malformed"));
        }
        const size_t wrapCountAt = 118 + f.rekey.roster.encodedEntries().size();
        for (uint32_t count : {0u, 1u, 3u, 10001u, 0xffffffffu}) {
            Bytes bad = wire;
            putU32At(bad, wrapCountAt, count);
            QCOMPARE(decodeCode(bad), std::string("commit.malformed"));
        }
        // A name length over 128 is refused before reading the name.
        Bytes longName = wire;
        longName[118 + 69] = 200;
        QCOMPARE(decodeCode(longName), std::string("commit.malformed"));
    }

    void headerFieldsAreChecked_data()
    {
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("value");
        QTest::newRow("label") << 0 << int('C');
        QTest::newRow("label version") << 17 << int('1');
        QTest::newRow("kind 2") << 42 << 2;
        QTest::newRow("reason 7") << 43 << 7;
        QTest::newRow("rekey with reason join") << 43 << 0;
        QTest::newRow("unknown suite") << 49 << 0x02;
        QTest::newRow("chair index not the chair") << 47 << 1;
        QTest::newRow("entry role 4") << 118 + 4 << 4;
        QTest::newRow("two chairs") << 118 + 70 + 5 + 4 << 0;
    }

    void headerFieldsAreChecked()
    {
        QFETCH(int, offset);
        QFETCH(int, value);
        Fixture f;
        Bytes wire = f.rekey.encode();
        wire[size_t(offset)] = uint8_t(value);
        QCOMPARE(decodeCode(wire), std::string("commit.malformed"));
    }

    void inconsistentCommitsAreMalformed_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("epoch 0") << 0;
        QTest::newRow("admit with reason removed") << 1;
        QTest::newRow("rekey missing a wrap") << 2;
        QTest::newRow("wrap to the chair") << 3;
        QTest::newRow("wraps out of order") << 4;
        QTest::newRow("wrap to a non-member") << 5;
        QTest::newRow("admit without wraps") << 6;
        QTest::newRow("duplicate wrap") << 7;
    }

    void inconsistentCommitsAreMalformed()
    {
        QFETCH(int, which);
        Fixture f;
        Commit c = which == 1 || which == 6 ? f.admit : f.rekey;
        switch (which) {
        case 0:
            c.epoch = 0;
            break;
        case 1:
            c.reason = CommitReason::Removed;
            break;
        case 2:
            c.wraps.pop_back();
            break;
        case 3:
            c.wraps[0].index = 0;
            break;
        case 4:
            std::swap(c.wraps[0], c.wraps[1]);
            break;
        case 5:
            c.wraps[1].index = 77;
            break;
        case 6:
            c.wraps.clear();
            break;
        case 7:
            c.wraps[1].index = c.wraps[0].index;
            break;
        }
        c.sign(f.meeting.chairIdentity());
        QCOMPARE(c.checkForm().error().code, std::string("commit.malformed"));
        QCOMPARE(decodeCode(c.encode()), std::string("commit.malformed"));
    }

    void everyByteIsCovered()
    {
        // Any change to any byte is either refused by decoding or breaks the signature.
        Fixture f;
        const Bytes wire = f.admit.encode();
        const auto chair = f.meeting.chairIdentity().publicKey();
        for (size_t i = 0; i < wire.size(); ++i) {
            for (uint8_t flip : {uint8_t(0x01), uint8_t(0x80)}) {
                Bytes bad = wire;
                bad[i] ^= flip;
                auto decoded = Commit::decode(bad);
                QVERIFY2(!decoded || !decoded->verifySignature(chair),
                         ("byte " + std::to_string(i)).c_str());
            }
        }
    }

    void emptyAndGarbage()
    {
        QCOMPARE(decodeCode({}), std::string("commit.malformed"));
        QCOMPARE(decodeCode(Bytes(2000, 0)), std::string("commit.malformed"));
        Bytes labelOnly;
        schedule_wire::putLabel(labelOnly, "conclave commit v2");
        labelOnly.resize(118, 0xff);
        QCOMPARE(decodeCode(labelOnly), std::string("commit.malformed"));
    }
};

QTEST_GUILESS_MAIN(TestCommit)
#include "tst_commit.moc"
