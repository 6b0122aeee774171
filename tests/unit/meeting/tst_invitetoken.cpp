// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/InviteToken.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;

namespace {

InviteToken sample()
{
    InviteToken t;
    t.meetingId = QByteArray(16, '\x11');
    t.inviteId = QByteArray(16, '\x22');
    t.name = QStringLiteral("Dr A. Witness");
    t.expires = TimePoint(std::chrono::seconds(1800000000));
    t.hubUrl = QStringLiteral("wss://127.0.0.1:8443");
    t.hubPin = QStringLiteral("HYoBOaCjCOoSXvFSxIW1iPchsBvgrjof1Xcfzxjve3Y=");
    return t;
}

} // namespace

class TestInviteToken : public QObject {
    Q_OBJECT

    const crypto::Ed25519SigningKey m_chair = crypto::Ed25519SigningKey::generate();
    const crypto::Ed25519SigningKey m_redeem = crypto::Ed25519SigningKey::generate();

private slots:
    void linkRoundTrip()
    {
        InviteToken t = sample();
        t.identity = crypto::Ed25519SigningKey::generate().publicKey();
        t.redeemKey = m_redeem.publicKey();
        const QString link = InviteToken::toLink(t.sign(m_chair), m_redeem);
        QVERIFY(link.startsWith(QStringLiteral("conclave:invite:")));
        QVERIFY(!link.contains(QLatin1Char('=')) && !link.contains(QLatin1Char('/')));
        auto parts = InviteToken::parseLink(QStringLiteral("  ") + link + QStringLiteral("\n"));
        QVERIFY(parts.ok());
        QVERIFY(crypto::Ed25519SigningKey::fromSeed(parts->secret.view())->publicKey() ==
                m_redeem.publicKey());
        auto back = InviteToken::fromSigned(parts->signedInvite);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QVERIFY(back->second == m_chair.publicKey());
        QCOMPARE(back->first.name, t.name);
        QCOMPARE(back->first.inviteId, t.inviteId);
        QVERIFY(back->first.identity && *back->first.identity == *t.identity);
        QCOMPARE(back->first.hubPin, t.hubPin);
        QVERIFY(back->first.expires == t.expires);
        QVERIFY(back->first.redeemKey == m_redeem.publicKey());
    }

    void aKnockProvesTheLinkForItsOwnAnnouncementOnly()
    {
        InviteToken t = sample();
        t.redeemKey = m_redeem.publicKey();
        const QByteArray announcement(144, 'a');
        const QByteArray proof = InviteToken::prove(m_redeem, t.inviteId, announcement);
        QVERIFY(t.checkProof(proof, announcement).ok());
        // Someone else's announcement, another invite, no proof, or a proof by another key.
        QCOMPARE(t.checkProof(proof, QByteArray(144, 'b')).error().code,
                 std::string("invite.no_proof"));
        InviteToken other = t;
        other.inviteId = QByteArray(16, '\x33');
        QCOMPARE(other.checkProof(proof, announcement).error().code,
                 std::string("invite.no_proof"));
        QCOMPARE(t.checkProof(QByteArray(), announcement).error().code,
                 std::string("invite.no_proof"));
        const auto stranger = crypto::Ed25519SigningKey::generate();
        QCOMPARE(t.checkProof(InviteToken::prove(stranger, t.inviteId, announcement), announcement)
                     .error()
                     .code,
                 std::string("invite.no_proof"));
    }

    void detectsAlteredInvites()
    {
        SignedObject s = sample().sign(m_chair);
        s.body[s.body.size() - 3] = char(s.body[s.body.size() - 3] ^ 1); // inside the pin text
        auto r = InviteToken::fromSigned(s.encode());
        QCOMPARE(r.error().code, std::string("invite.bad_signature"));

        // Another chair's key substituted together with a new signature is a different chair:
        // the joiner sees it in the returned signer (and in the security code).
        const auto other = crypto::Ed25519SigningKey::generate();
        auto substituted = InviteToken::fromSigned(sample().sign(other).encode());
        QVERIFY(substituted.ok());
        QVERIFY(!(substituted->second == m_chair.publicKey()));
    }

    void refusesDamagedLinks()
    {
        QCOMPARE(InviteToken::parseLink("https://zoom.example/j/123").error().code,
                 std::string("invite.malformed"));
        QCOMPARE(InviteToken::parseLink("conclave:invite:***.AAAA").error().code,
                 std::string("invite.malformed"));
        QCOMPARE(InviteToken::parseLink("conclave:invite:" + QString(5000, 'A')).error().code,
                 std::string("invite.malformed"));
        const QString link = InviteToken::toLink(sample().sign(m_chair), m_redeem);
        const QString signedPart = link.section(QLatin1Char('.'), 0, 0);
        QCOMPARE(InviteToken::parseLink(signedPart).error().code, std::string("invite.incomplete"));
        QCOMPARE(InviteToken::parseLink(signedPart + ".AAAA").error().code,
                 std::string("invite.incomplete"));
        auto truncated = InviteToken::parseLink(signedPart.left(signedPart.size() - 10) + "." +
                                                link.section(QLatin1Char('.'), 1));
        QVERIFY(!truncated.ok() || !InviteToken::fromSigned(truncated->signedInvite).ok());
    }

    void checksExpiryAndMeeting()
    {
        const InviteToken t = sample();
        QVERIFY(t.checkUsable(t.meetingId, t.expires - std::chrono::seconds(1)).ok());
        QCOMPARE(t.checkUsable(t.meetingId, t.expires).error().code, std::string("invite.expired"));
        QCOMPARE(
            t.checkUsable(QByteArray(16, 'x'), t.expires - std::chrono::seconds(1)).error().code,
            std::string("invite.wrong_meeting"));
        InviteToken plain = sample();
        plain.hubUrl = QStringLiteral("ws://127.0.0.1:8443");
        QCOMPARE(InviteToken::fromSigned(plain.sign(m_chair).encode()).error().code,
                 std::string("protocol.invalid"));
    }
};

QTEST_GUILESS_MAIN(TestInviteToken)
#include "tst_invitetoken.moc"
