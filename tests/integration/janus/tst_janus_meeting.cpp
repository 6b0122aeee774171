// SPDX-License-Identifier: GPL-3.0-or-later
// A whole meeting on a hub+janus backend with real processes (docs/scaling.md): conclave-hub
// with two Janus instances (each in its own network namespace, wss with a pinned key), a chair
// and two participants (conclave-cli, test media) whose signed policy lists the backend. Each
// member decodes the others through Janus; a removed member is kicked and rekeyed out while the
// others go on; and when the Janus instance holding the room dies, the hub re-creates the room
// on the other instance and media flows again there.
#include "CliProcess.h"
#include "JanusProcess.h"
#include "PolicyFixture.h"
#include "TestPaths.h"
#include "tls/TlsIdentity.h"

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
using testsupport::CliProcess;
using testsupport::JanusProcess;
using testsupport::PolicyFixture;

namespace {

QJsonObject cmd(const char* name, const QString& who = {})
{
    QJsonObject o{{QStringLiteral("cmd"), QLatin1String(name)}};
    if (!who.isEmpty())
        o.insert(QStringLiteral("who"), who);
    return o;
}

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

void writeSecret(const QString& path, const QString& secret)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(secret.toUtf8());
    f.close();
    QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
}

} // namespace

class TestJanusMeeting : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    JanusProcess m_first;
    JanusProcess m_second;
    PolicyFixture m_authority;
    QString m_config;
    QString m_hubPin;
    std::unique_ptr<CliProcess> m_hub;
    QString m_hubUrl;

    QString path(const QString& name) const { return m_dir.path() + '/' + name; }

    /// Asks every process for media statistics until `done` holds or `ms` pass.
    static bool waitUntil(const std::function<bool()>& done, std::initializer_list<CliProcess*> all,
                          int ms)
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < ms) {
            for (CliProcess* p : all)
                p->send(cmd("media-stats"));
            QTest::qWait(1000);
            for (CliProcess* p : all)
                p->poll();
            if (done())
                return true;
        }
        return false;
    }

    std::unique_ptr<CliProcess> member(const QStringList& args, const QString& who)
    {
        QStringList all = args;
        all << "--data" << path(who) << "--config" << m_config << "--media"
            << "test"
            // Janus's candidates are on its namespace's veth; ours must be on the host end.
            << "--media-address" << m_first.hostAddress() << "--media-address"
            << m_second.hostAddress();
        return std::make_unique<CliProcess>(testsupport::binDir() + "/conclave-cli", all);
    }

