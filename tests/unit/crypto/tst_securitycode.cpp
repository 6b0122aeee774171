// SPDX-License-Identifier: GPL-3.0-or-later
// Security codes (docs/e2ee.md §4): format, agreement between chair and every member, and
// change with any chair key, meeting, epoch or roster change.
#include "KeyScheduleTestKit.h"
#include "crypto/SecurityCode.h"

#include <QRegularExpression>
#include <QtTest>

using namespace conclave::crypto;
using namespace conclave::crypto::testkit;

class TestSecurityCode : public QObject {
    Q_OBJECT

private slots:
    void formats()
    {
        const MeetingId id = MeetingId::random();
        const auto meeting = QString::fromStdString(
            security_code::meetingCode(id, Ed25519SigningKey::generate().publicKey(),
                                       EphemeralKeyPair::generate().publicKey()));
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d{5} \\d{5} \\d{5} \\d{5}$"))
                     .match(meeting)
                     .hasMatch(),
                 qPrintable(meeting));
        const auto epoch = QString::fromStdString(security_code::epochCode(id, 7, RosterHash{}));
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d{5}( \\d{5}){5}$")).match(epoch).hasMatch(),
                 qPrintable(epoch));
    }

    void sameOnEveryMember()
    {
        Meeting m;
        QVERIFY(m.admit({"alice", "bob", "carol"}).empty());
        QVERIFY(m.remove({"bob"}, CommitReason::Removed).empty());
        const std::string meetingCode = m.chair().meetingCode();
        const std::string epochCode = m.chair().epochCode();
        QCOMPARE(meetingCode,
                 security_code::meetingCode(m.meetingId(), m.chairIdentity().publicKey(),
                                            m.chairEphemeral().publicKey()));
        for (const char* name : {"alice", "carol"}) {
            QCOMPARE(*m.device(name).schedule->meetingCode(), meetingCode);
            QCOMPARE(*m.device(name).schedule->epochCode(), epochCode);
        }
        // The meeting code stays for the meeting; the epoch code follows every epoch.
        QVERIFY(m.rekey().empty());
        QCOMPARE(*m.device("alice").schedule->meetingCode(), meetingCode);
        QVERIFY(*m.device("alice").schedule->epochCode() != epochCode);
        QCOMPARE(*m.device("alice").schedule->epochCode(), m.chair().epochCode());
    }

    void anyChangeChangesTheCode()
    {
        const MeetingId id = MeetingId::random();
        const auto chair = Ed25519SigningKey::generate().publicKey();
        const auto eph = EphemeralKeyPair::generate().publicKey();
        const std::string base = security_code::meetingCode(id, chair, eph);
        QCOMPARE(security_code::meetingCode(id, chair, eph), base);
        QVERIFY(security_code::meetingCode(MeetingId::random(), chair, eph) != base);
        QVERIFY(security_code::meetingCode(id, Ed25519SigningKey::generate().publicKey(), eph) !=
                base);
        QVERIFY(security_code::meetingCode(id, chair, EphemeralKeyPair::generate().publicKey()) !=
                base);

        Meeting m;
        QVERIFY(m.admit({"alice"}).empty());
        const Roster& roster = m.chair().roster();
        const std::string code =
            security_code::epochCode(m.meetingId(), 1, roster.hash(m.meetingId(), 1));
        QCOMPARE(code, m.chair().epochCode());
        QVERIFY(security_code::epochCode(m.meetingId(), 2, roster.hash(m.meetingId(), 1)) != code);
        std::vector<RosterEntry> entries = roster.entries();
        entries.push_back({9, MemberRole::Observer, Ed25519SigningKey::generate().publicKey(),
                           EphemeralKeyPair::generate().publicKey(), "ghost"});
        const Roster ghosted = *Roster::create(entries);
        QVERIFY(security_code::epochCode(m.meetingId(), 1, ghosted.hash(m.meetingId(), 1)) != code);
        entries = roster.entries();
        entries[1].role = MemberRole::Observer;
        const Roster demoted = *Roster::create(entries);
        QVERIFY(security_code::epochCode(m.meetingId(), 1, demoted.hash(m.meetingId(), 1)) != code);
    }
};

QTEST_GUILESS_MAIN(TestSecurityCode)
#include "tst_securitycode.moc"
