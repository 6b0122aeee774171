// SPDX-License-Identifier: GPL-3.0-or-later
// Encrypted media between real conclave-cli processes (--media test) on loopback: a chair on
// its embedded hub and two participants, each decoding the others' audio and video.
#include "CliCommands.h"
#include "CliProcess.h"
#include "TestPaths.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace conclave;
using testsupport::cliCommand;
using testsupport::CliProcess;
using testsupport::waitForMedia;

namespace {

QString cli()
{
    return testsupport::binDir() + QStringLiteral("/conclave-cli");
}

/// The latest `media` line a process printed about (peer name, stream).
QJsonObject latest(const CliProcess& p, const QString& peer, const char* stream)
{
    QJsonObject found;
    for (const QJsonObject& line : p.lines())
        if (line.value("event").toString() == QLatin1String("media") &&
            line.value("name").toString() == peer &&
            line.value("stream").toString() == QLatin1String(stream))
            found = line;
    return found;
}

qint64 decoded(const CliProcess& p, const QString& peer, const char* stream)
{
    return latest(p, peer, stream).value("decoded").toInteger();
}

} // namespace

class TestMediaCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_noConfig;

    std::unique_ptr<CliProcess> join(const QString& link, const char* who)
    {
        return std::make_unique<CliProcess>(
            cli(), QStringList{"join", link, "--name", QLatin1String(who), "--data",
                               m_dir.path() + "/" + who, "--config", m_noConfig, "--media", "test",
                               "--media-address", "127.0.0.1"});
    }

    /// A chair (on its embedded hub) with Alice and Bob admitted, all sending test media.
    struct Three {
        std::unique_ptr<CliProcess> chair, alice, bob;
    };
    Three threeMembers(const QString& tag)
    {
        Three t;
        t.chair = std::make_unique<CliProcess>(
            cli(), QStringList{"host", "--title", "Media", "--marking", "OFFICIAL", "--invite",
                               "Alice", "--invite", "Bob", "--data", m_dir.path() + "/chair" + tag,
                               "--config", m_noConfig, "--name", "Chair", "--media", "test",
                               "--media-address", "127.0.0.1"});
        QStringList links;
        for (int i = 0; i < 2; ++i)
            links << t.chair
                         ->waitFor("invite", 20000,
                                   [&](const QJsonObject& o) {
                                       return !links.contains(o.value("link").toString());
                                   })
                         .value("link")
                         .toString();
        t.alice = join(links[0], qPrintable("alice" + tag));
        t.chair->waitFor("knock");
        t.chair->send(cliCommand("admit", "Alice"));
        t.alice->waitFor("epoch");
        t.bob = join(links[1], qPrintable("bob" + tag));
        t.chair->waitFor("knock", 20000,
                         [](const QJsonObject& o) { return o.value("name").toString() == "Bob"; });
        t.chair->send(cliCommand("admit", "Bob"));
        t.bob->waitFor("epoch");
        return t;
    }

