// SPDX-License-Identifier: GPL-3.0-or-later
// Faults injected into real meetings (docs/operations.md "Faults, measured"): a standalone
// conclave-hub on a veth pair, a chair (conclave-cli host --hub) and three members
// (conclave-cli join), all sending and decoding test media through the mesh; and a hub+janus
// meeting on two Janus instances. Each fault prints one line of figures - time to detect, time
// to recover (every member back, epoch codes equal to the chair's, media decoded again), frames
// decoded against frames sent over the fault - and checks what must hold whatever the timing:
// nobody's meeting ends, everyone ends on the chair's epoch, a member removed during the fault
// decrypts nothing after its removal, media degrades under loss rather than stopping. Bounds on
// time are generous (the goals are reported, not asserted: tests are no benchmarks).
#include "CliCommands.h"
#include "CliProcess.h"
#include "FaultFigures.h"
#include "Percentile.h"
#include "PrivateNetwork.h"
#include "TestPaths.h"
#include "VethNamespace.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include <functional>
#include <memory>

using namespace conclave;
using testsupport::cliCommand;
using testsupport::CliProcess;
using namespace conclave::faults;
using testsupport::percentile;

namespace {

/// Set by main() before anything else runs (a network namespace is entered per thread).
QString g_namespaceError;

const QString kTable = QStringLiteral("conclave_fault");

/// Packets to and from `address` that match `which` (nftables; empty: all) are dropped.
/// Replaces earlier rules.
QString dropTraffic(const QString& address, const QString& which)
{
    return testsupport::applyNftables(
        QStringLiteral("add table inet %1\n"
                       "delete table inet %1\n"
                       "table inet %1 {\n"
                       "  chain in {\n"
                       "    type filter hook input priority filter; policy accept;\n"
                       "    ip saddr %2 %3 drop\n"
                       "  }\n"
                       "  chain out {\n"
                       "    type filter hook output priority filter; policy accept;\n"
                       "    ip daddr %2 %3 drop\n"
                       "  }\n"
                       "}\n")
            .arg(kTable, address, which));
}

/// Everything to and from `address` is dropped silently, as when a member's network goes.
QString cutOff(const QString& address)
{
    return dropTraffic(address, {});
}

/// `percent` % of the UDP packets to and from `address` are dropped at random: all of its
/// media (RTP, RTCP, retransmissions, ICE checks) and nothing of its hub connection (TCP).
QString loseMedia(const QString& address, int percent)
{
    return dropTraffic(address,
                       QStringLiteral("meta l4proto udp numgen random mod 100 < %1").arg(percent));
}

QString reconnect()
{
    return testsupport::applyNftables(QStringLiteral("delete table inet %1\n").arg(kTable));
}

QString cli()
{
    return testsupport::binDir() + QStringLiteral("/conclave-cli");
}

QString hubProgram()
{
    return testsupport::binDir() + QStringLiteral("/conclave-hub");
}

} // namespace

