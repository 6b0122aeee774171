// SPDX-License-Identifier: GPL-3.0-or-later
// A whole meeting on a hub+janus backend with real processes (docs/scaling.md): conclave-hub
// with two Janus instances (each in its own network namespace, wss with a pinned key), a chair
// and two participants (conclave-cli, test media) whose signed policy lists the backend. Each
// member decodes the others through Janus; a removed member is kicked and rekeyed out while the
// others go on; and when the Janus instance holding the room dies, the hub re-creates the room
// on the other instance and media flows again there.
#include "CliCommands.h"
#include "CliProcess.h"
#include "JanusHub.h"
#include "TestPaths.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>
#include <memory>

using namespace conclave;
using testsupport::cliCommand;
using testsupport::CliProcess;
using testsupport::JanusHub;
using testsupport::JanusProcess;
using testsupport::waitForMedia;

namespace {

/// Frames of `peer`'s `stream` this process decoded through Janus, from its latest `media`
/// line (a line about media that went another way counts nothing).
qint64 decoded(const CliProcess& p, const QString& peer, const char* stream)
{
    qint64 found = 0;
    for (const QJsonObject& line : p.lines())
        if (line.value("event").toString() == QLatin1String("media") &&
            line.value("name").toString() == peer &&
            line.value("stream").toString() == QLatin1String(stream))
            found = line.value("via").toString() == QLatin1String("janus")
                        ? line.value("decoded").toInteger()
                        : 0;
    return found;
}

/// The latest line of `event` this process printed.
QJsonObject latest(const CliProcess& p, const char* event)
{
    QJsonObject found;
    for (const QJsonObject& line : p.lines())
        if (line.value("event").toString() == QLatin1String(event))
            found = line;
    return found;
}

} // namespace

class TestJanusMeeting : public QObject {
    Q_OBJECT

    JanusHub m_sfu{2};

    std::unique_ptr<CliProcess> member(const QStringList& args, const QString& who, bool host)
    {
        return std::make_unique<CliProcess>(
            testsupport::binDir() + "/conclave-cli",
            args + QStringList{"--data", m_sfu.path(who), "--media", "test"} +
                m_sfu.memberArgs(host));
    }

private slots:
    void initTestCase()
    {
        const QString failure = m_sfu.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    void membersMeetThroughJanusSurviveARemovalAndAnInstanceDying()
    {
        auto chair = member({"host", "--title", "Committee", "--marking", "OFFICIAL", "--name",
                             "Chair", "--invite", "Alice", "--invite", "Bob"},
                            "chair", true);
        QMap<QString, QString> invites;
        for (int i = 0; i < 2; ++i) {
            const QJsonObject invite = chair->waitFor("invite", 20000, [&](const QJsonObject& o) {
                return !invites.contains(o.value("name").toString());
            });
            QVERIFY2(!invite.isEmpty(), qPrintable(chair->transcript()));
            invites.insert(invite.value("name").toString(), invite.value("link").toString());
        }
        auto alice = member({"join", invites.value("Alice"), "--name", "Alice"}, "alice", false);
        auto bob = member({"join", invites.value("Bob"), "--name", "Bob"}, "bob", false);
        for (const char* name : {"Alice", "Bob"}) {
            chair->waitFor("knock", 20000, [&](const QJsonObject& o) {
                return o.value("name").toString() == QLatin1String(name);
            });
            chair->send(cliCommand("admit", QLatin1String(name)));
        }
        const QJsonObject room = m_sfu.hub().waitFor("media_room", 15000, [](const QJsonObject& o) {
            return o.value("detail").toString().startsWith("opened on");
        });
        QVERIFY2(!room.isEmpty(), qPrintable(m_sfu.hub().transcript()));

        // Everyone decodes everyone else's audio and video, through Janus.
        const auto everyoneSeesEveryone = [&] {
            for (auto [p, a, b] :
                 {std::tuple{chair.get(), "Alice", "Bob"}, std::tuple{alice.get(), "Chair", "Bob"},
                  std::tuple{bob.get(), "Chair", "Alice"}})
                for (const char* peer : {a, b})
                    if (decoded(*p, peer, "video") < 5 || decoded(*p, peer, "audio") < 5)
                        return false;
            return true;
        };
        if (!waitForMedia(everyoneSeesEveryone, {chair.get(), alice.get(), bob.get()}, 30000)) {
            for (CliProcess* p : {chair.get(), alice.get(), bob.get(), &m_sfu.hub()})
                for (const QString& line : p->transcript().split('\n'))
                    if (!line.contains("\"event\":\"invite\""))
                        qWarning("%s", qPrintable(line.left(400)));
            QFAIL("not everyone decoded everyone else through Janus");
        }
        // The chair publishes once; Janus asked it for keyframes for its new subscribers, and
        // its encoders got at most as many requests as were made.
        const QJsonObject uplink = latest(*chair, "uplink");
        QCOMPARE(uplink.value("via").toString(), QStringLiteral("janus"));
        QVERIFY(uplink.value("bytes").toInteger() > 0);
        QVERIFY2(uplink.value("keyframe_requests_passed").toInteger() >= 1 &&
                     uplink.value("keyframe_requests_passed").toInteger() <=
                         uplink.value("keyframe_requests").toInteger(),
                 qPrintable(QJsonDocument(uplink).toJson(QJsonDocument::Compact)));

        // Bob is removed: he is gone, Alice and the chair go on seeing each other.
        chair->send(cliCommand("remove", "Bob"));
        QVERIFY(bob->waitForExit(20000) != 0);
        alice->waitFor("epoch", 20000,
                       [](const QJsonObject& o) { return o.value("members").toInt() == 2; });
        const qint64 aliceSawChair = decoded(*alice, "Chair", "video");
        QVERIFY(waitForMedia([&] { return decoded(*alice, "Chair", "video") > aliceSawChair + 10; },
                             {chair.get(), alice.get()}, 20000));

        // The instance holding the room dies: the hub moves the room, media flows again.
        const QString placedOn = room.value("detail").toString().section(' ', 2);
        JanusProcess& dying =
            placedOn == m_sfu.janus(0).wssUrl().toString() ? m_sfu.janus(0) : m_sfu.janus(1);
        dying.kill();
        QVERIFY2(!m_sfu.hub()
                      .waitFor("media_room", 20000,
                               [](const QJsonObject& o) {
                                   return o.value("detail").toString().startsWith("moved to");
                               })
                      .isEmpty(),
                 qPrintable(m_sfu.hub().transcript()));
        QTest::qWait(2000); // frames in flight from before the move are not what we count
        alice->send(cliCommand("media-stats"));
        QTest::qWait(500);
        alice->poll();
        const qint64 beforeMove = decoded(*alice, "Chair", "video");
        QVERIFY2(waitForMedia([&] { return decoded(*alice, "Chair", "video") > beforeMove + 10; },
                              {chair.get(), alice.get()}, 30000),
                 qPrintable(alice->transcript() + m_sfu.hub().transcript()));
        chair->send(cliCommand("end"));
        QCOMPARE(chair->waitForExit(), 0);
        QCOMPARE(alice->waitForExit(), 0);
    }
};

QTEST_GUILESS_MAIN(TestJanusMeeting)
#include "tst_janus_meeting.moc"