private slots:
    void initTestCase()
    {
        m_noConfig = m_dir.path() + QStringLiteral("/no-config");
        QDir().mkpath(m_noConfig);
    }

    void threeMembersDecodeEachOtherThenARemovedOneGetsNothing()
    {
        Three t = threeMembers(QStringLiteral("1"));
        CliProcess& chair = *t.chair;
        auto& alice = t.alice;
        auto& bob = t.bob;

        // Everyone decodes everyone: hundreds of frames, no failure in the steady state.
        const QList<std::pair<CliProcess*, QStringList>> views{{&chair, {"Alice", "Bob"}},
                                                               {alice.get(), {"Chair", "Bob"}},
                                                               {bob.get(), {"Chair", "Alice"}}};
        const bool flowing = waitForMedia(
            [&] {
                for (const auto& [p, peers] : views)
                    for (const QString& peer : peers)
                        if (decoded(*p, peer, "audio") < 200 || decoded(*p, peer, "video") < 100)
                            return false;
                return true;
            },
            {&chair, alice.get(), bob.get()}, 40000);
        if (!flowing) {
            QFile dump(QDir::tempPath() + QStringLiteral("/tst_media_cli.log"));
            dump.open(QIODevice::WriteOnly);
            dump.write((chair.transcript() + alice->transcript() + bob->transcript()).toUtf8());
        }
        QVERIFY2(flowing, "media did not flow between all three; see tst_media_cli.log in TMPDIR");
        // Steady state: from here on, not one frame fails to decrypt. (A newcomer may drop the
        // odd frame still in flight under the previous key while everyone switches.)
        std::map<QString, qint64> failuresBefore;
        for (const auto& [p, peers] : views)
            for (const QString& peer : peers)
                for (const char* stream : {"audio", "video"}) {
                    const QJsonObject s = latest(*p, peer, stream);
                    QVERIFY2(
                        s.value("failures").toInteger() <= 5,
                        qPrintable(
                            peer + " " + stream + " at " + QString::number(quintptr(p)) +
                            QString::fromUtf8(QJsonDocument(s).toJson(QJsonDocument::Compact))));
                    QVERIFY(s.contains("first_frame_ms"));
                    failuresBefore[QString::number(quintptr(p)) + peer + stream] =
                        s.value("failures").toInteger();
                }
        waitForMedia([] { return false; }, {&chair, alice.get(), bob.get()}, 3000);
        for (const auto& [p, peers] : views)
            for (const QString& peer : peers)
                for (const char* stream : {"audio", "video"})
                    QCOMPARE(latest(*p, peer, stream).value("failures").toInteger(),
                             failuresBefore[QString::number(quintptr(p)) + peer + stream]);
        const QJsonObject chairVideo = latest(*alice, "Chair", "video");
        QCOMPARE(chairVideo.value("width").toInt(), 320);
        QCOMPARE(chairVideo.value("height").toInt(), 240);
        QVERIFY2(chairVideo.value("packets").toInteger() > chairVideo.value("decoded").toInteger(),
                 QJsonDocument(chairVideo).toJson(QJsonDocument::Compact).constData());
        QVERIFY(chairVideo.value("fps").toDouble() > 5);
        QVERIFY(chairVideo.value("kbps").toDouble() > 10);
        QVERIFY(chairVideo.contains("packets_lost"));
        // The chair's media set-up messages went to one member each: nobody saw a gap in what
        // the chair sent everyone (they are numbered apart, docs/protocol.md §2).
        for (CliProcess* p : {alice.get(), bob.get()})
            for (const QJsonObject& line : p->lines())
                QVERIFY2(line.value("code").toString() != QLatin1String("chair_messages_missing"),
                         qPrintable(QJsonDocument(line).toJson(QJsonDocument::Compact)));

        // Bob is removed: the others lose nothing at the key change, Bob decodes nothing more.
        chair.send({{"cmd", "remove"}, {"who", "Bob"}, {"reason", "test"}});
        QCOMPARE(bob->waitForExit(), 5);
        const qint64 bobHadFromAlice = decoded(*bob, "Alice", "video");
        QTest::qWait(500);
        const qint64 aliceFromChair = decoded(*alice, "Chair", "video");
        QVERIFY(
            waitForMedia([&] { return decoded(*alice, "Chair", "video") > aliceFromChair + 60; },
                         {&chair, alice.get()}, 15000));
        for (const char* stream : {"audio", "video"}) { // the removal rekey cost nothing
            QCOMPARE(latest(*alice, "Chair", stream).value("failures").toInteger(),
                     failuresBefore[QString::number(quintptr(alice.get())) + "Chair" + stream]);
            QCOMPARE(latest(chair, "Alice", stream).value("failures").toInteger(),
                     failuresBefore[QString::number(quintptr(&chair)) + "Alice" + stream]);
        }
        QCOMPARE(decoded(*bob, "Alice", "video"), bobHadFromAlice); // its final tally

        // Mute and stop video at the chair: Alice's counts stop.
        chair.send({{"cmd", "audio"}, {"on", false}});
        chair.send({{"cmd", "video"}, {"on", false}});
        QTest::qWait(1500);
        waitForMedia([] { return false; }, {alice.get()}, 1000);
        const qint64 audio = decoded(*alice, "Chair", "audio");
        const qint64 video = decoded(*alice, "Chair", "video");
        waitForMedia([] { return false; }, {alice.get()}, 2500);
        QCOMPARE(decoded(*alice, "Chair", "audio"), audio);
        QCOMPARE(decoded(*alice, "Chair", "video"), video);

        chair.send(cliCommand("end"));
        QCOMPARE(alice->waitForExit(), 0);
        QCOMPARE(chair.waitForExit(), 0);
    }

    void aLoadModeMemberAuthenticatesEveryFrameAndDecodesNone()
    {
        CliProcess chair(cli(),
                         {"host", "--title", "Load", "--marking", "OFFICIAL", "--invite", "Lena",
                          "--data", m_dir.path() + "/chair-load", "--config", m_noConfig, "--name",
                          "Chair", "--media", "test", "--media-address", "127.0.0.1"});
        const QString link = chair.waitFor("invite").value("link").toString();
        CliProcess lena(cli(), {"join", link, "--name", "Lena", "--data",
                                m_dir.path() + "/lena-load", "--config", m_noConfig, "--media",
                                "load", "--media-address", "127.0.0.1"});
        chair.waitFor("knock");
        chair.send(cliCommand("admit", "Lena"));
        lena.waitFor("epoch");
        const auto authenticated = [&](const char* stream) {
            return latest(lena, "Chair", stream).value("decrypted").toInteger();
        };
        QVERIFY(waitForMedia(
            [&] { return authenticated("video") > 60 && authenticated("audio") > 100; },
            {&chair, &lena}, 30000));
        for (const char* stream : {"audio", "video"}) {
            const QJsonObject s = latest(lena, "Chair", stream);
            QCOMPARE(s.value("decoded").toInteger(), 0); // nothing decoded in load mode
            QVERIFY2(s.value("failures").toInteger() <= 5,
                     QJsonDocument(s).toJson(QJsonDocument::Compact).constData());
            QVERIFY(s.contains("first_frame_ms")); // the first authenticated frame
        }
        QVERIFY(lena.has("first_frame"));
        // Lena sends low-resolution test media, which the chair decodes.
        QVERIFY(waitForMedia([&] { return decoded(chair, "Lena", "video") > 20; }, {&chair, &lena},
                             20000));
        QCOMPARE(latest(chair, "Lena", "video").value("width").toInt(), 160);
        QCOMPARE(latest(chair, "Lena", "video").value("height").toInt(), 120);
        chair.send(cliCommand("end"));
        QCOMPARE(lena.waitForExit(), 0);
        QCOMPARE(chair.waitForExit(), 0);
    }

    void chairControlsStopMediaAtTheReceivers()
    {
        Three t = threeMembers(QStringLiteral("2"));
        CliProcess& chair = *t.chair;
        auto& alice = t.alice;
        auto& bob = t.bob;
        const auto all = {&chair, alice.get(), bob.get()};
        QVERIFY(waitForMedia([&] { return decoded(*bob, "Alice", "video") > 20; }, all, 20000));

        // Sharing needs the chair's permission; once given, Bob sees Alice's screen.
        bob->send({{"cmd", "share"}, {"on", true}});
        QCOMPARE(bob->waitFor("error").value("code").toString(),
                 QStringLiteral("meeting.share_not_allowed"));
        chair.send(cliCommand("allow-share", "Alice"));
        alice->waitFor("control");
        alice->send({{"cmd", "share"}, {"on", true}});
        QVERIFY(waitForMedia([&] { return decoded(*bob, "Alice", "screen") > 3; }, all, 15000));
        // Revoked: it stops at once (Alice stops sending, and nobody holds her screen key).
        chair.send(cliCommand("revoke-share", "Alice"));
        QTest::qWait(1500);
        waitForMedia([] { return false; }, all, 1000);
        const qint64 screen = decoded(*bob, "Alice", "screen");
        waitForMedia([] { return false; }, all, 3000);
        QCOMPARE(decoded(*bob, "Alice", "screen"), screen);

        // Stop video: Alice's camera stops at Bob; her audio goes on.
        chair.send(cliCommand("stop-video", "Alice"));
        QTest::qWait(1500);
        waitForMedia([] { return false; }, all, 1000);
        const qint64 video = decoded(*bob, "Alice", "video");
        const qint64 audio = decoded(*bob, "Alice", "audio");
        waitForMedia([] { return false; }, all, 2500);
        QCOMPARE(decoded(*bob, "Alice", "video"), video);
        QVERIFY(decoded(*bob, "Alice", "audio") > audio + 50);

        // Suspend: everything stops, everywhere.
        chair.send(cliCommand("suspend"));
        QTest::qWait(1500);
        waitForMedia([] { return false; }, all, 1000);
        std::map<QString, qint64> before;
        for (const char* stream : {"audio", "video"}) {
            before[QStringLiteral("c") + stream] = decoded(*bob, "Chair", stream);
            before[QStringLiteral("a") + stream] = decoded(*bob, "Alice", stream);
            before[QStringLiteral("b") + stream] = decoded(*alice, "Bob", stream);
        }
        waitForMedia([] { return false; }, all, 2500);
        for (const char* stream : {"audio", "video"}) {
            QCOMPARE(decoded(*bob, "Chair", stream), before[QStringLiteral("c") + stream]);
            QCOMPARE(decoded(*bob, "Alice", stream), before[QStringLiteral("a") + stream]);
            QCOMPARE(decoded(*alice, "Bob", stream), before[QStringLiteral("b") + stream]);
        }
        chair.send(cliCommand("end"));
        QCOMPARE(alice->waitForExit(), 0);
        QCOMPARE(bob->waitForExit(), 0);
    }
};

QTEST_GUILESS_MAIN(TestMediaCli)
#include "tst_media_cli.moc"
