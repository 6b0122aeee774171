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

private slots:
    void linkRoundTrip()
    {
        InviteToken t = sample();
        t.identity = crypto::Ed25519SigningKey::generate().publicKey();
        const QString link = InviteToken::toLink(t.sign(m_chair));
        QVERIFY(link.startsWith(QStringLiteral("conclave:invite:")));
        QVERIFY(!link.contains(QLatin1Char('=')) && !link.contains(QLatin1Char('/')));
        auto bytes = InviteToken::bytesFromLink(QStringLiteral("  ") + link + QStringLiteral("\n"));
        QVERIFY(bytes.ok());
        auto back = InviteToken::fromSigned(*bytes);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QVERIFY(back->second == m_chair.publicKey());
        QCOMPARE(back->first.name, t.name);
        QCOMPARE(back->first.inviteId, t.inviteId);
        QVERIFY(back->first.identity && *back->first.identity == *t.identity);
        QCOMPARE(back->first.hubPin, t.hubPin);
        QVERIFY(back->first.expires == t.expires);
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
        QCOMPARE(InviteToken::bytesFromLink("https://zoom.example/j/123").error().code,
                 std::string("invite.malformed"));
        QCOMPARE(InviteToken::bytesFromLink("conclave:invite:***").error().code,
                 std::string("invite.malformed"));
        QCOMPARE(InviteToken::bytesFromLink("conclave:invite:" + QString(5000, 'A')).error().code,
                 std::string("invite.malformed"));
        const QString link = InviteToken::toLink(sample().sign(m_chair));
        auto truncated = InviteToken::bytesFromLink(link.left(link.size() - 10));
        QVERIFY(!truncated.ok() || !InviteToken::fromSigned(*truncated).ok());
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