class TestFaults : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_noConfig;

    /// A standalone hub, a chair on it and Alice, Bob and Carol admitted, media flowing.
    struct Meeting {
        /// Alice's network: a namespace of her own behind a veth pair; the hub and everyone
        /// else are on the test's side of it (hostAddress), so her network can be cut alone.
        std::unique_ptr<testsupport::VethNamespace> net;
        QString hubData;
        quint16 port = 0;
        QString url;
        QString pin;
        std::unique_ptr<CliProcess> hub;
        std::unique_ptr<CliProcess> chair;
        std::map<QString, std::unique_ptr<CliProcess>> members; ///< by name
        /// Alice's media uses whatever addresses her namespace has (no --media-address), so
        /// that they can change under her.
        bool aliceFollowsHerNetwork = false;
        QList<CliProcess*> everyone() const
        {
            QList<CliProcess*> all{chair.get()};
            for (const auto& [name, p] : members)
                if (p)
                    all << p.get();
            return all;
        }
        /// Every member's latest epoch code is the chair's latest.
        bool codesAgree(const QStringList& names) const
        {
            const QString chairs =
                last(*chair, QStringLiteral("epoch")).value("epoch_code").toString();
            if (chairs.isEmpty())
                return false;
            for (const QString& name : names)
                if (last(*members.at(name), QStringLiteral("epoch"))
                        .value("epoch_code")
                        .toString() != chairs)
                    return false;
            return true;
        }
    };

    /// Starts conclave-hub on `port` (0: any free one) with the meeting's data directory.
    bool startHub(Meeting& m)
    {
        const QString listen = QStringLiteral("%1:%2").arg(m.net->hostAddress()).arg(m.port);
        m.hub =
            std::make_unique<CliProcess>(hubProgram(), QStringList{"--listen", listen, "--data",
                                                                   m.hubData, "--allow-any-chair"});
        const QJsonObject listening = m.hub->waitFor(QStringLiteral("listening"));
        if (listening.isEmpty()) {
            qWarning("the hub did not start: %s", qPrintable(m.hub->transcript()));
            return false;
        }
        m.url = listening.value("url").toString();
        m.pin = listening.value("spki").toString();
        m.port = quint16(QUrl(m.url).port());
        return true;
    }

    /// `who` joins by `link`; Alice from her own namespace.
    std::unique_ptr<CliProcess> join(const Meeting& m, const QString& link, const QString& who,
                                     const QString& tag)
    {
        const bool alice = who == QLatin1String("Alice");
        QStringList args{"join",
                         link,
                         "--name",
                         who,
                         "--data",
                         m_dir.path() + "/" + tag + who,
                         "--config",
                         m_noConfig,
                         "--media",
                         "test",
                         "--media-address",
                         alice ? m.net->innerAddress() : m.net->hostAddress()};
        if (alice && m.aliceFollowsHerNetwork)
            args.resize(args.size() - 2);
        if (!alice)
            return std::make_unique<CliProcess>(cli(), args);
        // `ip netns exec` execs the program: the process is conclave-cli itself.
        return std::make_unique<CliProcess>(
            QStringLiteral("ip"), QStringList{"netns", "exec", m.net->name(), cli()} + args);
    }

    bool setUp(Meeting& m, const QString& tag, bool aliceFollowsHerNetwork = false)
    {
        m.aliceFollowsHerNetwork = aliceFollowsHerNetwork;
        m.net = std::make_unique<testsupport::VethNamespace>(QStringLiteral("fault"), 79,
                                                             QStringLiteral("cf"));
        if (const QString e = m.net->setUp(); !e.isEmpty()) {
            qWarning("Alice's network could not be made: %s", qPrintable(e));
            return false;
        }
        m.hubData = m_dir.path() + "/hub" + tag;
        if (!startHub(m))
            return false;
        const QStringList names{"Alice", "Bob", "Carol"};
        QStringList args{"host",  "--title", "Fault drill", "--marking", "OFFICIAL",
                         "--hub", m.url,     "--pin",       m.pin};
        args << "--data" << m_dir.path() + "/chair" + tag << "--config" << m_noConfig << "--name"
             << "Chair"
             << "--media"
             << "test"
             << "--media-address" << m.net->hostAddress();
        for (const QString& name : names)
            args << "--invite" << name;
        m.chair = std::make_unique<CliProcess>(cli(), args);
        std::map<QString, QString> links;
        for (int i = 0; i < names.size(); ++i) {
            const QJsonObject invite = m.chair->waitFor("invite", 20000, [&](const QJsonObject& o) {
                return !links.count(o.value("name").toString());
            });
            if (invite.isEmpty()) {
                qWarning("the chair did not start (exit %d): %s", m.chair->waitForExit(1000),
                         qPrintable(m.chair->stderrText()));
                return false;
            }
            links[invite.value("name").toString()] = invite.value("link").toString();
        }
        for (const QString& name : names) {
            m.members[name] = join(m, links[name], name, tag);
            if (m.chair
                    ->waitFor(
                        "knock", 20000,
                        [&](const QJsonObject& o) { return o.value("name").toString() == name; })
                    .isEmpty()) {
                qWarning("%s's knock never came: %s", qPrintable(name),
                         qPrintable(m.members[name]->stderrText().right(2000)));
                return false;
            }
            m.chair->send(cliCommand("admit", name));
            if (m.members[name]->waitFor("epoch").isEmpty()) {
                qWarning("%s was not admitted: %s", qPrintable(name),
                         qPrintable(m.members[name]->transcript().right(2000)));
                return false;
            }
        }
        // Everyone on the chair's epoch, and everyone decoding the chair's camera.
        const auto flowing = [&] {
            if (!m.codesAgree(names))
                return false;
            for (const QString& name : names)
                if (decodedFrom(*m.members[name], QStringLiteral("Chair")) <= 0)
                    return false;
            return true;
        };
        if (msUntil(flowing, m.everyone(), 30000, true) < 0) {
            qWarning("media did not flow to everyone:\n%s",
                     qPrintable(m.members["Alice"]->transcript().right(3000)));
            return false;
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(g_namespaceError.isEmpty(), qPrintable(g_namespaceError));
        QVERIFY(QFile::exists(cli()));
        QVERIFY(QFile::exists(hubProgram()));
        m_noConfig = m_dir.path() + QStringLiteral("/no-config");
        QDir().mkpath(m_noConfig);
    }

    void theHubIsKilledAndStartedAgain()
    {
        // The hub is killed and started again kRestarts times in one meeting: down 3 s the
        // first time (as for an upgrade), 1 s after that. The recovery goal is a 95th
        // percentile (docs/operations.md "Faults, measured"), so it is taken over the restarts
        // and printed, not asserted (a timing); each restart must recover at all.
        constexpr int kRestarts = 8;
        Meeting m;
        QVERIFY2(setUp(m, QStringLiteral("restart")), "the meeting did not start");
        const QStringList names{"Alice", "Bob", "Carol"};
        CliProcess& alice = *m.members["Alice"];
        CliProcess& bob = *m.members["Bob"];
        const QList<CliProcess*> clients = m.everyone();
        const Sample sampled = sampleMedia(clients);
        const Tally before = tallyOf(sampled, bob, QStringLiteral("Bob"), alice);
        std::vector<double> detections;
        std::vector<double> recoveries;
        for (int restart = 0; restart < kRestarts; ++restart) {
            std::map<CliProcess*, qsizetype> reconnectingBefore;
            std::map<CliProcess*, qsizetype> resumedBefore;
            for (CliProcess* p : clients) {
                p->poll();
                reconnectingBefore[p] =
                    countOf(*p, QStringLiteral("connection"), connectionState("reconnecting"));
                resumedBefore[p] =
                    countOf(*p, QStringLiteral("connection"), connectionState("resumed"));
            }
            const qint64 aliceBefore = decodedFrom(alice, QStringLiteral("Bob"));
            m.hub->kill(); // no clean stop: what the hub saved as it went is all it has
            const qint64 detected = msUntil(
                [&] {
                    for (CliProcess* p : clients)
                        if (countOf(*p, QStringLiteral("connection"),
                                    connectionState("reconnecting")) <= reconnectingBefore[p])
                            return false;
                    return true;
                },
                clients, 20000);
            QTest::qWait(restart == 0 ? 3000 : 1000);
            for (CliProcess* p : clients)
                p->send(cliCommand("media-stats"));
            msUntil([] { return false; }, clients, 1200);
            // The mesh's media needs no hub: it went on meanwhile.
            const qint64 aliceDuring = decodedFrom(alice, QStringLiteral("Bob"));
            QVERIFY(startHub(m)); // the same data directory and port: the same hub, restarted
            const qint64 recovered = msUntil(
                [&] {
                    for (CliProcess* p : clients)
                        if (countOf(*p, QStringLiteral("connection"), connectionState("resumed")) <=
                            resumedBefore[p])
                            return false;
                    return m.codesAgree(names) &&
                           decodedFrom(alice, QStringLiteral("Bob")) > aliceDuring;
                },
                clients, 60000, true);
            const QString transcripts =
                m.chair->transcript() + alice.transcript() + m.hub->transcript();
            QVERIFY2(detected >= 0, qPrintable(transcripts.right(4000)));
            QVERIFY2(recovered >= 0, qPrintable(transcripts.right(4000)));
            QVERIFY2(aliceDuring > aliceBefore, "media stopped with the hub");
            m.hub->poll();
            QVERIFY2(m.hub->has(QStringLiteral("meeting_restored")),
                     qPrintable(m.hub->transcript()));
            detections.push_back(double(detected));
            recoveries.push_back(double(recovered));
        }
        const Sample later = sampleMedia(clients);
        const Tally after = tallyOf(later, bob, QStringLiteral("Bob"), alice);
        qInfo("fault hub_restart: %d restarts (down 3 s, then 1 s); detect p50 %s, max %s "
              "(every client reconnecting); recover p50 %s, p95 %s, max %s after the restart "
              "(every client resumed, codes equal, media); from the first kill to the end "
              "Alice %s",
              kRestarts, qPrintable(figure(qint64(percentile(detections, 0.5)))),
              qPrintable(figure(qint64(percentile(detections, 1)))),
              qPrintable(figure(qint64(percentile(recoveries, 0.5)))),
              qPrintable(figure(qint64(percentile(recoveries, 0.95)))),
              qPrintable(figure(qint64(percentile(recoveries, 1)))),
              qPrintable(framesFigure(before, after)));
        for (CliProcess* p : clients)
            QVERIFY2(!p->has(QStringLiteral("ended")), qPrintable(p->transcript().right(2000)));
    }

    void aMemberIsCutOffWhileSomeoneIsRemoved_data()
    {
        QTest::addColumn<int>("seconds");
        QTest::newRow("5 s") << 5;
        QTest::newRow("20 s") << 20;
        QTest::newRow("60 s") << 60;
    }

    void aMemberIsCutOffWhileSomeoneIsRemoved()
    {
        // Alice's network goes (every packet to and from her address dropped, as on a train
        // entering a tunnel): nothing she was sent meanwhile reaches her. Meanwhile the chair
        // removes Carol.
        QFETCH(int, seconds);
        Meeting m;
        QVERIFY2(setUp(m, QStringLiteral("cut%1").arg(seconds)), "the meeting did not start");
        CliProcess& alice = *m.members["Alice"];
        CliProcess& carol = *m.members["Carol"];
        CliProcess& bob = *m.members["Bob"];
        const QList<CliProcess*> present{m.chair.get(), &alice, &bob};
        const Sample sampled = sampleMedia(present);
        const Tally before = tallyOf(sampled, bob, QStringLiteral("Bob"), alice);

        QVERIFY2(cutOff(m.net->innerAddress()).isEmpty(), "the cut could not be made");
        QElapsedTimer sinceCut;
        sinceCut.start();
        QTest::qWait(1000);
        m.chair->send({{"cmd", "remove"}, {"who", "Carol"}, {"reason", "fault drill"}});
        QCOMPARE(carol.waitForExit(), 5);
        const qint64 carolOut = sinceCut.elapsed();
        // The chair notices that Alice has not taken the new key (and sends it to her again).
        const qint64 noticed = msUntil(
            [&] {
                return countOf(*m.chair, QStringLiteral("resynced"), [](const QJsonObject& o) {
                           return o.value("name").toString() == QLatin1String("Alice");
                       }) > 0;
            },
            present, qMax(0, seconds * 1000 - int(sinceCut.elapsed())));
        const qint64 rest = seconds * 1000 - sinceCut.elapsed();
        if (rest > 0)
            msUntil([] { return false; }, present, int(rest));

        // Her last media line before the network returns: frames after it are new ones.
        alice.send(cliCommand("media-stats"));
        msUntil([] { return false; }, present, 1500);
        const qint64 aliceAtReturn = decodedFrom(alice, QStringLiteral("Bob"));
        const qint64 aliceDetected =
            countOf(alice, QStringLiteral("connection"), connectionState("reconnecting")) > 0;
        QVERIFY2(reconnect().isEmpty(), "the network could not be given back");
        const qint64 recovered = msUntil(
            [&] {
                return m.codesAgree({QStringLiteral("Alice"), QStringLiteral("Bob")}) &&
                       decodedFrom(alice, QStringLiteral("Bob")) > aliceAtReturn;
            },
            present, 60000, true);
        // Five seconds after the network returned: what was sent during the cut never arrives.
        msUntil([] { return false; }, present, int(qMax<qint64>(0, 5000 - recovered)), true);
        const Sample later = sampleMedia(present);
        const Tally after = tallyOf(later, bob, QStringLiteral("Bob"), alice);
        const QJsonObject aliceEpoch = last(alice, QStringLiteral("epoch"));
        qInfo("fault member_cut_%ds: Carol removed %lld ms into the cut; chair noticed Alice "
              "behind %s after the removal; Alice saw her connection go: %s; recover %s after "
              "the network returned (codes equal, media); of Bob's camera from the cut to 5 s "
              "after it Alice %s; her epoch now %lld with %lld members",
              seconds, carolOut, qPrintable(figure(noticed < 0 ? -1 : noticed)),
              aliceDetected ? "yes" : "no", qPrintable(figure(recovered)),
              qPrintable(framesFigure(before, after)), aliceEpoch.value("epoch").toInteger(),
              aliceEpoch.value("members").toInteger());
        QVERIFY2(recovered >= 0, qPrintable(alice.transcript().right(4000)));
        QCOMPARE(aliceEpoch.value("members").toInteger(), qint64(3)); // chair, Alice, Bob
        QVERIFY2(!alice.has(QStringLiteral("ended")), qPrintable(alice.transcript().right(2000)));
        // Carol was out before the new key existed: she never printed an epoch past the one she
        // was removed from, nor decoded anything after (her process ended with the removal).
        const qint64 carolsLast = last(carol, QStringLiteral("epoch")).value("epoch").toInteger();
        QVERIFY(carolsLast < aliceEpoch.value("epoch").toInteger());
    }

    void aMembersMediaLosesPackets()
    {
        // 2, 10 and 30 % of Alice's UDP packets, both ways, are dropped at random (media,
        // RTCP, retransmissions and ICE checks alike; her hub connection is TCP and kept), ten
        // seconds each after two to settle, in one meeting. Measured on what left the senders:
        // Bob's camera and microphone at Alice, and Alice's camera at Bob. Goals
        // (docs/operations.md): at 10 % >= 90 % of the camera's frames decoded and the audio
        // continuous; at 30 % the audio still continuous (FEC and concealment) and the camera
        // slower, never frozen. Asserted more loosely, against the clean figures of the same
        // run: the camera's goal is met in some runs and directions, not all (docs/operations.md
        // "Faults, measured": with NACKs and retransmissions lost too, up to 6 % of its packets
        // stay lost in some runs, and each costs the frames until the next keyframe).
        Meeting m;
        QVERIFY2(setUp(m, QStringLiteral("loss")), "the meeting did not start");
        CliProcess& alice = *m.members["Alice"];
        CliProcess& bob = *m.members["Bob"];
        const QList<CliProcess*> all = m.everyone();
        struct Level {
            int percent;
            double video = -1, audio = -1, aliceVideo = -1;
        };
        std::vector<Level> levels{{0}, {2}, {10}, {30}};
        for (Level& level : levels) {
            QVERIFY2(loseMedia(m.net->innerAddress(), level.percent).isEmpty(),
                     "the loss could not be set");
            msUntil([] { return false; }, all, 2000, true);
            const Sample sampled = sampleMedia(all);
            const Tally video = tallyOf(sampled, bob, QStringLiteral("Bob"), alice);
            const Tally audio = tallyOf(sampled, bob, QStringLiteral("Bob"), alice, "audio");
            const Tally aliceVideo = tallyOf(sampled, alice, QStringLiteral("Alice"), bob);
            msUntil([] { return false; }, all, 10000, true);
            const Sample later = sampleMedia(all);
            const Tally videoAfter = tallyOf(later, bob, QStringLiteral("Bob"), alice);
            const Tally audioAfter = tallyOf(later, bob, QStringLiteral("Bob"), alice, "audio");
            const Tally aliceVideoAfter = tallyOf(later, alice, QStringLiteral("Alice"), bob);
            level.video = decodedShare(video, videoAfter);
            level.audio = decodedShare(audio, audioAfter);
            level.aliceVideo = decodedShare(aliceVideo, aliceVideoAfter);
            qInfo("fault media_loss_%d%%: Bob's camera at Alice %s; his microphone %s; Alice's "
                  "camera at Bob %s",
                  level.percent, qPrintable(framesFigure(video, videoAfter)),
                  qPrintable(framesFigure(audio, audioAfter)),
                  qPrintable(framesFigure(aliceVideo, aliceVideoAfter)));
        }
        QVERIFY2(reconnect().isEmpty(), "the loss could not be taken away");
        const Level& clean = levels[0];
        const Level& tenPercent = levels[2];
        const Level& thirtyPercent = levels[3];
        QVERIFY2(clean.video > 0.5 && clean.audio > 0.5 && clean.aliceVideo > 0.5,
                 "media did not flow on a clean network");
        for (const Level& level : levels) {
            // Nothing is decoded that was not sent (a frame is decoded once).
            QVERIFY(level.video <= 1.05);
            QVERIFY(level.aliceVideo <= 1.05);
        }
        QVERIFY2(tenPercent.video >= 0.4 * clean.video &&
                     tenPercent.aliceVideo >= 0.4 * clean.aliceVideo,
                 "the camera did not hold up at 10 % loss");
        QVERIFY2(tenPercent.audio >= 0.85 * clean.audio, "audio broke up at 10 % loss");
        QVERIFY2(thirtyPercent.audio >= 0.75 * clean.audio, "audio broke up at 30 % loss");
        QVERIFY2(thirtyPercent.video > 0.05 && thirtyPercent.aliceVideo > 0.05,
                 "the camera froze at 30 % loss");
        for (CliProcess* p : all)
            QVERIFY2(!p->has(QStringLiteral("ended")), qPrintable(p->transcript().right(2000)));
    }

    void aMembersNetworkChanges()
    {
        // Alice's laptop moves to another network: her address is replaced (as when it leaves
        // one Wi-Fi for another), so her hub connection and every media path she had are gone
        // for good. Her client notices the dead connection, reconnects and resumes from the new
        // address; its addresses differ from those its media started with, so its links are
        // made anew (the offerer's at once, the others asked for), and media flows again both
        // ways. A cut that leaves the address as it was remakes nothing (the cases above).
        Meeting m;
        QVERIFY2(setUp(m, QStringLiteral("move"), true), "the meeting did not start");
        CliProcess& alice = *m.members["Alice"];
        CliProcess& bob = *m.members["Bob"];
        const QList<CliProcess*> all = m.everyone();
        const Sample sampled = sampleMedia(all);
        const Tally before = tallyOf(sampled, bob, QStringLiteral("Bob"), alice);

        const QString newAddress = m.net->address(3);
        const auto inAlices = [&](const QStringList& command) {
            return testsupport::runIp(QStringList{"-n", m.net->name()} + command);
        };
        // Removing a subnet's first address removes the others with it unless they are
        // promoted: the new one must stay.
        QVERIFY(QProcess::execute(QStringLiteral("ip"),
                                  {"netns", "exec", m.net->name(), "sysctl", "-q", "-w",
                                   "net.ipv4.conf.all.promote_secondaries=1"}) == 0);
        QVERIFY(QProcess::execute(
                    QStringLiteral("ip"),
                    {"netns", "exec", m.net->name(), "sysctl", "-q", "-w",
                     "net.ipv4.conf." + m.net->innerInterface() + ".promote_secondaries=1"}) == 0);
        const QString added =
            inAlices({"addr", "add", newAddress + "/24", "dev", m.net->innerInterface()});
        QVERIFY2(added.isEmpty(), qPrintable(added));
        const QString removed = inAlices(
            {"addr", "del", m.net->innerAddress() + "/24", "dev", m.net->innerInterface()});
        QVERIFY2(removed.isEmpty(), qPrintable(removed));
        QElapsedTimer sinceMove;
        sinceMove.start();
        const qint64 detected = msUntil(
            [&] {
                return countOf(alice, QStringLiteral("connection"),
                               connectionState("reconnecting")) > 0;
            },
            all, 30000);
        // What was decoded by the time the connection was seen dead: frames after it are new.
        const Sample dead = sampleMedia(all);
        const qint64 aliceAtDeath = tallyOf(dead, bob, QStringLiteral("Bob"), alice).decoded;
        const qint64 bobAtDeath = tallyOf(dead, alice, QStringLiteral("Alice"), bob).decoded;
        msUntil(
            [&] {
                return decodedFrom(alice, QStringLiteral("Bob")) > aliceAtDeath + 10 &&
                       decodedFrom(bob, QStringLiteral("Alice")) > bobAtDeath + 10;
            },
            all, 60000, true);
        const qint64 recovered = decodedFrom(alice, QStringLiteral("Bob")) > aliceAtDeath + 10 &&
                                         decodedFrom(bob, QStringLiteral("Alice")) > bobAtDeath + 10
                                     ? sinceMove.elapsed()
                                     : -1;
        msUntil([] { return false; }, all, 2000, true);
        const Sample later = sampleMedia(all);
        const Tally after = tallyOf(later, bob, QStringLiteral("Bob"), alice);
        const qint64 remade = firstAfter(alice, later.at(&alice), QStringLiteral("uplink"))
                                  .value("links_remade")
                                  .toInteger(-1);
        qInfo("fault address_change: detect %s (Alice's client reconnecting), recover %s after "
              "the change (Alice and Bob decode each other again); Alice's client made %lld "
              "links anew; of Bob's camera from the change on Alice %s (%lld by the time her "
              "connection was seen dead)",
              qPrintable(figure(detected)), qPrintable(figure(recovered)), remade,
              qPrintable(framesFigure(before, after)), aliceAtDeath - before.decoded);
        QVERIFY2(detected >= 0, qPrintable(alice.transcript().right(3000)));
        QString story; // what Alice's client said about its connection and links
        for (const QJsonObject& line : alice.lines())
            if (line.value("event") != QLatin1String("media") &&
                line.value("event") != QLatin1String("send_rate") &&
                line.value("event") != QLatin1String("uplink"))
                story += QJsonDocument(line).toJson(QJsonDocument::Compact).left(300) + '\n';
        if (recovered < 0 || remade < 1)
            qWarning("Alice's client:\n%s\nthe hub:\n%s", qPrintable(story.right(8000)),
                     qPrintable(m.hub->transcript().right(4000)));
        QVERIFY(recovered >= 0);
        QVERIFY(remade >= 1);
        for (CliProcess* p : all)
            QVERIFY2(!p->has(QStringLiteral("ended")), qPrintable(p->transcript().right(2000)));
    }

    void theChairIsKilled_data()
    {
        QTest::addColumn<bool>("coChair");
        QTest::newRow("with a co-chair") << true;
        QTest::newRow("without a co-chair") << false;
    }

    void theChairIsKilled()
    {
        // The chair's machine dies (SIGKILL). With a co-chair (Bob), Bob takes over and the
        // others follow him to a new epoch without the old chair; without one, the meeting
        // stays as it was - members keep their media and nobody can be admitted.
        QFETCH(bool, coChair);
        Meeting m;
        QVERIFY2(setUp(m, coChair ? QStringLiteral("chairco") : QStringLiteral("chairalone")),
                 "the meeting did not start");
        CliProcess& alice = *m.members["Alice"];
        CliProcess& bob = *m.members["Bob"];
        CliProcess& carol = *m.members["Carol"];
        const QList<CliProcess*> members{&alice, &bob, &carol};
        if (coChair) {
            m.chair->send(cliCommand("co-chair", "Bob"));
            QVERIFY(bob.waitFor("co_chair").value("you").toBool());
        }
        const Sample sampled = sampleMedia(members);
        const Tally before = tallyOf(sampled, bob, QStringLiteral("Bob"), alice);

        m.chair->kill();
        const auto warned = [](CliProcess& p) {
            return countOf(p, QStringLiteral("warning"), [](const QJsonObject& o) {
                       return o.value("code").toString() == QLatin1String("chair_gone");
                   }) > 0;
        };
        const qint64 detected =
            msUntil([&] { return warned(alice) && warned(bob) && warned(carol); }, members, 30000);
        qint64 recovered = -1;
        if (coChair) {
            bob.send(cliCommand("take-over"));
            recovered = msUntil(
                [&] {
                    const QJsonObject bobs = last(bob, QStringLiteral("epoch"));
                    if (!bob.has(QStringLiteral("took_over")) ||
                        bobs.value("members").toInteger() != 3)
                        return false;
                    for (CliProcess* p : {&alice, &carol})
                        if (last(*p, QStringLiteral("epoch")).value("epoch_code") !=
                            bobs.value("epoch_code"))
                            return false;
                    return true;
                },
                members, 30000);
        }
        msUntil([] { return false; }, members, 3000, true);
        const Sample later = sampleMedia(members);
        const Tally after = tallyOf(later, bob, QStringLiteral("Bob"), alice);
        qInfo("fault chair_killed_%s: detect %s (every member warned chair_gone); %s; of Bob's "
              "camera from the kill on Alice %s",
              coChair ? "co_chair" : "alone", qPrintable(figure(detected)),
              coChair ? qPrintable(QStringLiteral("Bob took over and everyone shared his new "
                                                  "epoch %1 after he asked")
                                       .arg(figure(recovered)))
                      : "the meeting stays locked, media goes on",
              qPrintable(framesFigure(before, after)));
        QVERIFY2(detected >= 0, qPrintable(alice.transcript().right(3000)));
        QVERIFY2(after.decoded > before.decoded, "media among the members stopped with the chair");
        if (coChair)
            QVERIFY2(recovered >= 0, qPrintable(bob.transcript().right(3000)));
        for (CliProcess* p : members)
            QVERIFY2(!p->has(QStringLiteral("ended")), qPrintable(p->transcript().right(2000)));
    }
};

int main(int argc, char* argv[])
{
    g_namespaceError = testsupport::enterOwnNetworkNamespace();
    QCoreApplication app(argc, argv);
    TestFaults test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_faults.moc"
