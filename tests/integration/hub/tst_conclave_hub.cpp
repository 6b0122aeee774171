// SPDX-License-Identifier: GPL-3.0-or-later
// conclave-hub as a real process over loopback TLS (docs/cli.md, docs/protocol.md §5-6):
// clients pin the hub's key from its listening line, then create, knock, admit, and try
// everything the hub must refuse.
#include "HubProcess.h"
#include "HubTestClient.h"
#include "PolicyFixture.h"
#include "TestMeeting.h"
#include "crypto/Fingerprint.h"
#include "protocol/Envelope.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace conclave;
using namespace conclave::hubtest;
using Kind = hub::HubNotice::Kind;
using protocol::MessageType;

namespace {

TimePoint realNow()
{
    return std::chrono::system_clock::now();
}

TimePoint inAnHour()
{
    return realNow() + std::chrono::hours(1);
}

/// Test mode for one scope: ROOT stands in for "/" (ROOT/etc/conclave, ROOT/var/lib/conclave)
/// for the processes started meanwhile, so a managed computer is simulated without /etc.
class SystemRoot {
public:
    SystemRoot() { qputenv("CONCLAVE_TEST_SYSTEM_ROOT", m_dir.path().toUtf8()); }
    ~SystemRoot() { qunsetenv("CONCLAVE_TEST_SYSTEM_ROOT"); }
    QString configDir() const { return m_dir.path() + QStringLiteral("/etc/conclave"); }
    QString stateDir() const { return m_dir.path() + QStringLiteral("/var/lib/conclave"); }

    /// Installs `authority`'s anchors and `policy` (signed by it) as the system's.
    bool install(const testsupport::PolicyFixture& authority, const QJsonObject& policy) const
    {
        const QString anchors = configDir() + QStringLiteral("/trust-anchors");
        if (!QDir().mkpath(anchors))
            return false;
        const QDir from(authority.anchorsDir());
        for (const QString& name : from.entryList({QStringLiteral("*.pub")}, QDir::Files)) {
            QFile::remove(anchors + QLatin1Char('/') + name);
            if (!QFile::copy(from.filePath(name), anchors + QLatin1Char('/') + name))
                return false;
        }
        const QString written = authority.writeSigned(QStringLiteral("system-policy.json"),
                                                      testsupport::PolicyFixture::toBytes(policy));
        for (const QString& suffix : {QString(), QStringLiteral(".sig")}) {
            QFile::remove(configDir() + QStringLiteral("/policy.json") + suffix);
            if (!QFile::copy(written + suffix,
                             configDir() + QStringLiteral("/policy.json") + suffix))
                return false;
        }
        return true;
    }

private:
    QTemporaryDir m_dir;
};

QJsonObject withSerial(int serial)
{
    QJsonObject policy = testsupport::PolicyFixture::validPolicy();
    policy[QStringLiteral("serial")] = serial;
    return policy;
}

/// The first "policy" line's description and whether it is the built-in policy.
QString policyDescription(HubProcess& hub)
{
    for (const QJsonObject& e : hub.events())
        if (e.value(QStringLiteral("event")).toString() == QLatin1String("policy"))
            return e.value(QStringLiteral("builtin")).toBool()
                       ? QStringLiteral("builtin")
                       : e.value(QStringLiteral("description")).toString();
    return {};
}

/// A chair connected to the hub with its meeting created.
struct LiveMeeting {
    std::unique_ptr<TestMeeting> meeting;
    std::unique_ptr<HubTestClient> chair;
};

} // namespace

class TestConclaveHub : public QObject {
    Q_OBJECT

    HubProcess m_hub; // stopped by its destructor even when a test fails

    std::unique_ptr<HubTestClient> connectClient(HubProcess& hub)
    {
        auto client = std::make_unique<HubTestClient>(hub.spki());
        client->open(hub.url());
        return client;
    }

    LiveMeeting start(HubProcess& hub, meeting::MeetingOptions options = {})
    {
        LiveMeeting live{std::make_unique<TestMeeting>(hub.spki(), options), connectClient(hub)};
        if (live.chair->isOpen()) {
            live.chair->send(live.meeting->create());
            if (!live.chair->waitForNotice(Kind::Created))
                qWarning("the hub did not confirm the meeting");
        }
        return live;
    }

