// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/MeetingDescriptor.h"

#include <QCborMap>
#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;

namespace {

MeetingDescriptor sample(const crypto::Ed25519SigningKey& chair)
{
    MeetingDescriptor d;
    d.meetingId = QByteArray(16, '\x42');
    d.title = QStringLiteral("Select Committee: evidence session");
    d.marking = QStringLiteral("OFFICIAL-SENSITIVE");
    d.schemeId = QStringLiteral("uk-gsc-2023");
    d.backendId = QStringLiteral("this-computer");
    d.hubPin = QStringLiteral("HYoBOaCjCOoSXvFSxIW1iPchsBvgrjof1Xcfzxjve3Y=");
    d.chair = chair.publicKey();
    d.chairEphemeral = QByteArray(32, '\x07');
    d.created = TimePoint(std::chrono::seconds(1795000000));
    d.cipherSuite = 0x0005;
    d.options.chat = true;
    return d;
}

} // namespace

class TestMeetingDescriptor : public QObject {
    Q_OBJECT

    const crypto::Ed25519SigningKey m_chair = crypto::Ed25519SigningKey::generate();

private slots:
    void signedRoundTrip()
    {
        const MeetingDescriptor d = sample(m_chair);
        auto back = MeetingDescriptor::fromSigned(d.sign(m_chair).encode());
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QCOMPARE(back->meetingId, d.meetingId);
        QCOMPARE(back->title, d.title);
        QCOMPARE(back->marking, d.marking);
        QCOMPARE(back->backendId, d.backendId);
        QCOMPARE(back->hubPin, d.hubPin);
        QVERIFY(back->chair == m_chair.publicKey());
        QCOMPARE(back->chairEphemeral, d.chairEphemeral);
        QVERIFY(back->created == d.created);
        QCOMPARE(back->cipherSuite, uint16_t{0x0005});
        QVERIFY(back->options == d.options);
        QCOMPARE(back->encodeBody(), d.encodeBody());
    }

    void aChangedMarkingBreaksTheSignature()
    {
        SignedObject s = sample(m_chair).sign(m_chair);
        QCborMap body = QCborValue::fromCbor(s.body).toMap();
        body[QStringLiteral("marking")] = QStringLiteral("OFFICIAL");
        s.body = QCborValue(body).toCbor();
        auto r = MeetingDescriptor::fromSigned(s.encode());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, std::string("meeting.bad_signature"));
    }

    void onlyTheNamedChairMaySign()
    {
        const auto impostor = crypto::Ed25519SigningKey::generate();
        // Signed by the impostor but naming the real chair.
        auto r = MeetingDescriptor::fromSigned(sample(m_chair).sign(impostor).encode());
        QCOMPARE(r.error().code, std::string("meeting.not_chair"));
    }

    void refusesMalformedBodies()
    {
        const MeetingDescriptor d = sample(m_chair);
        QCborMap body = QCborValue::fromCbor(d.encodeBody()).toMap();
        body.remove(QStringLiteral("hub_pin"));
        QVERIFY(!MeetingDescriptor::decodeBody(QCborValue(body).toCbor()).ok());

        MeetingDescriptor untitled = d;
        untitled.title = QStringLiteral("   ");
        QCOMPARE(MeetingDescriptor::decodeBody(untitled.encodeBody()).error().code,
                 std::string("protocol.invalid"));

        MeetingDescriptor longTitle = d;
        longTitle.title = QString(201, QLatin1Char('x'));
        QVERIFY(!MeetingDescriptor::decodeBody(longTitle.encodeBody()).ok());

        MeetingDescriptor zero = d;
        zero.revision = 0;
        QVERIFY(!MeetingDescriptor::decodeBody(zero.encodeBody()).ok());

        QVERIFY(!MeetingDescriptor::fromSigned(QByteArray("garbage")).ok());
        // A signed invite is not a descriptor, even with a valid signature.
        const SignedObject other =
            SignedObject::sign(QStringLiteral("invite"), d.encodeBody(), m_chair);
        QVERIFY(!MeetingDescriptor::fromSigned(other.encode()).ok());
    }
};

QTEST_GUILESS_MAIN(TestMeetingDescriptor)
#include "tst_meetingdescriptor.moc"
