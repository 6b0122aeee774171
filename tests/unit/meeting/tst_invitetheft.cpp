// SPDX-License-Identifier: GPL-3.0-or-later
// Invites against a malicious hub, a co-chair who sees knocks, and a leaked link: nobody but
// the link's holder redeems an invite, a first-contact key is never admitted in bulk, and a
// single-use invite admits one identity (docs/threat-model.md, "No ghost through an invite").
#include "SessionFixtures.h"
#include "SessionHarness.h"
#include "common/Clock.h"
#include "crypto/EphemeralAnnouncement.h"
#include "crypto/EphemeralKeyPair.h"
#include "meeting/InviteToken.h"
#include "meeting/MessageOutbox.h"
#include "meeting/SessionSupport.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;
using testsupport::PolicyFixture;
using testsupport::policyFrom;
using testsupport::SessionHarness;
using testsupport::setup;

namespace {

/// Trusts exactly the (name, key) pairs it is told, as the device's contact book would.
class FixedContactBook final : public ContactBook {
public:
    std::vector<std::pair<QString, crypto::Ed25519PublicKey>> known;

    QString status(const QString& name, const crypto::Ed25519PublicKey& identity) override
    {
        for (const auto& [n, k] : known)
            if (n == name && k == identity)
                return QStringLiteral("known");
        return QStringLiteral("new");
    }
    void remember(const QString&, const crypto::Ed25519PublicKey&) override {}
};

/// A knock made by someone who holds only what the hub relays: Alice's signed invite (and,
/// for good measure, Alice's proof), under the attacker's own identity and ephemeral key.
QByteArray ghostKnock(const crypto::Ed25519SigningKey& ghost, const QByteArray& meetingId,
                      const KnockBody& stolen, TimePoint now)
{
    const auto ephemeral = crypto::EphemeralKeyPair::generate();
    const auto announcement = crypto::EphemeralAnnouncement::create(
        ghost, support::meetingIdOf(meetingId), ephemeral.publicKey());
    MessageOutbox outbox(ghost, meetingId, now);
    outbox.post(protocol::MessageType::Knock,
                KnockBody{stolen.invite, stolen.name, support::toQByteArray(announcement.encode()),
                          stolen.proof}
                    .encode());
    return outbox.take().front();
}

} // namespace

class TestInviteTheft : public QObject {
    Q_OBJECT

    policy::PolicyDocument m_policy = policyFrom(PolicyFixture::validPolicy());
    FixedClock m_clock{TimePoint(std::chrono::seconds(1795000000))};
    crypto::Ed25519SigningKey m_chairKey = crypto::Ed25519SigningKey::generate();

    std::unique_ptr<ChairSession> startChair()
    {
        auto chair = ChairSession::create(m_chairKey, m_policy, m_clock,
                                          setup("OFFICIAL-SENSITIVE", "this-computer", "pinA"));
        (*chair)->announce();
        return std::move(chair).value();
    }

    QString invite(ChairSession& chair, const char* name,
                   std::optional<crypto::Ed25519PublicKey> boundTo = std::nullopt)
    {
        return chair.makeInvite(QString::fromLatin1(name), boundTo, std::chrono::hours(1)).value();
    }

    static const meeting::ev::Knock* lastKnock(SessionHarness& hub)
    {
        return SessionHarness::last<meeting::ev::Knock>(hub.chairEvents);
    }

private slots:
    void theLinkCarriesASecretTheSignedInviteDoesNot()
    {
        auto chair = startChair();
        const QString link = invite(*chair, "Alice");
        auto parts = InviteToken::parseLink(link);
        QVERIFY(parts.ok());
        const QByteArray secret(reinterpret_cast<const char*>(parts->secret.data()), 32);
        QVERIFY(!parts->signedInvite.contains(secret));
        // Without the part after the '.', the invite cannot be redeemed and says so.
        const QString signedOnly = link.section(QLatin1Char('.'), 0, 0);
        QCOMPARE(JoinTarget::fromLink(signedOnly, m_clock.now()).error().code,
                 std::string("invite.incomplete"));
        // A secret that belongs to another invite is refused the same way.
        const QString other = invite(*chair, "Bob");
        QCOMPARE(
            JoinTarget::fromLink(signedOnly + QLatin1Char('.') + other.section(QLatin1Char('.'), 1),
                                 m_clock.now())
                .error()
                .code,
            std::string("invite.incomplete"));
    }

    void aHubCannotRedeemAliceInviteUnderItsOwnKey()
    {
        auto chair = startChair();
        SessionHarness hub(*chair, QStringLiteral("pinA"));
        std::optional<KnockBody> seen;
        hub.tamper = [&](protocol::Envelope& e, const QString& to) {
            if (to == QLatin1String("chair") && e.type == protocol::MessageType::Knock)
                seen = KnockBody::decode(e.body).value();
            return true;
        };
        auto& alice = hub.join("Alice", invite(*chair, "Alice"), m_policy, m_clock);
        hub.pump();
        QVERIFY(seen);
        QCOMPARE(lastKnock(hub)->invite, meeting::InviteMatch::Invited);

        // The hub (or a co-chair, who is sent knocks too) knocks with what it relayed.
        const auto ghost = crypto::Ed25519SigningKey::generate();
        hub.deliverToChair(ghostKnock(ghost, chair->descriptor().meetingId, *seen, m_clock.now()));
        const auto* knock = lastKnock(hub);
        QCOMPARE(knock->invite, meeting::InviteMatch::InviteInvalid);
        QVERIFY2(knock->inviteProblem.contains("does not prove"), qPrintable(knock->inviteProblem));
        QCOMPARE(knock->keyVerified, std::optional<bool>(false));

        // "Admit all invited" takes nobody it cannot vouch for; the ghost gets no key.
        QVERIFY(chair->admitAllInvited().ok());
        QCOMPARE(chair->roster().size(), size_t{1});
        QCOMPARE(chair->admit(ghost.publicKey()).error().code,
                 std::string("meeting.invite_required"));
        QVERIFY(chair->admit(alice.identity->publicKey()).ok());
    }

