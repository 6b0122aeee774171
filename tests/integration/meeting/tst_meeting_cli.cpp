// SPDX-License-Identifier: GPL-3.0-or-later
// Meetings between real processes over loopback TLS: conclave-cli host (with its embedded hub,
// or on a standalone conclave-hub) and conclave-cli join.
#include "CliCommands.h"
#include "CliProcess.h"
#include "PolicyFixture.h"
#include "TestPaths.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace conclave;
using testsupport::cliCommand;
using testsupport::CliProcess;
using testsupport::PolicyFixture;

namespace {

QString cli()
{
    return testsupport::binDir() + QStringLiteral("/conclave-cli");
}
QString hubProgram()
{
    return testsupport::binDir() + QStringLiteral("/conclave-hub");
}

} // namespace

class TestMeetingCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_noConfig; // an empty config directory: the built-in policy applies

    QString data(const char* who) const
    {
        return m_dir.path() + QLatin1Char('/') + QLatin1String(who);
    }

    std::unique_ptr<CliProcess> host(QStringList extra, const QString& config = {})
    {
        QStringList args{"host",
                         "--title",
                         "Integration meeting",
                         "--data",
                         data("chair"),
                         "--config",
                         config.isEmpty() ? m_noConfig : config};
        args += extra;
        return std::make_unique<CliProcess>(cli(), args);
    }

    std::unique_ptr<CliProcess> join(const QString& link, const char* who,
                                     const QString& config = {})
    {
        return std::make_unique<CliProcess>(
            cli(), QStringList{"join", link, "--name", QLatin1String(who), "--data", data(who),
                               "--config", config.isEmpty() ? m_noConfig : config});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(QFile::exists(cli()));
        m_noConfig = m_dir.path() + QStringLiteral("/no-config");
        QDir().mkpath(m_noConfig);
    }

    void invitedParticipantIsAdmittedAndSharesTheCodes()
    {
        auto chair = host({"--marking", "official", "--invite", "Alice", "--chat"});
        const QJsonObject meeting = chair->waitFor("meeting");
        QCOMPARE(meeting.value("marking").toString(), QStringLiteral("OFFICIAL"));
        const QString link = chair->waitFor("invite").value("link").toString();
        auto alice = join(link, "alice");
        const QJsonObject lobby = alice->waitFor("lobby");
        QCOMPARE(lobby.value("meeting_code").toString(), meeting.value("meeting_code").toString());
        QCOMPARE(chair->waitFor("knock").value("invite").toString(), QStringLiteral("invited"));
        QVERIFY(!alice->has("epoch")); // waiting: no key yet

        chair->send(cliCommand("admit", "Alice"));
        const QJsonObject chairEpoch = chair->waitFor(
            "epoch", 20000, [](const QJsonObject& o) { return o.value("epoch").toInt() == 1; });
        const QJsonObject aliceEpoch = alice->waitFor("epoch");
        QCOMPARE(aliceEpoch.value("epoch").toInt(), 1);
        QCOMPARE(aliceEpoch.value("epoch_code").toString(),
                 chairEpoch.value("epoch_code").toString());
        QVERIFY(!aliceEpoch.value("epoch_code").toString().isEmpty());

        alice->send({{"cmd", "chat"}, {"text", "evidence follows"}});
        const QJsonObject chat = chair->waitFor("chat");
        QCOMPARE(chat.value("text").toString(), QStringLiteral("evidence follows"));
        QCOMPARE(chat.value("marking").toString(), QStringLiteral("OFFICIAL"));

        // The chair's control names the member it acts on; she is told the action.
        chair->send(cliCommand("mute", "Alice"));
        const QJsonObject muted = chair->waitFor("muted");
        QCOMPARE(muted.value("name").toString(), QStringLiteral("Alice"));
        QCOMPARE(muted.value("fingerprint").toString(),
                 chair->waitFor("knock").value("fingerprint").toString());
        QCOMPARE(alice->waitFor("control").value("action").toString(), QStringLiteral("mute"));

        // Back to the waiting room (epoch 2, without her), then admitted again (epoch 3).
        chair->send({{"cmd", "to-lobby"}, {"who", "Alice"}, {"reason", "item 3"}});
        alice->waitFor("sent_to_lobby");
        chair->waitFor("knock", 20000, [](const QJsonObject& o) {
            return o.value("invite").toString() == QLatin1String("returning");
        });
        chair->send(cliCommand("admit", "Alice"));
        const auto third = [](const QJsonObject& o) { return o.value("epoch").toInt() == 3; };
        QCOMPARE(alice->waitFor("epoch", 20000, third).value("epoch_code").toString(),
                 chair->waitFor("epoch", 20000, third).value("epoch_code").toString());

        chair->send(cliCommand("end"));
        QCOMPARE(alice->waitForExit(), 0);
        QCOMPARE(chair->waitForExit(), 0);

        CliProcess audit(cli(), {"audit", "verify", "--data", data("chair")});
        QCOMPARE(audit.waitForExit(), 0);
        QCOMPARE(audit.waitFor("audit").value("intact").toBool(), true);
        QVERIFY(audit.waitFor("audit").value("entries").toInt() >= 5);
    }

    void uninvitedKnockerWaitsWithoutKeysAndCanBeDenied()
    {
        auto chair = host({"--marking", "OFFICIAL", "--open-link"});
        const QString link = chair->waitFor("link").value("link").toString();
        QVERIFY(link.startsWith("conclave:meeting:"));
        auto walkIn = join(link, "walkin");
        walkIn->waitFor("lobby");
        QCOMPARE(chair->waitFor("knock").value("invite").toString(), QStringLiteral("uninvited"));
        QTest::qWait(500);
        QVERIFY(!walkIn->has("epoch") && !walkIn->has("roster"));
        chair->send({{"cmd", "deny"}, {"who", "walkin"}, {"reason", "not on the list"}});
        QCOMPARE(walkIn->waitForExit(), 5);
        QVERIFY(walkIn->has("denied"));
        chair->send(cliCommand("end"));
        QCOMPARE(chair->waitForExit(), 0);
    }

    void spentInvitesLocksAndRemovalsKeepPeopleOut()
    {
        auto chair = host({"--marking", "OFFICIAL", "--invite", "Alice", "--invite", "Bob"});
        QString aliceLink, bobLink;
        chair->waitFor("invite", 20000, [&](const QJsonObject& o) {
            if (o.value("name") == QLatin1String("Alice"))
                aliceLink = o.value("link").toString();
            if (o.value("name") == QLatin1String("Bob"))
                bobLink = o.value("link").toString();
            return !aliceLink.isEmpty() && !bobLink.isEmpty();
        });
        auto alice = join(aliceLink, "alice");
        chair->waitFor("knock");
        chair->send(cliCommand("admit", "Alice"));
        alice->waitFor("epoch");

        // Someone else presenting Alice's (now spent) invite is turned away by the hub.
        auto mallory = join(aliceLink, "mallory");
        QCOMPARE(mallory->waitForExit(), 5);
        QVERIFY2(mallory->waitFor("refused").value("code").toString().startsWith("invite."),
                 qPrintable(mallory->transcript()));

        // Removal: Alice is out, and the same identity cannot come back with a new invite.
        chair->send({{"cmd", "remove"}, {"who", "Alice"}, {"reason", "disruption"}});
        QCOMPARE(alice->waitForExit(), 5);
        chair->send({{"cmd", "invite"}, {"name", "Alice again"}});
        const QString again =
            chair
                ->waitFor("invite", 20000,
                          [](const QJsonObject& o) {
                              return o.value("name") == QLatin1String("Alice again");
                          })
                .value("link")
                .toString();
        auto returning = join(again, "alice");
        QCOMPARE(returning->waitForExit(), 5);
        QCOMPARE(returning->waitFor("refused").value("code").toString(),
                 QStringLiteral("meeting.banned"));

        // A locked meeting refuses new knocks, even with a valid invite.
        chair->send(cliCommand("lock"));
        chair->waitFor("locked");
        auto bob = join(bobLink, "bob");
        QCOMPARE(bob->waitForExit(), 5);
        QCOMPARE(bob->waitFor("refused").value("code").toString(),
                 QStringLiteral("meeting.locked"));
        chair->send(cliCommand("end"));
        QCOMPARE(chair->waitForExit(), 0);
    }

    void policyRefusesStartAndJoin()
    {
        // Built-in policy: SECRET cannot start anywhere.
        auto secret = host({"--marking", "SECRET"});
        QCOMPARE(secret->waitForExit(), 3);
        QCOMPARE(secret->waitFor("refused").value("code").toString(),
                 QStringLiteral("policy.no_signed_policy"));

        // The chair's policy lets this computer carry SECRET; the joiner's stops at
        // OFFICIAL-SENSITIVE.
        PolicyFixture authority;
        QJsonObject loose = PolicyFixture::validPolicy();
        QJsonArray backends = loose["backends"].toArray();
        QJsonObject embedded = backends[0].toObject();
        embedded["max_marking"] = "SECRET";
        backends[0] = embedded;
        loose["backends"] = backends;
        QTemporaryDir chairConfig, joinerConfig;
        for (auto* dir : {&chairConfig, &joinerConfig})
            QVERIFY(QDir().mkpath(dir->path() + "/trust-anchors"));
        QVERIFY(QFile::copy(authority.anchorsDir() + "/authority.pub",
                            chairConfig.path() + "/trust-anchors/a.pub"));
        QVERIFY(QFile::copy(authority.anchorsDir() + "/authority.pub",
                            joinerConfig.path() + "/trust-anchors/a.pub"));
        const auto writePolicy = [&](const QString& dir, const QJsonObject& json) {
            const QString path = authority.writeSigned(QStringLiteral("tmp-policy.json"),
                                                       PolicyFixture::toBytes(json));
            QFile::copy(path, dir + "/policy.json");
            QFile::copy(path + ".sig", dir + "/policy.json.sig");
            QFile::remove(path);
            QFile::remove(path + ".sig");
        };
        writePolicy(chairConfig.path(), loose);
        writePolicy(joinerConfig.path(), PolicyFixture::validPolicy());

        auto chair = std::make_unique<CliProcess>(
            cli(),
            QStringList{"host", "--title", "Secret session", "--marking", "SECRET", "--invite",
                        "Alice", "--data", data("chair-secret"), "--config", chairConfig.path()});
        const QString link = chair->waitFor("invite").value("link").toString();
        QVERIFY2(!link.isEmpty(), qPrintable(chair->transcript()));
        auto alice = join(link, "alice-secret", joinerConfig.path());
        QCOMPARE(alice->waitForExit(), 3);
        const QJsonObject refused = alice->waitFor("refused");
        QCOMPARE(refused.value("code").toString(), QStringLiteral("policy.marking_not_approved"));
        QVERIFY(refused.value("reason").toString().contains("approved up to OFFICIAL-SENSITIVE"));
        chair->send(cliCommand("end"));
        QCOMPARE(chair->waitForExit(), 0);
    }

    void aMaliciousHubIsDetectedByTheParticipant()
    {
        QTemporaryDir evilData;
        CliProcess evil(testsupport::binDir() + QStringLiteral("/conclave-test-evil-hub"),
                        {evilData.path(), "forge-commit,replay-commit,alter-marking,drop-chair"});
        const QJsonObject listening = evil.waitFor("listening");
        QVERIFY2(!listening.isEmpty(), qPrintable(evil.transcript()));
        auto chair =
            host({"--marking", "OFFICIAL", "--invite", "Alice", "--hub",
                  listening.value("url").toString(), "--pin", listening.value("spki").toString()});
        const QString link = chair->waitFor("invite").value("link").toString();
        auto alice = join(link, "alice-evil");
        chair->waitFor("knock");
        chair->send(cliCommand("admit", "Alice"));
        const QJsonObject chairEpoch = chair->waitFor("epoch");
        const auto warned = [&](const char* code) {
            return !alice
                        ->waitFor("warning", 20000,
                                  [code](const QJsonObject& o) {
                                      return o.value("code").toString() == QLatin1String(code);
                                  })
                        .isEmpty();
        };
        QVERIFY(warned("envelope.not_chair")); // the forged COMMIT with a hidden member
        QVERIFY(warned("protocol.replay"));    // the COMMIT delivered twice
        for (int i = 0; i < 3; ++i)
            chair->send(cliCommand("mute-all"));
        QVERIFY(warned("chair_messages_missing"));
        chair->send({{"cmd", "marking"}, {"marking", "OFFICIAL HMG USE ONLY"}});
        QVERIFY(warned("envelope.bad_signature"));
        QVERIFY(!alice->has("marking_changed"));

        // Despite all that, Alice holds exactly the chair's epoch and roster - no ghost.
        alice->send(cliCommand("status"));
        const QJsonObject status = alice->waitFor("status");
        QCOMPARE(status.value("epoch").toInt(), chairEpoch.value("epoch").toInt());
        QCOMPARE(status.value("members").toInt(), 2);
        chair->send(cliCommand("end"));
        QCOMPARE(chair->waitForExit(), 0);
        QCOMPARE(alice->waitForExit(), 0);
    }

    void aCoChairActsForTheChairAndTakesOverWhenItVanishes()
    {
        QTemporaryDir hubData;
        CliProcess hub(hubProgram(),
                       {"--listen", "127.0.0.1:0", "--data", hubData.path(), "--allow-any-chair"});
        const QJsonObject listening = hub.waitFor("listening");
        QVERIFY2(!listening.isEmpty(), qPrintable(hub.transcript()));
        auto chair = host({"--marking", "OFFICIAL", "--invite", "Bob", "--invite", "Carol",
                           "--invite", "Dave", "--hub", listening.value("url").toString(), "--pin",
                           listening.value("spki").toString()});
        QMap<QString, QString> invites;
        for (int i = 0; i < 3; ++i) {
            const QJsonObject invite = chair->waitFor("invite", 20000, [&](const QJsonObject& o) {
                return !invites.contains(o.value("name").toString());
            });
            invites.insert(invite.value("name").toString(), invite.value("link").toString());
        }
        auto bob = join(invites.value("Bob"), "bob");
        auto carol = join(invites.value("Carol"), "carol");
        for (const char* name : {"Bob", "Carol"}) {
            chair->waitFor("knock", 20000, [&](const QJsonObject& o) {
                return o.value("name").toString() == QLatin1String(name);
            });
            chair->send(cliCommand("admit", QLatin1String(name)));
        }
        const auto epoch = [](int n) {
            return [n](const QJsonObject& o) { return o.value("epoch").toInt() == n; };
        };
        carol->waitFor("epoch", 20000, epoch(2));

        // The chair names Bob co-chair; Bob's lock request is carried out by the chair.
        chair->send(cliCommand("co-chair", "Bob"));
        QVERIFY2(bob->waitFor("co_chair").value("you").toBool(),
                 qPrintable(chair->transcript() + bob->transcript()));
        QCOMPARE(carol->waitFor("co_chair").value("name").toString(), QStringLiteral("Bob"));
        bob->send(cliCommand("lock"));
        const QJsonObject done = chair->waitFor("co_chair_request");
        QCOMPARE(done.value("result").toString(), QStringLiteral("done"));
        chair->waitFor("locked");
        bob->send(cliCommand("unlock"));
        chair->waitFor("unlocked");

        // Bob sees Dave knock (Carol does not) and has him admitted.
        auto dave = join(invites.value("Dave"), "dave");
        QCOMPARE(bob->waitFor("knock").value("name").toString(), QStringLiteral("Dave"));
        bob->send(cliCommand("admit", "Dave"));
        QCOMPARE(dave->waitFor("epoch").value("epoch").toInt(), 4); // 3 was the lock's rekey
        QVERIFY(!carol->has("knock"));
        bob->send(cliCommand("take-over"));
        QCOMPARE(bob->waitFor("error").value("code").toString(),
                 QStringLiteral("meeting.chair_present"));

        // The chair's machine dies. Bob takes over; Carol and Dave follow him to a new epoch
        // without the old chair, with the same codes as Bob.
        chair->kill();
        bob->waitFor("warning", 20000, [](const QJsonObject& o) {
            return o.value("code").toString() == QLatin1String("chair_gone");
        });
        bob->send(cliCommand("take-over"));
        bob->waitFor("took_over");
        QVERIFY(bob->waitFor("meeting").value("successor").toBool());
        for (CliProcess* member : {carol.get(), dave.get()}) {
            QVERIFY(!member->waitFor("chair_changed").isEmpty());
            const QJsonObject after = member->waitFor("epoch", 20000, epoch(5));
            QCOMPARE(after.value("members").toInt(), 3);
        }
        const QJsonObject bobs = bob->waitFor("epoch", 20000, epoch(5));
        QCOMPARE(carol->waitFor("epoch", 20000, epoch(5)).value("epoch_code").toString(),
                 bobs.value("epoch_code").toString());
        QCOMPARE(dave->waitFor("epoch", 20000, epoch(5)).value("meeting_code").toString(),
                 bobs.value("meeting_code").toString());

        // Bob chairs now: he removes Dave, who is out with exit 5, and Carol keeps the key.
        bob->send({{"cmd", "remove"}, {"who", "Dave"}, {"reason", "co-chair's decision"}});
        QCOMPARE(dave->waitForExit(), 5);
        QCOMPARE(carol->waitFor("epoch", 20000, epoch(6)).value("members").toInt(), 2);
        bob->send(cliCommand("end"));
        QCOMPARE(carol->waitForExit(), 0);
        QCOMPARE(bob->waitForExit(), 0);
    }

    void aHubWithTheWrongKeyIsRefused()
    {
        QTemporaryDir hubA, hubB;
        auto first = std::make_unique<CliProcess>(
            hubProgram(),
            QStringList{"--listen", "127.0.0.1:0", "--data", hubA.path(), "--allow-any-chair"});
        const QJsonObject listening = first->waitFor("listening");
        const QString url = listening.value("url").toString();
        QVERIFY2(url.startsWith("wss://127.0.0.1:"), qPrintable(first->transcript()));
        auto chair = host({"--marking", "OFFICIAL", "--invite", "Alice", "--hub", url, "--pin",
                           listening.value("spki").toString()});
        const QString link = chair->waitFor("invite").value("link").toString();
        QVERIFY(!link.isEmpty());

        // The hub is replaced by another one on the same address with a different key. The
        // chair, reconnecting, finds the other key and stops at once: a pin mismatch is never
        // retried past.
        first.reset();
        QCOMPARE(chair->waitFor("connection").value("state").toString(),
                 QStringLiteral("reconnecting"));
        const QString port = url.section(':', -1);
        auto impostor = std::make_unique<CliProcess>(
            hubProgram(), QStringList{"--listen", "127.0.0.1:" + port, "--data", hubB.path(),
                                      "--allow-any-chair"});
        QVERIFY2(!impostor->waitFor("listening").isEmpty(), qPrintable(impostor->transcript()));
        QCOMPARE(chair->waitForExit(), 4);
        QCOMPARE(chair->waitFor("error").value("code").toString(),
                 QStringLiteral("tls.pin_mismatch"));
        auto alice = join(link, "alice-mitm");
        QCOMPARE(alice->waitForExit(), 4);
        QCOMPARE(alice->waitFor("error").value("code").toString(),
                 QStringLiteral("tls.pin_mismatch"));
        QVERIFY(!alice->has("lobby"));
    }
};

QTEST_GUILESS_MAIN(TestMeetingCli)
#include "tst_meeting_cli.moc"
