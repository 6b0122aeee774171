// SPDX-License-Identifier: GPL-3.0-or-later
// The chair's signed co-chair delegation: verified only for its meeting and its chair.
#include "meeting/Delegation.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;

class TestDelegation : public QObject {
    Q_OBJECT

    const crypto::Ed25519SigningKey m_chair = crypto::Ed25519SigningKey::generate();
    const crypto::Ed25519PublicKey m_bob = crypto::Ed25519SigningKey::generate().publicKey();
    const QByteArray m_meeting = QByteArray(16, 'm');

    Delegation toBob(bool granted = true) const
    {
        return {m_meeting,
                m_bob,
                QStringLiteral("Bob"),
                TimePoint(std::chrono::seconds(1795000000)),
                granted,
                uint64_t{7},
                uint32_t{3}};
    }

private slots:
    void verifiesWhatTheChairSigned()
    {
        for (bool granted : {true, false}) {
            auto d = Delegation::verify(toBob(granted).sign(m_chair).encode(), m_meeting,
                                        m_chair.publicKey());
            QVERIFY(d.ok());
            QVERIFY(d->delegate == m_bob);
            QCOMPARE(d->name, QStringLiteral("Bob"));
            QCOMPARE(d->granted, granted);
            QVERIFY(d->issued == toBob().issued);
            QCOMPARE(d->serial, uint64_t{7});
            QCOMPARE(d->index, uint32_t{3});
        }
    }

    void refusesEverythingElse()
    {
        const QByteArray signedBytes = toBob().sign(m_chair).encode();
        const crypto::Ed25519SigningKey other = crypto::Ed25519SigningKey::generate();
        QCOMPARE(Delegation::verify(toBob().sign(other).encode(), m_meeting, m_chair.publicKey())
                     .error()
                     .code,
                 std::string("delegation.not_chair"));
        QCOMPARE(
            Delegation::verify(signedBytes, QByteArray(16, 'x'), m_chair.publicKey()).error().code,
            std::string("delegation.wrong_meeting"));
        Delegation self = toBob();
        self.delegate = m_chair.publicKey();
        QCOMPARE(Delegation::verify(self.sign(m_chair).encode(), m_meeting, m_chair.publicKey())
                     .error()
                     .code,
                 std::string("delegation.self"));
        // Any change to the signed statement breaks it ("Bob" -> "Rob").
        QByteArray altered = signedBytes;
        const qsizetype at = altered.indexOf("Bob");
        QVERIFY(at > 0);
        altered[at] = 'R';
        QCOMPARE(Delegation::verify(altered, m_meeting, m_chair.publicKey()).error().code,
                 std::string("delegation.bad_signature"));
        // An invite is not a delegation, even when the chair signed it.
        QVERIFY(!Delegation::verify(
            SignedObject::sign(QStringLiteral("invite"), signedBytes.left(40), m_chair).encode(),
            m_meeting, m_chair.publicKey()));
    }
};

QTEST_APPLESS_MAIN(TestDelegation)
#include "tst_delegation.moc"
