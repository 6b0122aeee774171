// SPDX-License-Identifier: GPL-3.0-or-later
// TurnCredentials: coturn's TURN REST credentials (use-auth-secret) against vectors computed
// apart from this code, with OpenSSL and Python:
//   printf '%s' '1700000000:member-7' | openssl dgst -sha1 -hmac 'conclave-test-secret' -binary |
//   base64
//     -> JKDmQKg20Bp4L1rZ8tXT6BvPa1k=
//   key = bytes 0..99 (longer than SHA-1's 64-byte block: HMAC hashes it first), message
//   '4102444800:a':
//   printf '%s' '4102444800:a' | openssl dgst -sha1 -mac HMAC
//     -macopt hexkey:$(python3 -c 'print(bytes(range(100)).hex())') -binary | base64
//   (one command line)
//     -> Zd2EK9I36pSrmtK8+TIQehTpttE=
//   (python3: base64.b64encode(hmac.new(key, msg, hashlib.sha1).digest()) gives the same)
// tst_turn_relay checks the scheme end to end: real coturn accepts these and refuses others.
#include "turn/TurnCredentials.h"

#include <QtTest>

#include <string>

using namespace conclave;
using namespace conclave::turn;

namespace {

std::chrono::system_clock::time_point at(std::int64_t unixSeconds)
{
    return std::chrono::system_clock::time_point(std::chrono::seconds(unixSeconds));
}

crypto::ByteView bytesOf(const std::string& text)
{
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

} // namespace

class TestTurnCredentials : public QObject {
    Q_OBJECT

private slots:
    void knownVector()
    {
        const std::string secret = "conclave-test-secret";
        const auto issued =
            TurnCredentials::issue(bytesOf(secret), QStringLiteral("member-7"), at(1700000000));
        QVERIFY(issued);
        QCOMPARE(issued->username, QStringLiteral("1700000000:member-7"));
        QCOMPARE(issued->credential, QStringLiteral("JKDmQKg20Bp4L1rZ8tXT6BvPa1k="));
    }

    void aSecretLongerThanTheHashBlock()
    {
        crypto::Bytes secret(100);
        for (size_t i = 0; i < secret.size(); ++i)
            secret[i] = uint8_t(i);
        const auto issued = TurnCredentials::issue(secret, QStringLiteral("a"), at(4102444800));
        QVERIFY(issued);
        QCOMPARE(issued->username, QStringLiteral("4102444800:a"));
        QCOMPARE(issued->credential, QStringLiteral("Zd2EK9I36pSrmtK8+TIQehTpttE="));
    }

    void theExpiryIsWholeSeconds()
    {
        const std::string secret = "conclave-test-secret";
        const auto issued = TurnCredentials::issue(bytesOf(secret), QStringLiteral("member-7"),
                                                   at(1700000000) + std::chrono::milliseconds(999));
        QVERIFY(issued);
        QCOMPARE(issued->username, QStringLiteral("1700000000:member-7"));
        QCOMPARE(issued->credential, QStringLiteral("JKDmQKg20Bp4L1rZ8tXT6BvPa1k="));
    }

    void anotherSecretOrIdGivesAnotherCredential()
    {
        const std::string secret = "conclave-test-secret";
        const std::string other = "conclave-test-secreT";
        const auto a =
            TurnCredentials::issue(bytesOf(secret), QStringLiteral("member-7"), at(1700000000));
        const auto b =
            TurnCredentials::issue(bytesOf(other), QStringLiteral("member-7"), at(1700000000));
        const auto c =
            TurnCredentials::issue(bytesOf(secret), QStringLiteral("member-8"), at(1700000000));
        const auto d =
            TurnCredentials::issue(bytesOf(secret), QStringLiteral("member-7"), at(1700000001));
        QVERIFY(a && b && c && d);
        QVERIFY(a->credential != b->credential);
        QVERIFY(a->credential != c->credential);
        QVERIFY(a->credential != d->credential);
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("secret");
        QTest::addColumn<QString>("id");
        QTest::addColumn<qint64>("expiry");
        QTest::newRow("no secret") << QByteArray() << QStringLiteral("m") << qint64(1700000000);
        QTest::newRow("no id") << QByteArray("s") << QString() << qint64(1700000000);
        // coturn takes the expiry up to the first ':'; an id with one would be ambiguous.
        QTest::newRow("id with a colon")
            << QByteArray("s") << QStringLiteral("a:b") << qint64(1700000000);
        QTest::newRow("before 1970") << QByteArray("s") << QStringLiteral("m") << qint64(-1);
    }

    void refused()
    {
        QFETCH(QByteArray, secret);
        QFETCH(QString, id);
        QFETCH(qint64, expiry);
        const crypto::ByteView view(reinterpret_cast<const uint8_t*>(secret.constData()),
                                    size_t(secret.size()));
        const auto issued = TurnCredentials::issue(view, id, at(expiry));
        QVERIFY(!issued);
        QCOMPARE(issued.error().code, std::string("media.turn_credentials"));
        QVERIFY(issued.error().isInvalidInput());
    }

    void forServer()
    {
        const std::string secret = "conclave-test-secret";
        const auto issued =
            TurnCredentials::issue(bytesOf(secret), QStringLiteral("member-7"), at(1700000000));
        QVERIFY(issued);
        const TurnServer server =
            issued->forServer(QStringLiteral("turn:10.0.0.1:443?transport=tcp"));
        QCOMPARE(server.url, QStringLiteral("turn:10.0.0.1:443?transport=tcp"));
        QCOMPARE(server.username, issued->username);
        QCOMPARE(server.credential, issued->credential);
    }
};

QTEST_GUILESS_MAIN(TestTurnCredentials)
#include "tst_turncredentials.moc"