private slots:
    void initTestCase()
    {
        for (JanusProcess* j : {&m_first, &m_second}) {
            const QString failure = j->start();
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
        }
        // The hub's key first: the policy must list its pin before anyone trusts it.
        auto hubKey = tls::TlsIdentity::loadOrCreate(path("hub"), QStringLiteral("conclave-hub"));
        QVERIFY(hubKey.ok());
        m_hubPin = hubKey->spkiPin;

        QJsonObject policy = PolicyFixture::validPolicy();
        const QJsonArray janus{QJsonObject{{"role", "hub"},
                                           {"url", "wss://127.0.0.1:1"},
                                           {"tls_spki_sha256", QJsonArray{m_hubPin}}},
                               QJsonObject{{"role", "janus"},
                                           {"url", m_first.wssUrl().toString()},
                                           {"tls_spki_sha256", QJsonArray{m_first.spkiPin()}}},
                               QJsonObject{{"role", "janus"},
                                           {"url", m_second.wssUrl().toString()},
                                           {"tls_spki_sha256", QJsonArray{m_second.spkiPin()}}}};
        QJsonArray backends = policy["backends"].toArray();
        backends.append(QJsonObject{{"id", "sfu"},
                                    {"name", "Committee SFU"},
                                    {"kind", "hub+janus"},
                                    {"endpoints", janus},
                                    {"max_marking", "OFFICIAL-SENSITIVE"},
                                    {"jurisdiction", "GB"},
                                    {"operator", "Test IT"}});
        policy["backends"] = backends;
        m_config = path("config");
        QVERIFY(QDir().mkpath(m_config + "/trust-anchors"));
        QVERIFY(QFile::copy(m_authority.anchorsDir() + "/authority.pub",
                            m_config + "/trust-anchors/a.pub"));
        const QString signedPath =
            m_authority.writeSigned(QStringLiteral("policy.json"), PolicyFixture::toBytes(policy));
        QVERIFY(QFile::copy(signedPath, m_config + "/policy.json"));
        QVERIFY(QFile::copy(signedPath + ".sig", m_config + "/policy.json.sig"));

        // The hub's Janus list: both instances, credentials in owner-only files.
        QJsonArray instances;
        int n = 0;
        for (JanusProcess* j : {&m_first, &m_second}) {
            const QString key = path(QStringLiteral("janus%1.admin-key").arg(n));
            writeSecret(key, j->adminKey());
            QJsonObject instance{{"url", j->wssUrl().toString()},
                                 {"spki_sha256", j->spkiPin()},
                                 {"admin_key_file", key}};
            if (!j->apiSecret().isEmpty()) {
                const QString secret = path(QStringLiteral("janus%1.api-secret").arg(n));
                writeSecret(secret, j->apiSecret());
                instance.insert("api_secret_file", secret);
            }
            instances.append(instance);
            ++n;
        }
        QFile list(path("janus.json"));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write(QJsonDocument(QJsonObject{{"instances", instances}}).toJson());
        list.close();

        m_hub = std::make_unique<CliProcess>(
            testsupport::binDir() + "/conclave-hub",
            QStringList{"--listen", "127.0.0.1:0", "--data", path("hub"), "--config", m_config,
                        "--backend", "sfu", "--janus", path("janus.json"), "--allow-any-chair"});
        const QJsonObject listening = m_hub->waitFor("listening");
        QVERIFY2(!listening.isEmpty(), qPrintable(m_hub->transcript()));
        QCOMPARE(listening.value("spki").toString(), m_hubPin);
        m_hubUrl = listening.value("url").toString();
        int ready = 0;
        QVERIFY2(!m_hub
                      ->waitFor("janus_instance", 15000,
                                [&](const QJsonObject& o) {
                                    return o.value("detail").toString().endsWith(" ready") &&
                                           ++ready == 2;
                                })
                      .isEmpty(),
                 qPrintable(m_hub->transcript()));
    }

    void membersMeetThroughJanusSurviveARemovalAndAnInstanceDying()
    {
        auto chair = member({"host", "--title", "Committee", "--marking", "OFFICIAL", "--backend",
                             "sfu", "--hub", m_hubUrl, "--pin", m_hubPin, "--name", "Chair",
                             "--invite", "Alice", "--invite", "Bob"},
                            "chair");
        QMap<QString, QString> invites;
        for (int i = 0; i < 2; ++i) {
            const QJsonObject invite = chair->waitFor("invite", 20000, [&](const QJsonObject& o) {
                return !invites.contains(o.value("name").toString());
            });
            QVERIFY2(!invite.isEmpty(), qPrintable(chair->transcript()));
            invites.insert(invite.value("name").toString(), invite.value("link").toString());
        }
        auto alice = member({"join", invites.value("Alice"), "--name", "Alice"}, "alice");
        auto bob = member({"join", invites.value("Bob"), "--name", "Bob"}, "bob");
        for (const char* name : {"Alice", "Bob"}) {
            chair->waitFor("knock", 20000, [&](const QJsonObject& o) {
                return o.value("name").toString() == QLatin1String(name);
            });
            chair->send(cmd("admit", QLatin1String(name)));
        }
        const QJsonObject room = m_hub->waitFor("media_room", 15000, [](const QJsonObject& o) {
            return o.value("detail").toString().startsWith("opened on");
        });
        QVERIFY2(!room.isEmpty(), qPrintable(m_hub->transcript()));

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
        QVERIFY2(waitUntil(everyoneSeesEveryone, {chair.get(), alice.get(), bob.get()}, 30000),
                 qPrintable(chair->transcript() + alice->transcript() + bob->transcript() +
                            m_hub->transcript()));

        // Bob is removed: he is gone, Alice and the chair go on seeing each other.
        chair->send(cmd("remove", "Bob"));
        QVERIFY(bob->waitForExit(20000) != 0);
        alice->waitFor("epoch", 20000,
                       [](const QJsonObject& o) { return o.value("members").toInt() == 2; });
        const qint64 aliceSawChair = decoded(*alice, "Chair", "video");
        QVERIFY(waitUntil([&] { return decoded(*alice, "Chair", "video") > aliceSawChair + 10; },
                          {chair.get(), alice.get()}, 20000));

        // The instance holding the room dies: the hub moves the room, media flows again.
        const QString placedOn = room.value("detail").toString().section(' ', 2);
        JanusProcess& dying = placedOn == m_first.wssUrl().toString() ? m_first : m_second;
        dying.kill();
        QVERIFY2(!m_hub
                      ->waitFor("media_room", 20000,
                                [](const QJsonObject& o) {
                                    return o.value("detail").toString().startsWith("moved to");
                                })
                      .isEmpty(),
                 qPrintable(m_hub->transcript()));
        QTest::qWait(2000); // frames in flight from before the move are not what we count
        alice->send(cmd("media-stats"));
        QTest::qWait(500);
        alice->poll();
        const qint64 beforeMove = decoded(*alice, "Chair", "video");
        QVERIFY2(waitUntil([&] { return decoded(*alice, "Chair", "video") > beforeMove + 10; },
                           {chair.get(), alice.get()}, 30000),
                 qPrintable(alice->transcript() + m_hub->transcript()));
        chair->send(cmd("end"));
        QCOMPARE(chair->waitForExit(), 0);
        QCOMPARE(alice->waitForExit(), 0);
    }
};

QTEST_GUILESS_MAIN(TestJanusMeeting)
#include "tst_janus_meeting.moc"
