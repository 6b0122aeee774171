// SPDX-License-Identifier: GPL-3.0-or-later
// conclave-hub killed and started again on the same data directory (docs/operations.md, "The
// hub's saved state"): the meeting is still there, a member resumes its place on a new
// connection, the chair opens it again and the room's traffic flows; a spent invite stays
// spent. A state file the hub cannot use stops it, named, and is left as it was.
#include "HubProcess.h"
#include "HubTestClient.h"
#include "TestMeeting.h"
#include "hub/HubStateStore.h"
#include "meeting/MessageBodies.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

#include <memory>
#include <sys/stat.h>

using namespace conclave;
using namespace conclave::hubtest;
using Kind = hub::HubNotice::Kind;
using protocol::MessageType;

namespace {

TimePoint inAnHour()
{
    return std::chrono::system_clock::now() + std::chrono::hours(1);
}

QString statePath(const HubProcess& hub)
{
    return hub.dataDir() + QLatin1Char('/') + QLatin1String(hub::HubStateStore::kFileName);
}

} // namespace

class TestHubRestartProcess : public QObject {
    Q_OBJECT

    std::unique_ptr<HubTestClient> connectTo(HubProcess& hub)
    {
        auto client = std::make_unique<HubTestClient>(hub.spki());
        if (!client->open(hub.url()))
            qWarning("could not connect to the hub");
        return client;
    }

private slots:
    void aMemberResumesAfterTheHubWasKilledAndStartedAgain()
    {
        HubProcess hub; // stopped by its destructor even when the test fails
        QString error;
        QVERIFY2(hub.start({}, &error), qPrintable(error));
        TestMeeting m(hub.spki());
        TestPerson bob, mallory;
        const QByteArray bobsInvite = m.invite(nullptr, inAnHour());
        {
            auto chair = connectTo(hub);
            chair->send(m.create());
            QVERIFY(chair->waitForNotice(Kind::Created));
            auto bobC = connectTo(hub);
            bobC->send(m.knock(bob, bobsInvite));
            QVERIFY(bobC->waitForNotice(Kind::Lobby));
            QVERIFY(chair->next()); // the knock
            chair->send(m.admit(bob));
            QVERIFY(bobC->waitForNotice(Kind::Admitted)); // saved before it was sent
            hub.kill(); // no clean stop: what was saved as it happened is all there is
            QVERIFY(bobC->waitForClose());
        }
        struct stat st {};
        QCOMPARE(::stat(QFile::encodeName(statePath(hub)).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));

        const QString pin = hub.spki();
        QVERIFY2(hub.start({}, &error), qPrintable(error));
        QCOMPARE(hub.spki(), pin); // the same hub, on a new port
        QVERIFY(
            QTest::qWaitFor([&] { return hub.count(QStringLiteral("meeting_restored")) == 1; }));

        // Bob is back before the chair: the hub gives him his place.
        auto bobC = connectTo(hub);
        bobC->send(bob.envelope(MessageType::Resume, m.id, meeting::EpochBody{1}.encode()));
        QVERIFY(bobC->waitForNotice(Kind::Resumed));
        QVERIFY(QTest::qWaitFor([&] { return hub.count(QStringLiteral("resumed")) == 1; }));

        auto chair = connectTo(hub);
        chair->send(m.create());
        QVERIFY(chair->waitForNotice(Kind::Created));
        QVERIFY(bobC->waitForNotice(Kind::Back));
        const QByteArray heartbeat = m.heartbeat();
        chair->send(heartbeat);
        QCOMPARE(bobC->next().value_or(QByteArray()), heartbeat);
        const QByteArray ack = m.ack(bob);
        bobC->send(ack);
        std::optional<QByteArray> atChair;
        while ((atChair = chair->next()) && hub::HubNotice::isNotice(*atChair)) {
        }
        QCOMPARE(atChair.value_or(QByteArray()), ack);

        // Bob's invite is still spent.
        auto thief = connectTo(hub);
        thief->send(m.knock(mallory, bobsInvite));
        const auto refused = thief->waitForNotice(Kind::Refused);
        QVERIFY(refused);
        QCOMPARE(refused->code, QStringLiteral("invite.used"));
        QCOMPARE(hub.stop(), 0);
    }

    void aStateFileItCannotUseStopsTheHub()
    {
        HubProcess hub;
        QString error;
        QVERIFY2(hub.start({}, &error), qPrintable(error)); // makes the data directory
        hub.kill();
        const QString path = statePath(hub);
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        const QByteArray garbage(4096, 'x');
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(garbage);
        }

        QProcess p;
        p.start(qEnvironmentVariable("CONCLAVE_BIN_DIR") + QStringLiteral("/conclave-hub"),
                {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                 QStringLiteral("--data"), hub.dataDir(), QStringLiteral("--allow-any-chair")});
        QVERIFY(p.waitForFinished(15000));
        QCOMPARE(p.exitCode(), 1);
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), qsizetype(1)); // it never listened
        const QJsonObject line = QJsonDocument::fromJson(lines.first()).object();
        QCOMPARE(line.value(QStringLiteral("event")).toString(), QStringLiteral("error"));
        QCOMPARE(line.value(QStringLiteral("code")).toString(),
                 QStringLiteral("hub.state_corrupt"));
        const QString reason = line.value(QStringLiteral("reason")).toString();
        QVERIFY2(reason.contains(path) && reason.contains(QStringLiteral("mv ")),
                 qPrintable(reason));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), garbage); // never reset, repaired or deleted
    }
};

QTEST_GUILESS_MAIN(TestHubRestartProcess)
#include "tst_hub_restart.moc"