    /// Knocks with `invite` and returns the client once it waits in the lobby (or was
    /// refused: check the result). The chair's copy of the knock is taken.
    std::unique_ptr<HubTestClient> knock(HubProcess& hub, LiveMeeting& live, TestPerson& who,
                                         const QByteArray& invite)
    {
        auto client = connectClient(hub);
        client->send(live.meeting->knock(who, invite));
        return client;
    }

    std::unique_ptr<HubTestClient> admitted(HubProcess& hub, LiveMeeting& live, TestPerson& who)
    {
        auto client = knock(hub, live, who, live.meeting->invite(&who, inAnHour()));
        if (!client->waitForNotice(Kind::Lobby) || !live.chair->next())
            qWarning("the knock did not reach the lobby and the chair");
        live.chair->send(live.meeting->admit(who));
        if (!client->waitForNotice(Kind::Admitted))
            qWarning("the knocker was not admitted");
        client->next(); // the chair's signed admit
        return client;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_hub.start({QStringLiteral("--knock-burst"), QStringLiteral("100")}, &error),
                 qPrintable(error));
    }

    void cleanupTestCase()
    {
        QCOMPARE(m_hub.stop(), 0); // SIGTERM is a clean shutdown
        QCOMPARE(m_hub.count(QStringLiteral("stopped")), 1);
    }

    void printsTheListeningLineFirst()
    {
        static const QRegularExpression shape(
            QStringLiteral("^\\{\"event\":\"listening\",\"url\":\"wss://127\\.0\\.0\\.1:\\d+\","
                           "\"spki\":\"[A-Za-z0-9+/]{43}=\"\\}$"));
        QVERIFY2(shape.match(m_hub.listeningLine()).hasMatch(), qPrintable(m_hub.listeningLine()));
        QVERIFY(m_hub.url().port() > 0);
    }

    void exitCodesFollowTheContract()
    {
        const QString binary =
            qEnvironmentVariable("CONCLAVE_BIN_DIR") + QStringLiteral("/conclave-hub");
        const auto run = [&](const QStringList& args) {
            QProcess p;
            p.start(binary, args);
            if (!p.waitForFinished(15000)) {
                p.kill();
                p.waitForFinished();
                return std::make_pair(-1, QJsonObject());
            }
            const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
            return std::make_pair(p.exitCode(), QJsonDocument::fromJson(lines.last()).object());
        };
        QTemporaryDir dir;
        auto bad = run({QStringLiteral("--listen"), QStringLiteral("127.0.0.1"),
                        QStringLiteral("--data"), dir.path()});
        QCOMPARE(bad.first, 2);
        QCOMPARE(bad.second.value(QStringLiteral("code")).toString(), QStringLiteral("usage"));
        QCOMPARE(run({QStringLiteral("--data"), dir.path()}).first, 2);
        QCOMPARE(run({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                      QStringLiteral("--data"), dir.path(), QStringLiteral("--knock-rate"),
                      QStringLiteral("fast")})
                     .first,
                 2);

        // The port our hub holds is taken.
        auto busy =
            run({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(m_hub.url().port()),
                 QStringLiteral("--data"), dir.path() + QStringLiteral("/a")});
        QCOMPARE(busy.first, 4);
        QCOMPARE(busy.second.value(QStringLiteral("code")).toString(),
                 QStringLiteral("hub.listen"));

        // A TLS key others could read is never used.
        const QString exposed = dir.path() + QStringLiteral("/a/hub-key.pem");
        QVERIFY(QFile::exists(exposed)); // made by the run above
        QFile::setPermissions(exposed, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        auto leaky = run({QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--data"), dir.path() + QStringLiteral("/a")});
        QCOMPARE(leaky.first, 4);
        QCOMPARE(leaky.second.value(QStringLiteral("code")).toString(),
                 QStringLiteral("tls.key_exposed"));
    }

    void aHubWithTheTurnSecretGivesMembersCredentialsAndOnlyThen()
    {
        QTemporaryDir dir;
        const QString secretPath = dir.filePath(QStringLiteral("turn-secret"));
        QFile secret(secretPath);
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("shared-with-coturn\n");
        secret.close();
        QVERIFY(secret.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
        QProcess refused;
        refused.start(qEnvironmentVariable("CONCLAVE_BIN_DIR") + QStringLiteral("/conclave-hub"),
                      {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                       QStringLiteral("--data"), dir.filePath(QStringLiteral("data")),
                       QStringLiteral("--turn-secret-file"), secretPath});
        QVERIFY(refused.waitForFinished(15000));
        QCOMPARE(refused.exitCode(), 2);
        const QByteArray said = refused.readAllStandardOutput();
        QVERIFY2(said.contains("hub.turn_secret") && said.contains("chmod 600"), said.constData());
        QString error;

        QVERIFY(secret.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        HubProcess hub;
        QVERIFY2(hub.start({QStringLiteral("--turn-secret-file"), secretPath}, &error),
                 qPrintable(error));
        LiveMeeting live = start(hub);
        const auto chairs = live.chair->waitForNotice(Kind::TurnCredentials);
        QVERIFY(chairs);
        TestPerson member;
        auto client = admitted(hub, live, member);
        const auto members = client->waitForNotice(Kind::TurnCredentials);
        QVERIFY(members);
        QVERIFY(members->turnUsername != chairs->turnUsername);
        QVERIFY(members->turnExpires > uint64_t(QDateTime::currentSecsSinceEpoch() + 3000));

        // A hub without the secret (this test's own) gives none.
        LiveMeeting plain = start(m_hub);
        QVERIFY(!plain.chair->waitForNotice(Kind::TurnCredentials, 500));
    }

    void aClientRefusesAHubWithAnotherKey()
    {
        HubTestClient wrong(QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        QVERIFY(!wrong.open(m_hub.url()));
        QVERIFY(wrong.pinMismatch());
    }

    void chairCreatesThenAdmitsAnInvitedParticipant()
    {
        LiveMeeting live = start(m_hub);
        QVERIFY(live.chair->isOpen());
        TestPerson witness;
        auto client = knock(m_hub, live, witness, live.meeting->invite(&witness, inAnHour()));
        const auto lobby = client->waitForNotice(Kind::Lobby);
        QVERIFY(lobby);
        QCOMPARE(lobby->descriptor, live.meeting->signedDescriptor());
        const auto knockSeen = live.chair->next();
        QVERIFY(knockSeen);
        auto decoded = protocol::Envelope::decode(*knockSeen);
        QVERIFY(decoded && decoded->type == MessageType::Knock && decoded->verify());
        QVERIFY(decoded->sender == witness.key().publicKey());

        const QByteArray admit = live.meeting->admit(witness);
        live.chair->send(admit);
        QVERIFY(client->waitForNotice(Kind::Admitted));
        QCOMPARE(client->next().value_or(QByteArray()), admit);
        const QByteArray commit = live.meeting->commit();
        const QByteArray heartbeat = live.meeting->heartbeat();
        live.chair->send(commit);
        live.chair->send(heartbeat);
        QCOMPARE(client->next().value_or(QByteArray()), commit);
        QCOMPARE(client->next().value_or(QByteArray()), heartbeat);
        const QByteArray ack = live.meeting->ack(witness);
        client->send(ack);
        QCOMPARE(live.chair->next().value_or(QByteArray()), ack);
        QVERIFY(m_hub.count(QStringLiteral("admitted")) >= 1);
    }

    void refusesAnUninvitedKnock()
    {
        LiveMeeting live = start(m_hub); // invites required by default
        TestPerson stranger;
        auto client = knock(m_hub, live, stranger, {});
        const auto refused = client->waitForNotice(Kind::Refused);
        QVERIFY(refused);
        QCOMPARE(refused->code, QStringLiteral("invite.required"));
        QVERIFY(client->waitForClose());
        QCOMPARE(live.chair->pending(), 0);
    }

    void refusesAReusedInvite()
    {
        LiveMeeting live = start(m_hub);
        TestPerson first, second;
        const QByteArray invite = live.meeting->invite(nullptr, inAnHour());
        auto a = knock(m_hub, live, first, invite);
        QVERIFY(a->waitForNotice(Kind::Lobby));
        QVERIFY(live.chair->next());
        live.chair->send(live.meeting->admit(first));
        QVERIFY(a->waitForNotice(Kind::Admitted));

        auto b = knock(m_hub, live, second, invite);
        const auto refused = b->waitForNotice(Kind::Refused);
        QVERIFY(refused);
        QCOMPARE(refused->code, QStringLiteral("invite.used"));
        QVERIFY(b->waitForClose());
    }

    void refusesAnExpiredInvite()
    {
        LiveMeeting live = start(m_hub);
        TestPerson late;
        auto client = knock(m_hub, live, late,
                            live.meeting->invite(&late, realNow() - std::chrono::minutes(1)));
        const auto refused = client->waitForNotice(Kind::Refused);
        QVERIFY(refused);
        QCOMPARE(refused->code, QStringLiteral("invite.expired"));
    }

    void aLockedMeetingRefusesKnocks()
    {
        LiveMeeting live = start(m_hub);
        live.chair->send(live.meeting->control(meeting::ControlAction::Lock));
        QTRY_VERIFY(m_hub.count(QStringLiteral("control")) >= 1);
        TestPerson p;
        auto client = knock(m_hub, live, p, live.meeting->invite(&p, inAnHour()));
        const auto refused = client->waitForNotice(Kind::Refused);
        QVERIFY(refused);
        QCOMPARE(refused->code, QStringLiteral("meeting.locked"));
    }

    void aRemovedParticipantCannotKnockAgain()
    {
        LiveMeeting live = start(m_hub);
        TestPerson p;
        auto member = admitted(m_hub, live, p);
        live.chair->send(live.meeting->remove(p, QStringLiteral("disorder")));
        const auto removed = member->waitForNotice(Kind::Removed);
        QVERIFY(removed);
        QCOMPARE(removed->reason, QStringLiteral("disorder"));
        QVERIFY(member->waitForClose());

        auto again = knock(m_hub, live, p, live.meeting->invite(&p, inAnHour()));
        const auto refused = again->waitForNotice(Kind::Refused);
        QVERIFY(refused);
        QCOMPARE(refused->code, QStringLiteral("meeting.banned"));
    }

    void chairMessagesFromAnyoneElseAreNotForwarded()
    {
        LiveMeeting live = start(m_hub);
        TestPerson a, b, knocker;
        auto ac = admitted(m_hub, live, a);
        auto bc = admitted(m_hub, live, b);
        ac->takeAll(); // b's admit
        auto kc = knock(m_hub, live, knocker, live.meeting->invite(&knocker, inAnHour()));
        QVERIFY(kc->waitForNotice(Kind::Lobby));
        QVERIFY(live.chair->next());

        // b tries to let the knocker in and to rekey, signing as itself.
        bc->send(b.envelope(
            MessageType::Admit, live.meeting->id,
            meeting::TargetBody{knocker.key().publicKey(), QStringLiteral("me")}.encode()));
        bc->send(b.envelope(MessageType::Commit, live.meeting->id,
                            meeting::BlobBody{QByteArray(100, 'k')}.encode()));
        const auto first = bc->waitForNotice(Kind::Error);
        const auto second = bc->waitForNotice(Kind::Error);
        QVERIFY(first && second);
        QCOMPARE(first->code, QStringLiteral("hub.not_chair"));
        QCOMPARE(second->code, QStringLiteral("hub.not_chair"));
        // The hub has handled both; the chair's next message is the first thing a sees.
        const QByteArray heartbeat = live.meeting->heartbeat();
        live.chair->send(heartbeat);
        QCOMPARE(ac->next().value_or(QByteArray()), heartbeat);
        QCOMPARE(live.chair->pending(), 0);
        QVERIFY(!kc->waitForNotice(Kind::Admitted, 200));
        QTRY_COMPARE(m_hub.count(QStringLiteral("unauthorised")), 2);
    }

    void aReplayedEnvelopeIsDropped()
    {
        LiveMeeting live = start(m_hub);
        TestPerson p;
        auto member = admitted(m_hub, live, p);
        const QByteArray heartbeat = live.meeting->heartbeat();
        live.chair->send(heartbeat);
        QCOMPARE(member->next().value_or(QByteArray()), heartbeat);
        live.chair->send(heartbeat);
        const auto error = live.chair->waitForNotice(Kind::Error);
        QVERIFY(error);
        QCOMPARE(error->code, QStringLiteral("protocol.replay"));
        const QByteArray fresh = live.meeting->heartbeat(2);
        live.chair->send(fresh);
        QCOMPARE(member->next().value_or(QByteArray()), fresh); // not the replay
    }

    void aPolicyHubHostsOnlyWhatThePolicyApproves()
    {
        testsupport::PolicyFixture authority;
        authority.writeSigned(
            QStringLiteral("policy.json"),
            testsupport::PolicyFixture::toBytes(testsupport::PolicyFixture::validPolicy()));
        HubProcess hub;
        QString error;
        QVERIFY2(hub.start({QStringLiteral("--config"), authority.dir(),
                            QStringLiteral("--backend"), QStringLiteral("dept-hub-1")},
                           &error),
                 qPrintable(error));
        QTRY_COMPARE(hub.count(QStringLiteral("policy")), 1);
        // The test hub's fresh key is not among the policy's pins: the operator is told.
        QTRY_COMPARE(hub.count(QStringLiteral("warning"), QStringLiteral("hub.pin_not_in_policy")),
                     1);

        const auto tryCreate = [&](const char* marking) {
            TestMeeting m(hub.spki(), {}, QString::fromLatin1(marking));
            m.descriptor.backendId = QStringLiteral("dept-hub-1");
            auto chair = connectClient(hub);
            chair->send(m.create());
            const auto answer = chair->next();
            const auto notice = answer ? hub::HubNotice::decode(*answer)
                                       : Result<hub::HubNotice>(Error{"none", "no answer"});
            if (!notice)
                return QString::fromStdString(notice.error().code);
            return notice->kind == Kind::Created ? QStringLiteral("created") : notice->code;
        };
        QCOMPARE(tryCreate("OFFICIAL-SENSITIVE"), QStringLiteral("created"));
        QCOMPARE(tryCreate("SECRET"), QStringLiteral("marking_not_approved"));
        QCOMPARE(hub.stop(), 0);
    }

    void onlyTheChairsTheOperatorListedMayOpenMeetings()
    {
        HubProcess hub;
        QString error;
        // Started once to learn its pin (the key stays in its data directory) ...
        QVERIFY2(hub.start({QStringLiteral("--allow-chairs"), QStringLiteral("/dev/null")}, &error),
                 qPrintable(error));
        QTRY_VERIFY(hub.count(QStringLiteral("warning"), QStringLiteral("hub.no_chairs_allowed")) ==
                    1);
        const auto tryCreate = [&](TestMeeting& m) {
            auto chair = connectClient(hub);
            chair->send(m.create());
            const auto answer = chair->next();
            const auto notice = answer ? hub::HubNotice::decode(*answer)
                                       : Result<hub::HubNotice>(Error{"none", "no answer"});
            if (!notice)
                return QString::fromStdString(notice.error().code);
            return notice->kind == Kind::Created ? QStringLiteral("created") : notice->code;
        };
        TestMeeting listed(hub.spki()), stranger(hub.spki());
        QCOMPARE(tryCreate(listed), QStringLiteral("hub.chair_not_allowed"));
        QCOMPARE(hub.stop(), 0);
        // ... then with one chair listed by the fingerprint `conclave-cli identity` prints.
        const QString fingerprint = QString::fromStdString(
            crypto::publicKeyFingerprint(listed.chair.key().publicKey().view()));
        QVERIFY2(hub.start({QStringLiteral("--allow-chair"), fingerprint}, &error),
                 qPrintable(error));
        QTRY_VERIFY(hub.count(QStringLiteral("chairs_allowed")) == 1);
        QCOMPARE(tryCreate(stranger), QStringLiteral("hub.chair_not_allowed"));
        QCOMPARE(tryCreate(listed), QStringLiteral("created"));
        QTRY_VERIFY(hub.count(QStringLiteral("connection_refused"),
                              QStringLiteral("hub.chair_not_allowed")) == 1);
        QCOMPARE(hub.stop(), 0);
    }

    void aLocalConfigCannotReplaceTheOrganisationsPolicy()
    {
        // The organisation's anchors and policy are installed (dept-hub-1: OFFICIAL-SENSITIVE).
        testsupport::PolicyFixture organisation;
        SystemRoot system;
        QVERIFY(system.install(organisation, testsupport::PolicyFixture::validPolicy()));
        // The hub's operator points it at a directory with a self-made authority whose policy
        // approves SECRET here.
        testsupport::PolicyFixture selfMade;
        QJsonObject rogue = withSerial(1000);
        QJsonArray backends = rogue[QStringLiteral("backends")].toArray();
        QJsonObject dept = backends[1].toObject();
        dept[QStringLiteral("max_marking")] = QStringLiteral("SECRET");
        backends[1] = dept;
        rogue[QStringLiteral("backends")] = backends;
        selfMade.writeSigned(QStringLiteral("policy.json"),
                             testsupport::PolicyFixture::toBytes(rogue));

        HubProcess hub;
        QString error;
        QVERIFY2(hub.start({QStringLiteral("--config"), selfMade.dir(), QStringLiteral("--backend"),
                            QStringLiteral("dept-hub-1")},
                           &error),
                 qPrintable(error));
        QTRY_COMPARE(hub.count(QStringLiteral("policy")), 1);
        QVERIFY2(policyDescription(hub).startsWith(QStringLiteral("policy serial 7 ")),
                 qPrintable(policyDescription(hub)));
        QTRY_COMPARE(
            hub.count(QStringLiteral("warning"), QStringLiteral("config.override_ignored")), 1);

        TestMeeting m(hub.spki(), {}, QStringLiteral("SECRET"));
        m.descriptor.backendId = QStringLiteral("dept-hub-1");
        auto chair = connectClient(hub);
        chair->send(m.create());
        const auto refused = chair->waitForNotice(Kind::Refused);
        QVERIFY(refused);
        QCOMPARE(refused->code, QStringLiteral("marking_not_approved"));
        QCOMPARE(hub.stop(), 0);
    }

    void aHubRemembersTheHighestSerialEvenWithAFreshDataDirectory()
    {
        testsupport::PolicyFixture organisation;
        SystemRoot system;
        const QStringList backend{QStringLiteral("--backend"), QStringLiteral("dept-hub-1"),
                                  QStringLiteral("--config"), system.configDir()};
        QTemporaryDir data;
        const QStringList sameData{QStringLiteral("--data"), data.path()};
        QString error;

        // Its own data directory: serial 8 accepted, then an older (still valid) serial 7 is
        // refused on restart.
        QVERIFY(system.install(organisation, withSerial(8)));
        {
            HubProcess hub;
            QVERIFY2(hub.start(backend + sameData, &error), qPrintable(error));
            QTRY_COMPARE(hub.count(QStringLiteral("policy")), 1);
            QVERIFY(policyDescription(hub).startsWith(QStringLiteral("policy serial 8 ")));
        }
        QVERIFY(system.install(organisation, withSerial(7)));
        {
            HubProcess hub;
            QVERIFY2(hub.start(backend + sameData, &error), qPrintable(error));
            QTRY_COMPARE(hub.count(QStringLiteral("policy")), 1);
            QCOMPARE(policyDescription(hub), QStringLiteral("builtin"));
            QTRY_COMPARE(hub.count(QStringLiteral("warning"), QStringLiteral("policy.rollback")),
                         1);
        }

        // With the system-wide ledger directory present, a fresh data directory does not help.
        QVERIFY(QDir().mkpath(system.stateDir()));
        QVERIFY(system.install(organisation, withSerial(9)));
        {
            HubProcess hub; // fresh data directory
            QVERIFY2(hub.start(backend, &error), qPrintable(error));
            QTRY_COMPARE(hub.count(QStringLiteral("policy")), 1);
            QVERIFY(policyDescription(hub).startsWith(QStringLiteral("policy serial 9 ")));
        }
        QVERIFY(QFile::exists(system.stateDir() + QStringLiteral("/policy-ledger")));
        QVERIFY(system.install(organisation, withSerial(8)));
        {
            HubProcess hub; // another fresh data directory
            QVERIFY2(hub.start(backend, &error), qPrintable(error));
            QTRY_COMPARE(hub.count(QStringLiteral("policy")), 1);
            QCOMPARE(policyDescription(hub), QStringLiteral("builtin"));
            QTRY_COMPARE(hub.count(QStringLiteral("warning"), QStringLiteral("policy.rollback")),
                         1);
        }
    }

    void aKnockFloodIsLimitedAndTheChairCarriesOn()
    {
        // A hub of its own with the default knock rate, so the flood meets the real limit.
        HubProcess hub;
        QString error;
        // Its waves open 50 connections at once from one address: let them all set up, so the
        // flood meets the knock limit rather than the handshake one.
        QVERIFY2(hub.start({QStringLiteral("--max-lobby"), QStringLiteral("10"),
                            QStringLiteral("--max-pending-per-source"), QStringLiteral("64")},
                           &error),
                 qPrintable(error));
        meeting::MeetingOptions open;
        open.invitesRequired = false;
        open.openKnocking = true;
        LiveMeeting live = start(hub, open);
        QVERIFY(live.chair->isOpen());
        TestPerson member;
        auto memberClient = admitted(hub, live, member);
        QVERIFY(memberClient->isOpen());

        // 300 knocks from one address, in waves that stay under the per-source connection
        // limit (64): each wave opens its connections at once and knocks immediately.
        constexpr int kKnocks = 300, kWave = 50;
        int lobby = 0, rateLimited = 0, lobbyFull = 0, other = 0;
        std::vector<std::unique_ptr<HubTestClient>> waiting;
        std::vector<TestPerson> people(kKnocks);
        for (int start = 0; start < kKnocks; start += kWave) {
            std::vector<std::unique_ptr<HubTestClient>> wave;
            for (int i = start; i < start + kWave; ++i) {
                wave.push_back(std::make_unique<HubTestClient>(hub.spki()));
                wave.back()->openAsync(hub.url());
            }
            QTRY_VERIFY_WITH_TIMEOUT(
                std::all_of(wave.begin(), wave.end(),
                            [](const auto& c) { return c->isOpen() || c->hasFailed(); }),
                30000);
            for (int i = 0; i < kWave; ++i)
                if (wave[size_t(i)]->isOpen())
                    wave[size_t(i)]->send(
                        TestMeeting::knock(people[size_t(start + i)], live.meeting->id, {}));
            for (auto& c : wave) {
                QTRY_VERIFY_WITH_TIMEOUT(c->pending() > 0 || c->isClosed(), 10000);
                const auto message = c->next(0);
                const auto notice =
                    message ? hub::HubNotice::decode(*message) : Result<hub::HubNotice>(Error{});
                if (notice && notice->kind == Kind::Lobby) {
                    ++lobby;
                    waiting.push_back(std::move(c));
                } else if (notice && notice->code == QLatin1String("rate_limited")) {
                    ++rateLimited;
                } else if (notice && notice->code == QLatin1String("lobby.full")) {
                    ++lobbyFull;
                } else {
                    ++other;
                }
            }
        }
        qInfo("flood of %d knocks: %d in the lobby, %d rate limited, %d lobby full, %d other",
              kKnocks, lobby, rateLimited, lobbyFull, other);
        QCOMPARE(lobby, 10);
        QVERIFY(rateLimited > kKnocks / 2);
        QVERIFY(lobbyFull > 0);
        QCOMPARE(lobby + rateLimited + lobbyFull + other, kKnocks);

        // The chair was told about the ten queued knocks only, and still runs its meeting.
        QTRY_COMPARE(live.chair->pending(), 10);
        live.chair->takeAll();
        const QByteArray heartbeat = live.meeting->heartbeat();
        live.chair->send(heartbeat);
        QCOMPARE(memberClient->next().value_or(QByteArray()), heartbeat);
        for (auto& c : waiting)
            QCOMPARE(c->pending(), 0); // knockers heard nothing of it
        QVERIFY(hub.count(QStringLiteral("knock_refused"), QStringLiteral("rate_limited")) > 0);
        QCOMPARE(hub.stop(), 0);
    }
};

QTEST_GUILESS_MAIN(TestConclaveHub)
#include "tst_conclave_hub.moc"
