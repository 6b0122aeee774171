// SPDX-License-Identifier: GPL-3.0-or-later
// Names everyone sees must look the same to everyone: no invisible or direction-control
// characters, wherever a name enters (invites, knocks, the chair's own name).
#include "meeting/DisplayName.h"
#include "meeting/InviteToken.h"
#include "meeting/MessageBodies.h"

#include <QtTest>

using namespace conclave;
using namespace conclave::meeting;

class TestDisplayName : public QObject {
    Q_OBJECT

private slots:
    void plainNamesPass_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("ascii") << QStringLiteral("Alice Hart");
        QTest::newRow("accents") << QStringLiteral("Siân Llŷr-Jones");
        QTest::newRow("other scripts") << QStringLiteral("Ελένη 李雷 محمد");
        QTest::newRow("apostrophe") << QStringLiteral("Dr O'Neill MP");
    }
    void plainNamesPass()
    {
        QFETCH(QString, name);
        auto checked = checkDisplayName(QStringLiteral("  ") + name + QStringLiteral(" "), "name");
        QVERIFY(checked.ok());
        QCOMPARE(*checked, name);
    }

    void invisibleAndDirectionCharactersAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("code");
        // "Alice" followed by RIGHT-TO-LEFT OVERRIDE and a reversed tail shows as another name.
        QTest::newRow("RLO") << QStringLiteral("Alice\u202Eecila") << QStringLiteral("U+202E");
        QTest::newRow("LRI") << QStringLiteral("Bob\u2066x") << QStringLiteral("U+2066");
        QTest::newRow("ALM") << QStringLiteral("Bob\u061C") << QStringLiteral("U+061C");
        QTest::newRow("ZWSP") << QStringLiteral("Ali\u200Bce") << QStringLiteral("U+200B");
        QTest::newRow("ZWJ") << QStringLiteral("Ali\u200Dce") << QStringLiteral("U+200D");
        QTest::newRow("ZWNBSP") << QStringLiteral("Ali\uFEFFce") << QStringLiteral("U+FEFF");
        QTest::newRow("soft hyphen") << QStringLiteral("Al\u00ADice") << QStringLiteral("U+00AD");
        QTest::newRow("control") << QStringLiteral("Al\u0007ice") << QStringLiteral("U+0007");
        QTest::newRow("line separator")
            << QStringLiteral("Al\u2028ice") << QStringLiteral("U+2028");
    }
    void invisibleAndDirectionCharactersAreRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, code);
        auto checked = checkDisplayName(name, "the knocker's name");
        QVERIFY(!checked.ok());
        QCOMPARE(checked.error().code, std::string("name.invalid"));
        QVERIFY2(QString::fromStdString(checked.error().message).contains(code),
                 checked.error().message.c_str());

        // The same name in a knock or an invite is refused when it is decoded.
        QCOMPARE(KnockBody::decode(KnockBody{{}, name, "ann", {}}.encode()).error().code,
                 std::string("protocol.invalid"));
        InviteToken t;
        t.meetingId = QByteArray(16, 'm');
        t.inviteId = QByteArray(16, 'i');
        t.name = name;
        t.expires = TimePoint(std::chrono::seconds(1800000000));
        t.hubUrl = QStringLiteral("wss://127.0.0.1:1");
        const auto chair = crypto::Ed25519SigningKey::generate();
        QCOMPARE(InviteToken::fromSigned(t.sign(chair).encode()).error().code,
                 std::string("protocol.invalid"));
    }

    void emptyNamesAreRefused()
    {
        QCOMPARE(checkDisplayName(QStringLiteral("   "), "name").error().code,
                 std::string("name.invalid"));
    }
};

QTEST_APPLESS_MAIN(TestDisplayName)
#include "tst_displayname.moc"
