// SPDX-License-Identifier: GPL-3.0-or-later
// What the hub checks before hosting a meeting: signature and chair, its own pin, and - when
// it runs with a policy - backend, marking approval and options against the policy's rules.
#include "PolicyFixture.h"
#include "TestMeeting.h"
#include "hub/DescriptorGate.h"
#include "policy/BuiltinPolicy.h"
#include "policy/PolicyParser.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using hubtest::TestMeeting;

namespace {

policy::PolicyDocument referencePolicy()
{
    const QByteArray bytes =
        testsupport::PolicyFixture::toBytes(testsupport::PolicyFixture::validPolicy());
    return policy::PolicyParser::parse({bytes.constData(), size_t(bytes.size())}).value();
}

/// "" when the gate accepts, else the refusal code.
std::string verdict(const DescriptorGate& gate, TestMeeting& m)
{
    auto r = gate.checkNew(m.signedDescriptor(), m.id, m.chair.key().publicKey());
    return r ? std::string() : r.error().code;
}

} // namespace

class TestDescriptorGate : public QObject {
    Q_OBJECT

    const DescriptorGate m_deptHub{QStringLiteral("test-pin"),
                                   HubApproval{referencePolicy(), "dept-hub-1"}};

    static TestMeeting meeting(const char* marking, meeting::MeetingOptions options = {},
                               const char* backend = "dept-hub-1")
    {
        TestMeeting m(QStringLiteral("test-pin"), options, QString::fromLatin1(marking));
        m.descriptor.backendId = QString::fromLatin1(backend);
        return m;
    }

private slots:
    void withoutAPolicyChecksSignatureChairAndPin()
    {
        const DescriptorGate open;
        TestMeeting m = meeting("TOP SECRET");
        QCOMPARE(verdict(open, m), std::string());
        const DescriptorGate pinned(QStringLiteral("other-pin"));
        QCOMPARE(verdict(pinned, m), std::string("meeting.wrong_hub"));
        TestMeeting other;
        QCOMPARE(
            open.checkNew(m.signedDescriptor(), m.id, other.chair.key().publicKey()).error().code,
            std::string("meeting.not_chair"));
        QCOMPARE(
            open.checkNew(m.signedDescriptor(), other.id, m.chair.key().publicKey()).error().code,
            std::string("meeting.id_mismatch"));
        QVERIFY(!open.enforcesPolicy());
        QVERIFY(m_deptHub.enforcesPolicy());
    }

    void approvesOnlyMarkingsThePolicyAllowsHere()
    {
        TestMeeting sensitive = meeting("OFFICIAL-SENSITIVE");
        QCOMPARE(verdict(m_deptHub, sensitive), std::string());
        TestMeeting secret = meeting("SECRET");
        QCOMPARE(verdict(m_deptHub, secret), std::string("marking_not_approved"));
        TestMeeting elsewhere = meeting("OFFICIAL", {}, "secret-hub");
        QCOMPARE(verdict(m_deptHub, elsewhere), std::string("backend_mismatch"));
        TestMeeting nato = meeting("OFFICIAL");
        nato.descriptor.schemeId = QStringLiteral("nato");
        QCOMPARE(verdict(m_deptHub, nato), std::string("marking.scheme_mismatch"));
        TestMeeting sloppy = meeting("official");
        QCOMPARE(verdict(m_deptHub, sloppy), std::string("marking.not_canonical"));
        TestMeeting bogus = meeting("ULTRA SECRET");
        QVERIFY(verdict(m_deptHub, bogus).rfind("marking.", 0) == 0);
    }

    void refusesOptionsLooserThanThePolicysRules()
    {
        meeting::MeetingOptions noInvites;
        noInvites.invitesRequired = false;
        TestMeeting a = meeting("OFFICIAL-SENSITIVE", noInvites);
        QCOMPARE(verdict(m_deptHub, a), std::string("options_not_allowed"));
        meeting::MeetingOptions openDoor;
        openDoor.openKnocking = true;
        TestMeeting b = meeting("OFFICIAL-SENSITIVE", openDoor);
        QCOMPARE(verdict(m_deptHub, b), std::string("options_not_allowed"));
        meeting::MeetingOptions noWaitingRoom;
        noWaitingRoom.waitingRoom = false;
        TestMeeting c = meeting("OFFICIAL", noWaitingRoom);
        QCOMPARE(verdict(m_deptHub, c), std::string("options_not_allowed"));
        // OFFICIAL allows open knocking without invites under the reference policy.
        meeting::MeetingOptions open;
        open.invitesRequired = false;
        open.openKnocking = true;
        open.chat = true;
        TestMeeting d = meeting("OFFICIAL", open);
        QCOMPARE(verdict(m_deptHub, d), std::string());
    }

    void theBuiltInPolicyHostsOfficialOnly()
    {
        const DescriptorGate builtin(
            QStringLiteral("test-pin"),
            HubApproval{policy::publicBusinessOnlyPolicy("no policy in this test"),
                        "this-computer"});
        TestMeeting official = meeting("OFFICIAL", {}, "this-computer");
        QCOMPARE(verdict(builtin, official), std::string());
        TestMeeting sensitive = meeting("OFFICIAL-SENSITIVE", {}, "this-computer");
        QCOMPARE(verdict(builtin, sensitive), std::string("no_signed_policy"));
    }

    void revisionsMustBeNewerAndFromTheSameChair()
    {
        const DescriptorGate gate(QStringLiteral("test-pin"));
        TestMeeting m = meeting("OFFICIAL");
        const meeting::MeetingDescriptor current = m.descriptor;
        m.descriptor.revision = 2;
        m.descriptor.marking = QStringLiteral("OFFICIAL-SENSITIVE");
        auto next = gate.checkRevision(m.signedDescriptor(), current);
        QVERIFY(next.ok());
        QCOMPARE(next->marking, QStringLiteral("OFFICIAL-SENSITIVE"));
        QCOMPARE(gate.checkRevision(m.signedDescriptor(), *next).error().code,
                 std::string("descriptor.stale"));
        TestMeeting usurper;
        usurper.id = m.id;
        usurper.descriptor.meetingId = m.id;
        usurper.descriptor.revision = 5;
        QCOMPARE(gate.checkRevision(usurper.signedDescriptor(), current).error().code,
                 std::string("meeting.not_chair"));
        // Raising the label on a policy hub needs approval for the new label.
        TestMeeting raised = meeting("OFFICIAL-SENSITIVE");
        const meeting::MeetingDescriptor before = raised.descriptor;
        raised.descriptor.revision = 2;
        raised.descriptor.marking = QStringLiteral("SECRET");
        QCOMPARE(m_deptHub.checkRevision(raised.signedDescriptor(), before).error().code,
                 std::string("marking_not_approved"));
    }
};

QTEST_GUILESS_MAIN(TestDescriptorGate)
#include "tst_descriptorgate.moc"