    void firstContactKeysAreNeverAdmittedInBulk()
    {
        auto chair = startChair();
        FixedContactBook contacts;
        chair->setContactBook(&contacts);
        SessionHarness hub(*chair, QStringLiteral("pinA"));
        // Someone who saw Alice's link redeems it first: the chair's device has never seen
        // that key, so it is shown unverified and left for the chair to check by hand.
        auto& leaked = hub.join("Leaked", invite(*chair, "Alice"), m_policy, m_clock);
        hub.pump();
        QCOMPARE(lastKnock(hub)->contact.value_or(QString()), QStringLiteral("new"));
        QCOMPARE(lastKnock(hub)->keyVerified, std::optional<bool>(false));

        // Bob is a known contact; Carol's invite names her key.
        const QString bobLink = invite(*chair, "Bob");
        auto& bob = hub.join("Bob", bobLink, m_policy, m_clock);
        contacts.known.emplace_back(QStringLiteral("Bob"), bob.identity->publicKey());
        auto carolKey =
            std::make_unique<crypto::Ed25519SigningKey>(crypto::Ed25519SigningKey::generate());
        const QString carolLink = invite(*chair, "Carol", carolKey->publicKey());
        auto target = JoinTarget::fromLink(carolLink, m_clock.now()).value();
        SessionHarness::Participant carol{std::move(carolKey), nullptr, {}, false};
        carol.session = std::make_unique<ParticipantSession>(*carol.identity, m_policy, m_clock,
                                                             target, QStringLiteral("Carol"));
        carol.session->knock(QStringLiteral("pinA"));
        auto& carolRef =
            hub.participants().insert_or_assign("Carol", std::move(carol)).first->second;
        hub.pump();

        auto events = chair->admitAllInvited();
        QVERIFY(events.ok());
        hub.pump();
        QVERIFY(chair->roster().findIdentity(bob.identity->publicKey()));
        QVERIFY(chair->roster().findIdentity(carolRef.identity->publicKey()));
        QVERIFY(!chair->roster().findIdentity(leaked.identity->publicKey()));
        const auto* warning = SessionHarness::last<meeting::ev::Warning>(*events);
        QVERIFY(warning);
        QCOMPARE(warning->code, QStringLiteral("lobby.unverified_left_waiting"));
        QVERIFY(warning->reason.contains("Alice"));
    }

    void aSingleUseInviteAdmitsOneIdentityEvenInOneBatch()
    {
        auto chair = startChair();
        FixedContactBook contacts;
        chair->setContactBook(&contacts);
        SessionHarness hub(*chair, QStringLiteral("pinA"));
        // A hub that does not enforce single use lets two holders of one link wait at once
        // (say Alice's laptop and a copy of the link); the chair knows both keys as "Alice".
        const QString link = invite(*chair, "Alice");
        auto& first = hub.join("First", link, m_policy, m_clock);
        auto& second = hub.join("Second", link, m_policy, m_clock);
        contacts.known.emplace_back(QStringLiteral("Alice"), first.identity->publicKey());
        contacts.known.emplace_back(QStringLiteral("Alice"), second.identity->publicKey());
        hub.pump();
        QCOMPARE(chair->lobby().size(), size_t{2});

        QVERIFY(chair->admitAllInvited().ok());
        hub.pump();
        QCOMPARE(chair->roster().size(), size_t{2}); // the chair and one of them
        const bool firstIn = chair->roster().findIdentity(first.identity->publicKey()) != nullptr;
        const auto& other = firstIn ? second : first;
        QCOMPARE(chair->admit(other.identity->publicKey()).error().code,
                 std::string("meeting.invite_reused"));
    }

    void aRedeemedInviteBelongsToItsHolderWhoMayComeBack()
    {
        auto chair = startChair();
        SessionHarness hub(*chair, QStringLiteral("pinA"));
        const QString link = invite(*chair, "Alice");
        auto& alice = hub.join("Alice", link, m_policy, m_clock);
        hub.pump();
        QVERIFY(chair->admit(alice.identity->publicKey()).ok());
        hub.pump();
        QVERIFY(chair->onDisconnected(alice.identity->publicKey()).size() > 0); // dropped

        // The same identity knocks again with the same link, a moment later: still hers.
        m_clock.advance(std::chrono::seconds(5));
        const size_t knocks = SessionHarness::count<meeting::ev::Knock>(hub.chairEvents);
        auto target = JoinTarget::fromLink(link, m_clock.now()).value();
        auto again = std::make_unique<ParticipantSession>(*alice.identity, m_policy, m_clock,
                                                          target, QStringLiteral("Alice"));
        again->knock(QStringLiteral("pinA"));
        for (const QByteArray& wire : again->outgoing())
            hub.deliverToChair(wire);
        QCOMPARE(size_t(SessionHarness::count<meeting::ev::Knock>(hub.chairEvents)), knocks + 1);
        QCOMPARE(lastKnock(hub)->invite, meeting::InviteMatch::Invited);
        auto readmitted = chair->admit(alice.identity->publicKey());
        QVERIFY2(readmitted.ok(), readmitted.ok() ? "" : readmitted.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestInviteTheft)
#include "tst_invitetheft.moc"
