// SPDX-License-Identifier: GPL-3.0-or-later
// Hub notices (docs/protocol.md §5): exact encoding, strict decoding, and telling a notice
// from an envelope.
#include "TestMeeting.h"
#include "hub/HubNotice.h"

#include <QCborMap>
#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using Kind = HubNotice::Kind;

namespace {

QByteArray rawNotice(const QString& name, const QCborMap& body, int version = 1)
{
    QCborMap m;
    m.insert(QStringLiteral("v"), version);
    m.insert(QStringLiteral("notice"), name);
    m.insert(QStringLiteral("body"), QCborValue(body).toCbor());
    return QCborValue(m).toCbor();
}

} // namespace

class TestHubNotice : public QObject {
    Q_OBJECT

private slots:
    void everyKindRoundTrips()
    {
        const QByteArray id(32, '\x07');
        const QList<HubNotice> all{
            HubNotice::lobbyNotice("signed descriptor"),
            HubNotice::refused("meeting.locked", "locked"),
            HubNotice::denied(QStringLiteral("not today")),
            HubNotice::removed(QStringLiteral("disorder")),
            HubNotice::admitted(),
            HubNotice::ended(),
            HubNotice::error("protocol.replay", "replayed"),
            HubNotice::created(),
            HubNotice::left(id, true, "timed out"),
            HubNotice::mediaRoom(QStringLiteral("wss://10.0.0.5:8989/"), HubNotice::kMaxRoom,
                                 QStringLiteral("tok-en")),
            HubNotice::turnCredentials(QStringLiteral("1767225600:ab12"),
                                       QStringLiteral("c2VjcmV0Lz0r"), 1767225600)};
        for (const HubNotice& n : all) {
            const QByteArray bytes = n.encode();
            QVERIFY(HubNotice::isNotice(bytes));
            auto back = HubNotice::decode(bytes);
            QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
            QVERIFY(back->kind == n.kind);
            QCOMPARE(back->code, n.code);
            QCOMPARE(back->reason, n.reason);
            QCOMPARE(back->descriptor, n.descriptor);
            QCOMPARE(back->identity, n.identity);
            QCOMPARE(back->lobby, n.lobby);
            QCOMPARE(back->endpoint, n.endpoint);
            QCOMPARE(back->room, n.room);
            QCOMPARE(back->token, n.token);
            QCOMPARE(back->turnUsername, n.turnUsername);
            QCOMPARE(back->turnCredential, n.turnCredential);
            QCOMPARE(back->turnExpires, n.turnExpires);
            QCOMPARE(back->encode(), bytes);
        }
    }

    void theWireFormatIsFixed()
    {
        // {v:1, notice:"admitted", body: h'a0'}
        QCOMPARE(HubNotice::admitted().encode().toHex(), QByteArray("a3617601666e6f74696365686164"
                                                                    "6d69747465646462"
                                                                    "6f647941a0"));
        QVERIFY(toString(Kind::Left) == std::string_view("left"));
    }

    void envelopesAreNotNotices()
    {
        hubtest::TestMeeting m;
        const QByteArray envelope = m.create();
        QVERIFY(!HubNotice::isNotice(envelope));
        QVERIFY(!HubNotice::decode(envelope).ok());
        QVERIFY(!HubNotice::isNotice(QByteArray()));
    }

