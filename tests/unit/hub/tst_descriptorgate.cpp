// SPDX-License-Identifier: GPL-3.0-or-later
// What the hub checks before hosting a meeting: signature and chair, its own pin, and - when
// it runs with a policy - backend, marking approval and options against the policy's rules.
#include "PolicyFixture.h"
#include "TestMeeting.h"
#include "common/Iso8601.h"
#include "hub/DescriptorGate.h"
#include "hub/HubNotice.h"
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

TimePoint at(const char* utc)
{
    return parseUtcTimestamp(utc).value();
}

/// Inside the reference policy's window (2025-01-01 to 2099-01-01).
const TimePoint kNow = at("2026-11-27T12:00:00Z");

/// "" when the gate accepts, else the refusal code.
std::string verdict(const DescriptorGate& gate, TestMeeting& m, TimePoint now = kNow)
{
    auto r = gate.checkNew(m.signedDescriptor(), m.id, m.chair.key().publicKey(), now);
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
        QCOMPARE(open.checkNew(m.signedDescriptor(), m.id, other.chair.key().publicKey(), kNow)
                     .error()
                     .code,
                 std::string("meeting.not_chair"));
        QCOMPARE(open.checkNew(m.signedDescriptor(), other.id, m.chair.key().publicKey(), kNow)
                     .error()
                     .code,
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
        // SECRET's rules forbid screen sharing: a descriptor letting everyone share is refused
        // by the hub too, not only by an honest chair's client.
        const DescriptorGate secretHub(QStringLiteral("test-pin"),
                                       HubApproval{referencePolicy(), "secret-hub"});
        meeting::MeetingOptions everyoneShares;
        everyoneShares.shareByAll = true;
        TestMeeting e = meeting("SECRET", everyoneShares, "secret-hub");
        QCOMPARE(verdict(secretHub, e), std::string("options_not_allowed"));
        // In the words of the one reading of the rules the chair applies too (ruleBreach).
        const auto refused =
            secretHub.checkNew(e.signedDescriptor(), e.id, e.chair.key().publicKey(), kNow);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.find("may not let everyone share their screen") !=
                     std::string::npos,
                 refused.error().message.c_str());
        TestMeeting f = meeting("SECRET", {}, "secret-hub");
        QCOMPARE(verdict(secretHub, f), std::string());
    }

    void refusesNewMeetingsOnceItsPolicyHasExpired()
    {
        // The hub verified its policy at start; months later the policy's window has closed.
        TestMeeting m = meeting("OFFICIAL-SENSITIVE");
        QCOMPARE(verdict(m_deptHub, m, at("2098-12-31T23:59:59Z")), std::string());
        QCOMPARE(verdict(m_deptHub, m, at("2099-01-01T00:00:00Z")), std::string("policy.expired"));
        auto r = m_deptHub.checkNew(m.signedDescriptor(), m.id, m.chair.key().publicKey(),
                                    at("2099-06-01T00:00:00Z"));
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.find("2099-01-01T00:00:00Z") != std::string::npos,
                 r.error().message.c_str());
        // A revision (e.g. a marking change) is not approved by an expired policy either.
        const meeting::MeetingDescriptor current = m.descriptor;
        m.descriptor.revision = 2;
        QCOMPARE(m_deptHub.checkRevision(m.signedDescriptor(), current, at("2099-01-02T00:00:00Z"))
                     .error()
                     .code,
                 std::string("policy.expired"));
        // Before its not_before the policy approves nothing either (a hub clock set back).
        QCOMPARE(verdict(m_deptHub, m, at("2024-12-31T00:00:00Z")), std::string("policy.expired"));
        // The built-in policy has no window: it never expires.
        const DescriptorGate builtin(
            QStringLiteral("test-pin"),
            HubApproval{policy::publicBusinessOnlyPolicy("no policy in this test"),
                        "this-computer"});
        TestMeeting official = meeting("OFFICIAL", {}, "this-computer");
        QCOMPARE(verdict(builtin, official, at("2199-01-01T00:00:00Z")), std::string());
    }

    void everyPolicyRefusalReachesTheClientAsOne()
    {
        // The gate's refusals, sent as the `refused` notice (code and reason only) and read by
        // the client: the category the gate gave each must be the one the client arrives at
        // (hub::categoryOfHubCode), so a chair's exit code says "refused by policy" (3).
        const auto crossesAsRefusal = [this](TestMeeting& m, TimePoint now) {
            auto r = m_deptHub.checkNew(m.signedDescriptor(), m.id, m.chair.key().publicKey(), now);
            QVERIFY(!r.ok());
            QVERIFY2(r.error().isPolicyRefusal(), r.error().code.c_str());
            const auto notice =
                HubNotice::decode(HubNotice::refused(r.error().code, r.error().message).encode());
            QVERIFY(notice.ok());
            QCOMPARE(notice->toError().category, ErrorCategory::PolicyRefusal);
        };
        TestMeeting secret = meeting("SECRET");
        crossesAsRefusal(secret, kNow);
        TestMeeting elsewhere = meeting("OFFICIAL", {}, "secret-hub");
        crossesAsRefusal(elsewhere, kNow);
        TestMeeting nato = meeting("OFFICIAL");
        nato.descriptor.schemeId = QStringLiteral("nato");
        crossesAsRefusal(nato, kNow);
        TestMeeting sloppy = meeting("official");
        crossesAsRefusal(sloppy, kNow);
        TestMeeting bogus = meeting("ULTRA SECRET");
        crossesAsRefusal(bogus, kNow);
        meeting::MeetingOptions noInvites;
        noInvites.invitesRequired = false;
        TestMeeting loose = meeting("OFFICIAL-SENSITIVE", noInvites);
        crossesAsRefusal(loose, kNow);
        TestMeeting late = meeting("OFFICIAL-SENSITIVE");
        crossesAsRefusal(late, at("2099-06-01T00:00:00Z"));

        // Not the policy: the hub's own key, the chair's signature, the meeting id.
        const auto identityFailure = [](const std::optional<Error>& e) {
            QVERIFY(e);
            QVERIFY2(!e->isPolicyRefusal(), e->code.c_str());
            QCOMPARE(categoryOfHubCode(e->code), ErrorCategory::ConnectionOrIdentity);
        };
        const auto errorOf = [](const auto& r) {
            return r.ok() ? std::nullopt : std::optional<Error>(r.error());
        };
        const DescriptorGate pinned(QStringLiteral("other-pin"));
        TestMeeting m = meeting("OFFICIAL");
        TestMeeting other;
        identityFailure(
            errorOf(pinned.checkNew(m.signedDescriptor(), m.id, m.chair.key().publicKey(), kNow)));
        identityFailure(errorOf(
            m_deptHub.checkNew(m.signedDescriptor(), m.id, other.chair.key().publicKey(), kNow)));
        identityFailure(errorOf(
            m_deptHub.checkNew(m.signedDescriptor(), other.id, m.chair.key().publicKey(), kNow)));
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
        auto next = gate.checkRevision(m.signedDescriptor(), current, kNow);
        QVERIFY(next.ok());
        QCOMPARE(next->marking, QStringLiteral("OFFICIAL-SENSITIVE"));
        QCOMPARE(gate.checkRevision(m.signedDescriptor(), *next, kNow).error().code,
                 std::string("descriptor.stale"));
        TestMeeting usurper;
        usurper.id = m.id;
        usurper.descriptor.meetingId = m.id;
        usurper.descriptor.revision = 5;
        QCOMPARE(gate.checkRevision(usurper.signedDescriptor(), current, kNow).error().code,
                 std::string("meeting.not_chair"));
        // Raising the label on a policy hub needs approval for the new label.
        TestMeeting raised = meeting("OFFICIAL-SENSITIVE");
        const meeting::MeetingDescriptor before = raised.descriptor;
        raised.descriptor.revision = 2;
        raised.descriptor.marking = QStringLiteral("SECRET");
        QCOMPARE(m_deptHub.checkRevision(raised.signedDescriptor(), before, kNow).error().code,
                 std::string("marking_not_approved"));
    }
};

QTEST_GUILESS_MAIN(TestDescriptorGate)
#include "tst_descriptorgate.moc"
