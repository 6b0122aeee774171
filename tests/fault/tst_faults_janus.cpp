// SPDX-License-Identifier: GPL-3.0-or-later
// A fault on the SFU (docs/operations.md "Faults, measured"): a hub+janus meeting on two Janus
// instances (testsupport::JanusHub: each instance in a network namespace of its own, wss with a
// pinned key, a signed policy listing the backend), a chair and two members (conclave-cli, test
// media). The instance holding the meeting's room is killed; the line printed says how soon the
// hub noticed, when the room moved and when everyone decoded everyone again. Needs root and
// /usr/bin/janus: fails, never skips, without them.
#include "CliCommands.h"
#include "CliProcess.h"
#include "FaultFigures.h"
#include "JanusHub.h"
#include "TestPaths.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QtTest>

#include <map>
#include <memory>
#include <tuple>
#include <vector>

using namespace conclave;
using namespace conclave::faults;
using testsupport::cliCommand;
using testsupport::CliProcess;

namespace {

QString cli()
{
    return testsupport::binDir() + QStringLiteral("/conclave-cli");
}

} // namespace

class TestFaultsJanus : public QObject {
    Q_OBJECT

private slots:
    void aJanusInstanceIsKilled()
    {
        // A hub+janus meeting on two Janus instances (each in a network namespace of its own):
        // the one holding the meeting's room is killed (SIGKILL, as when its machine dies). The
        // hub notices (its WebSocket to Janus closes), makes a room on the other instance and
        // sends every member a new token; they publish and subscribe there. Keys do not change:
        // Janus never had them.
        testsupport::JanusHub sfu(2);
        const QString failure = sfu.start();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        const auto member = [&](const QStringList& args, const QString& who, bool host) {
            return std::make_unique<CliProcess>(
                cli(), args + QStringList{"--data", sfu.path(who), "--media", "test"} +
                           sfu.memberArgs(host));
        };
        auto chair = member({"host", "--title", "Fault drill", "--marking", "OFFICIAL", "--name",
                             "Chair", "--invite", "Alice", "--invite", "Bob"},
                            QStringLiteral("chair"), true);
        std::map<QString, QString> links;
        for (int i = 0; i < 2; ++i) {
            const QJsonObject invite = chair->waitFor("invite", 20000, [&](const QJsonObject& o) {
                return !links.count(o.value("name").toString());
            });
            QVERIFY2(!invite.isEmpty(), qPrintable(chair->transcript()));
            links[invite.value("name").toString()] = invite.value("link").toString();
        }
        auto alice = member({"join", links["Alice"], "--name", "Alice"}, "alice", false);
        auto bob = member({"join", links["Bob"], "--name", "Bob"}, "bob", false);
        for (const char* name : {"Alice", "Bob"}) {
            chair->waitFor("knock", 20000, [&](const QJsonObject& o) {
                return o.value("name").toString() == QLatin1String(name);
            });
            chair->send(cliCommand("admit", QLatin1String(name)));
        }
        const QJsonObject room = sfu.hub().waitFor("media_room", 20000, [](const QJsonObject& o) {
            return o.value("detail").toString().startsWith("opened on");
        });
        QVERIFY2(!room.isEmpty(), qPrintable(sfu.hub().transcript()));
        const QList<CliProcess*> members{chair.get(), alice.get(), bob.get()};
        const QList<CliProcess*> all = members + QList<CliProcess*>{&sfu.hub()};
        const std::vector<std::tuple<CliProcess*, QString>> receivers{
            {chair.get(), "Alice"}, {chair.get(), "Bob"}, {alice.get(), "Chair"},
            {alice.get(), "Bob"},   {bob.get(), "Chair"}, {bob.get(), "Alice"}};
        // Every member's camera reaches every other, more than `frames` frames past `floor`.
        const auto everyoneDecodes =
            [&](const std::map<std::pair<CliProcess*, QString>, qint64>& floor, qint64 frames) {
                for (const auto& [p, peer] : receivers) {
                    const auto below = floor.find({p, peer});
                    if (decodedFrom(*p, peer) <=
                        (below == floor.end() ? 0 : below->second) + frames)
                        return false;
                }
                return true;
            };
        QVERIFY2(msUntil([&] { return everyoneDecodes({}, 5); }, all, 30000, true) >= 0,
                 qPrintable(alice->transcript().right(3000)));

        const Sample sampled = sampleMedia(all);
        const Tally before = tallyOf(sampled, *bob, QStringLiteral("Bob"), *alice);
        std::map<std::pair<CliProcess*, QString>, qint64> atKill;
        for (const auto& [p, peer] : receivers)
            atKill[{p, peer}] = decodedFrom(*p, peer);
        const QString placedOn = room.value("detail").toString().section(' ', 2);
        testsupport::JanusProcess& dying =
            placedOn == sfu.janus(0).wssUrl().toString() ? sfu.janus(0) : sfu.janus(1);
        dying.kill();
        QElapsedTimer sinceKill;
        sinceKill.start();
        const auto hubSaid = [&](const char* event, const char* detail) {
            return countOf(sfu.hub(), QLatin1String(event), [detail](const QJsonObject& o) {
                       return o.value("detail").toString().contains(QLatin1String(detail));
                   }) > 0;
        };
        const qint64 detected =
            msUntil([&] { return hubSaid("janus_instance", " lost"); }, all, 30000);
        msUntil([&] { return hubSaid("media_room", "moved to"); }, all, 30000);
        const qint64 moved = sinceKill.elapsed();
        // Ten frames past those decoded at the kill: the jitter buffers' last frames are not it.
        msUntil([&] { return everyoneDecodes(atKill, 10); }, all, 60000, true);
        const qint64 recovered = everyoneDecodes(atKill, 10) ? sinceKill.elapsed() : -1;
        msUntil([] { return false; }, all, 3000, true);
        const Sample later = sampleMedia(all);
        const Tally after = tallyOf(later, *bob, QStringLiteral("Bob"), *alice);
        qInfo("fault janus_killed: detect %s (the hub lost the instance), room moved %lld ms "
              "after the kill, recover %s after the kill (every member decodes every other's "
              "camera through the other instance); of Bob's camera from the kill to 3 s after "
              "recovery Alice %s",
              qPrintable(figure(detected)), moved, qPrintable(figure(recovered)),
              qPrintable(framesFigure(before, after)));
        QVERIFY2(detected >= 0 && recovered >= 0,
                 qPrintable(sfu.hub().transcript().right(3000) + alice->transcript().right(3000)));
        for (CliProcess* p : members)
            QVERIFY2(!p->has(QStringLiteral("ended")), qPrintable(p->transcript().right(2000)));
        chair->send(cliCommand("end"));
        QCOMPARE(chair->waitForExit(), 0);
    }
};

QTEST_GUILESS_MAIN(TestFaultsJanus)
#include "tst_faults_janus.moc"
