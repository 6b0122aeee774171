// SPDX-License-Identifier: GPL-3.0-or-later
// TurnGrants: members in a meeting get coturn REST credentials from the hub's secret with a
// fixed clock - at join, renewed ahead of expiry while they stay, none after they leave - and
// the secret file is refused unless only the hub's user can read it.
#include "crypto/Sodium.h"
#include "hub/TurnGrants.h"
#include "turn/TurnCredentials.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace conclave;
using namespace conclave::hub;
using namespace std::chrono_literals;

namespace {

const TimePoint kStart = TimePoint(1'700'000'000s);

crypto::SecureBuffer secret()
{
    const QByteArray text("coturn-static-auth-secret");
    return crypto::SecureBuffer::copyOf(
        {reinterpret_cast<const uint8_t*>(text.constData()), size_t(text.size())});
}

MediaRoomChange change(MediaRoomChange::Kind kind, const char* who, ConnectionId connection = 0)
{
    return {kind, QByteArray("meeting-1"), QByteArray(32, who[0]), connection};
}

} // namespace

class TestTurnGrants : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { crypto::ensureSodium(); }

    void aMemberWhoIsInGetsCredentialsCoturnAccepts()
    {
        FixedClock clock(kStart);
        TurnGrants grants(secret(), clock);
        const auto sent = grants.apply(change(MediaRoomChange::Kind::Join, "a", 7));
        QCOMPARE(sent.size(), size_t{1});
        QCOMPARE(sent[0].first, ConnectionId{7});
        const HubNotice& n = sent[0].second;
        QVERIFY(n.kind == HubNotice::Kind::TurnCredentials);
        QCOMPARE(n.turnExpires, uint64_t{1'700'000'000 + 3600});
        QVERIFY(n.turnUsername.startsWith(QStringLiteral("1700003600:")));
        // What coturn computes from the username with the same secret.
        const crypto::SecureBuffer key = secret();
        const QString id = n.turnUsername.section(u':', 1);
        QCOMPARE(id.size(), 24); // 12 random bytes: nothing of who the member is
        auto expected = turn::TurnCredentials::issue(key.view(), id, TimePoint(1'700'003'600s));
        QVERIFY(expected.ok());
        QCOMPARE(n.turnCredential, expected->credential);
        QVERIFY(HubNotice::decode(n.encode()).ok());
        // Another member, another id.
        const auto other = grants.apply(change(MediaRoomChange::Kind::Join, "b", 8));
        QVERIFY(other[0].second.turnUsername != n.turnUsername);
    }

    void credentialsAreRenewedBeforeTheyExpireWhileTheMemberStays()
    {
        FixedClock clock(kStart);
        TurnGrants grants(secret(), clock);
        grants.apply(change(MediaRoomChange::Kind::Join, "a", 7));
        clock.advance(std::chrono::seconds(3600 - 601));
        QVERIFY(grants.renew().empty());
        clock.advance(1s);
        const auto renewed = grants.renew();
        QCOMPARE(renewed.size(), size_t{1});
        QCOMPARE(renewed[0].first, ConnectionId{7});
        QCOMPARE(renewed[0].second.turnExpires, uint64_t{1'700'000'000 + 3000 + 3600});
        QVERIFY(grants.renew().empty()); // once per lifetime, not every tick
    }

    void aMemberThatLeavesGetsNoMore()
    {
        FixedClock clock(kStart);
        TurnGrants grants(secret(), clock);
        grants.apply(change(MediaRoomChange::Kind::Join, "a", 7));
        grants.apply(change(MediaRoomChange::Kind::Join, "b", 8));
        QVERIFY(grants.apply(change(MediaRoomChange::Kind::Leave, "a")).empty());
        QCOMPARE(grants.holders(), size_t{1});
        grants.apply(change(MediaRoomChange::Kind::Close, "x"));
        QCOMPARE(grants.holders(), size_t{0});
        clock.advance(4000s);
        QVERIFY(grants.renew().empty());
    }

    void aResumeOnANewConnectionGetsFreshCredentialsThere()
    {
        FixedClock clock(kStart);
        TurnGrants grants(secret(), clock);
        grants.apply(change(MediaRoomChange::Kind::Join, "a", 7));
        grants.apply(change(MediaRoomChange::Kind::Leave, "a")); // its connection went
        clock.advance(30s);
        const auto back = grants.apply(change(MediaRoomChange::Kind::Join, "a", 9));
        QCOMPARE(back[0].first, ConnectionId{9});
        QCOMPARE(back[0].second.turnExpires, uint64_t{1'700'000'030 + 3600});
    }

    void theSecretFileMustBeTheHubsAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("turn-secret"));
        QCOMPARE(TurnGrants::readSecret(path).error().code, std::string("hub.turn_secret"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("  s3cret \nsecond line ignored\n");
        file.close();
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        const auto exposed = TurnGrants::readSecret(path);
        QVERIFY(!exposed.ok());
        QVERIFY(QString::fromStdString(exposed.error().message).contains("chmod 600"));
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        const auto read = TurnGrants::readSecret(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().message.c_str());
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(read->data()), qsizetype(read->size())),
                 QByteArray("s3cret"));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("\n");
        file.close();
        QVERIFY(
            QString::fromStdString(TurnGrants::readSecret(path).error().message).contains("empty"));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.close(); // no bytes at all
        QVERIFY(
            QString::fromStdString(TurnGrants::readSecret(path).error().message).contains("empty"));
    }
};

QTEST_GUILESS_MAIN(TestTurnGrants)
#include "tst_turngrants.moc"