    void refusesAnythingElse()
    {
        QCOMPARE(HubNotice::decode(rawNotice("admitted", {}, 2)).error().code,
                 std::string("protocol.version"));
        QCOMPARE(HubNotice::decode(rawNotice("promoted", {})).error().code,
                 std::string("protocol.invalid"));
        QCborMap extra;
        extra.insert(QStringLiteral("why"), 1);
        QCOMPARE(HubNotice::decode(rawNotice("admitted", extra)).error().code,
                 std::string("protocol.invalid"));
        QCborMap wrongOrder;
        wrongOrder.insert(QStringLiteral("reason"), QStringLiteral("r"));
        wrongOrder.insert(QStringLiteral("code"), QStringLiteral("c"));
        QCOMPARE(HubNotice::decode(rawNotice("refused", wrongOrder)).error().code,
                 std::string("protocol.invalid"));
        QCborMap shortKey;
        shortKey.insert(QStringLiteral("identity"), QByteArray(31, 'k'));
        shortKey.insert(QStringLiteral("lobby"), false);
        shortKey.insert(QStringLiteral("reason"), QStringLiteral("r"));
        QCOMPARE(HubNotice::decode(rawNotice("left", shortKey)).error().code,
                 std::string("protocol.invalid"));
        // A media room needs all three parts, and a room id JSON can carry exactly.
        const auto mediaRoom = [](const QString& endpoint, qint64 room, const QString& token) {
            QCborMap body;
            body.insert(QStringLiteral("endpoint"), endpoint);
            body.insert(QStringLiteral("room"), room);
            body.insert(QStringLiteral("token"), token);
            return HubNotice::decode(rawNotice("media_room", body));
        };
        QVERIFY(mediaRoom(QStringLiteral("wss://j/"), 7, QStringLiteral("t")).ok());
        QCOMPARE(mediaRoom(QStringLiteral("wss://j/"), 0, QStringLiteral("t")).error().code,
                 std::string("protocol.invalid"));
        QCOMPARE(mediaRoom(QString(), 7, QStringLiteral("t")).error().code,
                 std::string("protocol.invalid"));
        QCOMPARE(mediaRoom(QStringLiteral("wss://j/"), 7, QString()).error().code,
                 std::string("protocol.invalid"));
        QCOMPARE(mediaRoom(QStringLiteral("wss://j/"), qint64(HubNotice::kMaxRoom) + 1,
                           QStringLiteral("t"))
                     .error()
                     .code,
                 std::string("protocol.invalid"));
        // TURN credentials: a username that is "<expires>:<id>", a credential - and nothing
        // else. Above all no server: a hub hands out credentials, the policy names servers.
        const auto turnCredentials = [](const QString& username, qint64 expires,
                                        const QString& credential, const QString& url) {
            QCborMap body;
            body.insert(QStringLiteral("username"), username);
            body.insert(QStringLiteral("credential"), credential);
            body.insert(QStringLiteral("expires"), expires);
            if (!url.isEmpty())
                body.insert(QStringLiteral("url"), url);
            return HubNotice::decode(rawNotice("turn_credentials", body));
        };
        const QString cred = QStringLiteral("c2VjcmV0");
        QVERIFY(turnCredentials(QStringLiteral("1700000000:x1"), 1700000000, cred, {}).ok());
        QCOMPARE(turnCredentials(QStringLiteral("1700000000:x1"), 1700000000, cred,
                                 QStringLiteral("turn:evil.example:443?transport=tcp"))
                     .error()
                     .code,
                 std::string("protocol.invalid"));
        QCOMPARE(
            turnCredentials(QStringLiteral("1700000001:x1"), 1700000000, cred, {}).error().code,
            std::string("protocol.invalid"));
        QCOMPARE(turnCredentials(QStringLiteral("1700000000:"), 1700000000, cred, {}).error().code,
                 std::string("protocol.invalid"));
        QCOMPARE(turnCredentials(QStringLiteral("1700000000:x1"), 1700000000, QString(), {})
                     .error()
                     .code,
                 std::string("protocol.invalid"));
        QByteArray trailing = HubNotice::ended().encode() + '\0';
        QCOMPARE(HubNotice::decode(trailing).error().code, std::string("protocol.non_canonical"));
        QCOMPARE(HubNotice::decode(QByteArray(HubNotice::kMaxBytes + 1, '\xa0')).error().code,
                 std::string("protocol.too_large"));
    }

    void longReasonsAreCutAtACharacterBoundary()
    {
        const std::string reason = std::string(1023, 'x') + "\xc3\xa9" + std::string(10, 'y');
        const QByteArray bytes = HubNotice::error("code", reason).encode();
        auto back = HubNotice::decode(bytes);
        QVERIFY(back.ok());
        QCOMPARE(back->reason.toUtf8().size(), 1023); // the two-byte 'é' did not fit
        QCOMPARE(back->reason, QString(1023, QLatin1Char('x')));
    }
};

QTEST_GUILESS_MAIN(TestHubNotice)
#include "tst_hubnotice.moc"
