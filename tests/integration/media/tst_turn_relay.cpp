// SPDX-License-Identifier: GPL-3.0-or-later
// Media through a TURN relay (docs/media.md "TURN"), for networks where members cannot reach
// each other: two members' media meshes (real webrtcbin, ICE, DTLS-SRTP, SFrame) in this
// process, a real coturn (tests/support/CoturnProcess) in a network namespace of its own, and
// nftables rules in this process's own network namespace (entered in main(), so nothing of it
// touches the machine's network) that let each member's address send only to coturn's listener
// - over UDP, or over TCP on port 443 - and receive only from coturn; anything between the two
// members is dropped and counted.
// Relaying is shown three ways: the rules (nothing can go directly), what webrtcbin selected
// (a relay candidate on coturn, from its statistics) and coturn's own log (an allocation per
// member). A member whose credentials are wrong, or who has no TURN server, gets no media and
// says why (MediaMesh::problem) instead of staying silent. Needs root, /usr/bin/turnserver and
// /usr/sbin/nft: the tests fail, never skip, without them (scripts/dev installs both).
#include "CoturnProcess.h"
#include "MeshKit.h"
#include "PipelineWalk.h"
#include "PrivateNetwork.h"
#include "call/TurnAccess.h"
#include "hub/TurnGrants.h"
#include "media/IceWatch.h"
#include "media/MediaElements.h"
#include "media/SignalMessage.h"
#include "turn/TurnCredentials.h"

#include <QtTest>

#include <gst/webrtc/webrtc.h>

#include <functional>
#include <map>
#include <memory>
#include <set>

using namespace conclave;
using media::StreamKind;
using testsupport::CoturnProcess;
using testsupport::MeshKit;

namespace {

/// Set by main() before anything else runs (a network namespace is entered per thread).
QString g_namespaceError;

const QString kTable = QStringLiteral("conclave_turn");

/// The members' locked-down network. Counters: `direct` (member to member, dropped), `turn`
/// (to coturn's listener over `transport`, allowed), `refused` (anything else to coturn, or
/// anything else a member's address sends, dropped), `unexpected` (anything a member's address
/// receives from elsewhere than coturn, dropped). The TURN rules name coturn, not the members:
/// libnice 0.1.21 does not bind its TURN-over-TCP connections to the member's address, so they
/// leave from this side's own one (the veth's). Replaces the previous test's rules in one
/// transaction.
QString lockDown(const CoturnProcess& turn, const QString& transport)
{
    const QString members =
        QStringLiteral("{ %1, %2 }").arg(turn.clientAddress(0), turn.clientAddress(1));
    const QString ruleset =
        QStringLiteral("add table inet %1\n"
                       "delete table inet %1\n"
                       "table inet %1 {\n"
                       "  counter direct { }\n"
                       "  counter turn { }\n"
                       "  counter refused { }\n"
                       "  counter unexpected { }\n"
                       "  chain out {\n"
                       "    type filter hook output priority filter; policy accept;\n"
                       "    ip saddr %2 ip daddr %2 counter name direct drop\n"
                       "    ip daddr %3 %4 dport %5 counter name turn accept\n"
                       "    ip daddr %3 counter name refused drop\n"
                       "    ip saddr %2 counter name refused drop\n"
                       "    meta nfproto ipv6 drop\n"
                       "  }\n"
                       "  chain in {\n"
                       "    type filter hook input priority filter; policy accept;\n"
                       "    ip daddr %2 ip saddr != %3 counter name unexpected drop\n"
                       "  }\n"
                       "}\n")
            .arg(kTable, members, turn.serverAddress(), transport)
            .arg(turn.port());
    return testsupport::applyNftables(ruleset);
}

qint64 counter(const char* name)
{
    return testsupport::nftCounterPackets(kTable, QString::fromLatin1(name));
}

/// What each member tells the other (the candidate types it signals) and the problems it
/// reports.
struct Watch {
    std::map<uint32_t, std::set<QString>> candidateTypes;
    std::map<uint32_t, QStringList> problems; ///< "code: reason"

    void on(MeshKit& kit, uint32_t index)
    {
        QObject::connect(&kit.mesh(index), &media::MediaMesh::signalReady, &kit.mesh(index),
                         [this, index](uint32_t, const QByteArray& payload) {
                             const auto message = media::SignalMessage::decode(payload);
                             if (!message)
                                 return;
                             // Candidates trickle; an SDP could carry some too.
                             const QString text = message->candidate + message->sdp;
                             for (const char* type : {"host", "srflx", "prflx", "relay"})
                                 if (text.contains(QStringLiteral(" typ %1").arg(type)))
                                     candidateTypes[index].insert(QString::fromLatin1(type));
                         });
        QObject::connect(&kit.mesh(index), &media::MediaMesh::problem, &kit.mesh(index),
                         [this, index](const QString& code, const QString& reason) {
                             problems[index] << code + QStringLiteral(": ") + reason;
                         });
    }
    bool reported(uint32_t index, const QString& code) const
    {
        const auto found = problems.find(index);
        if (found == problems.end())
            return false;
        for (const QString& p : found->second)
            if (p.startsWith(code + u':'))
                return true;
        return false;
    }
};

/// Runs the event loop until `done` or `ms` milliseconds have passed; whether it is done.
bool waitFor(const std::function<bool()>& done, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > ms)
            return false;
        MeshKit::run(100);
    }
    return true;
}

struct Candidate {
    QString type;
    QString address;
    QString url; ///< for a relay candidate: the TURN server it is allocated on
};

/// The ICE candidate pairs the member's webrtcbins selected, from their statistics. webrtcbin
/// 1.22 types the two candidate structures the wrong way round ("local-candidate" on the remote
/// one), so they are found by the ids the pair names.
std::vector<std::pair<Candidate, Candidate>> selectedPairs(GstElement* pipeline)
{
    std::vector<std::pair<Candidate, Candidate>> out;
    testsupport::forEachElementOf(pipeline, "webrtcbin", [&out](GstElement* webrtc) {
        GstPromise* promise = gst_promise_new();
        g_signal_emit_by_name(webrtc, "get-stats", nullptr, promise);
        if (gst_promise_wait(promise) != GST_PROMISE_RESULT_REPLIED) {
            gst_promise_unref(promise);
            return;
        }
        const GstStructure* reply = gst_promise_get_reply(promise);
        const auto candidate = [reply](const gchar* id) {
            Candidate c;
            const GValue* value = id ? gst_structure_get_value(reply, id) : nullptr;
            if (!value || !GST_VALUE_HOLDS_STRUCTURE(value))
                return c;
            const GstStructure* s = gst_value_get_structure(value);
            c.type = QString::fromUtf8(gst_structure_get_string(s, "candidate-type"));
            c.address = QString::fromUtf8(gst_structure_get_string(s, "address"));
            c.url = QString::fromUtf8(gst_structure_get_string(s, "url"));
            return c;
        };
        for (int i = 0; i < gst_structure_n_fields(reply); ++i) {
            const GValue* value =
                gst_structure_get_value(reply, gst_structure_nth_field_name(reply, i));
            if (!GST_VALUE_HOLDS_STRUCTURE(value))
                continue;
            const GstStructure* s = gst_value_get_structure(value);
            GstWebRTCStatsType type{};
            if (!gst_structure_get(s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, nullptr) ||
                type != GST_WEBRTC_STATS_CANDIDATE_PAIR)
                continue;
            const gchar* local = gst_structure_get_string(s, "local-candidate-id");
            const gchar* remote = gst_structure_get_string(s, "remote-candidate-id");
            if (local && remote)
                out.emplace_back(candidate(local), candidate(remote));
        }
        gst_promise_unref(promise);
    });
    return out;
}

/// One test's world: coturn in its namespace, this namespace locked down for `transport`,
/// and two members' meshes (indices 0 and 1) with their signals and problems watched. The
/// meshes go before coturn.
class Scene {
public:
    explicit Scene(int port = 3478) : m_turn(CoturnProcess::Options{port, true, true, 2}) {}

    /// Starts coturn and applies the rules: an empty string, or what went wrong.
    QString start(const QString& transport)
    {
        m_transport = transport;
        if (QString e = m_turn.start(); !e.isEmpty())
            return e;
        return lockDown(m_turn, transport);
    }

    /// Member `index`'s media options: ICE only on its own address, coturn over this scene's
    /// transport with REST credentials made with `secret` (empty: the server's), relay only or
    /// not.
    media::MediaOptions member(int index, bool relayOnly, QByteArray secret = {}) const
    {
        if (secret.isEmpty())
            secret = m_turn.secret();
        media::MediaOptions o;
        o.localAddresses = {m_turn.clientAddress(index)};
        const crypto::ByteView key(reinterpret_cast<const uint8_t*>(secret.constData()),
                                   size_t(secret.size()));
        const auto credentials =
            turn::TurnCredentials::issue(key, QStringLiteral("member-%1").arg(index),
                                         std::chrono::system_clock::now() + std::chrono::hours(1));
        if (!credentials)
            qFatal("TURN credentials: %s", credentials.error().message.c_str());
        o.turnServers = {credentials->forServer(m_turn.url(m_transport))};
        o.relayOnly = relayOnly;
        return o;
    }

    /// Member `index`'s options as a meeting gets them: the TURN server from a policy backend
    /// (relay only) and credentials from the hub's issuer, read back from the notice's bytes.
    media::MediaOptions memberFromHub(int index) const
    {
        policy::Backend backend;
        backend.id = "dept-hub";
        backend.kind = policy::BackendKind::Hub;
        backend.endpoints = {
            {policy::Endpoint::Role::Turn, m_turn.url(m_transport).toStdString(), {}}};
        backend.relayOnly = true;
        const QByteArray secret = m_turn.secret();
        const SystemClock clock;
        hub::TurnGrants grants(
            crypto::SecureBuffer::copyOf(
                {reinterpret_cast<const uint8_t*>(secret.constData()), size_t(secret.size())}),
            clock);
        const auto sent = grants.apply(
            {hub::MediaRoomChange::Kind::Join, "meeting", QByteArray(32, char('a' + index)), 1});
        if (sent.size() != 1)
            qFatal("the hub issued no TURN credentials");
        const auto notice = hub::HubNotice::decode(sent[0].second.encode());
        if (!notice)
            qFatal("turn_credentials notice: %s", notice.error().message.c_str());
        const auto access = call::turnAccessFor(
            &backend, turn::TurnCredentials{notice->turnUsername, notice->turnCredential});
        if (!access)
            qFatal("TURN access: %s", access.error().message.c_str());
        media::MediaOptions o;
        o.localAddresses = {m_turn.clientAddress(index)};
        o.turnServers = access->servers;
        o.relayOnly = access->relayOnly;
        return o;
    }

    /// Both members' meshes, watched, and their first epoch.
    void meet(const media::MediaOptions& first, const media::MediaOptions& second)
    {
        m_kit = std::make_unique<MeshKit>(first);
        m_kit->add(0, first);
        m_kit->add(1, second);
        watch.on(*m_kit, 0);
        watch.on(*m_kit, 1);
        m_kit->epoch({0, 1});
    }

    bool flowingBothWays()
    {
        for (auto [receiver, sender] : {std::pair{0u, 1u}, std::pair{1u, 0u}})
            if (m_kit->decoded(receiver, sender, StreamKind::Camera) < 20 ||
                m_kit->decoded(receiver, sender, StreamKind::Audio) < 50)
                return false;
        return true;
    }
    bool nothingDecoded()
    {
        for (auto [receiver, sender] : {std::pair{0u, 1u}, std::pair{1u, 0u}})
            for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera})
                if (m_kit->decoded(receiver, sender, kind) != 0)
                    return false;
        return true;
    }

    /// Everything worth seeing when a check fails (printed, as QVERIFY2 cuts long messages).
    void explain()
    {
        QString text;
        for (uint32_t i : {0u, 1u})
            text += QStringLiteral("member %1 problems: %2\n")
                        .arg(i)
                        .arg(watch.problems[i].join(QStringLiteral("; ")));
        for (const char* name : {"direct", "turn", "refused", "unexpected"})
            text += QStringLiteral("%1 %2, ").arg(QLatin1String(name)).arg(counter(name));
        QProcess sockets;
        sockets.start(QStringLiteral("ss"), {"-tuan"});
        sockets.waitForFinished(5000);
        text += QStringLiteral("\nsockets:\n") + QString::fromUtf8(sockets.readAllStandardOutput());
        qWarning().noquote() << text << "coturn:\n" << m_turn.logText().right(6000);
    }

    CoturnProcess& turn() { return m_turn; }
    MeshKit& kit() { return *m_kit; }
    Watch watch;

private:
    CoturnProcess m_turn;
    QString m_transport;
    std::unique_ptr<MeshKit> m_kit;
};

} // namespace

class TestTurnRelay : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(g_namespaceError.isEmpty(), qPrintable(g_namespaceError));
        QVERIFY(media::initialiseMedia());
    }

    void mediaFlowsOnlyThroughTurnOverUdp() { relayedBothWays(QStringLiteral("udp"), 3478); }

    void mediaFlowsOnlyThroughTurnOverTcpOnPort443()
    {
        relayedBothWays(QStringLiteral("tcp"), 443);
    }

    void theHubsCredentialsForThePolicysServerRelayOverTcpOn443()
    {
        relayedBothWays(QStringLiteral("tcp"), 443, true);
    }

    void wrongCredentialsGetNoMediaAndSaySo()
    {
        Scene scene;
        const QString started = scene.start(QStringLiteral("udp"));
        QVERIFY2(started.isEmpty(), qPrintable(started));
        const auto good = scene.member(0, true);
        // Credentials from a secret coturn does not hold: what an expired or forged one gets.
        const auto wrong = scene.member(1, true, "not the server's secret");
        scene.meet(good, wrong);

        const bool told = waitFor(
            [&] { return scene.watch.reported(1, QStringLiteral("media.turn_failed")); }, 15000);
        if (!told)
            scene.explain();
        QVERIFY(told);
        // Its peer, left with no address to try, says so too.
        const bool peerTold = waitFor(
            [&] { return scene.watch.reported(0, QStringLiteral("media.no_peer_address")); },
            int(media::IceWatch::kPeerAddressWait.count()) * 1000 + 5000);
        if (!peerTold)
            scene.explain();
        QVERIFY(peerTold);
        QVERIFY(scene.nothingDecoded());
        QVERIFY(scene.turn().refusedCredentials() > 0);
        QCOMPARE(scene.turn().allocations(wrong.turnServers[0].username), 0);
        QVERIFY(scene.turn().allocations(good.turnServers[0].username) >= 1);
        // It told its peer of no address at all: relay only, and no relay.
        QVERIFY(scene.watch.candidateTypes[1].empty());
        QCOMPARE(counter("direct"), qint64(0));
    }

    void withoutRelayOnlyTheBlockedDirectPathFallsBackToTurn()
    {
        // What members see when TURN is only a fallback (no policy demands relaying): they
        // offer their own addresses too, the direct checks are tried and dropped, and the media
        // takes the relay.
        Scene scene;
        const QString started = scene.start(QStringLiteral("udp"));
        QVERIFY2(started.isEmpty(), qPrintable(started));
        QElapsedTimer clock;
        clock.start();
        scene.meet(scene.member(0, false), scene.member(1, false));
        const bool flowed = waitFor([&] { return scene.flowingBothWays(); }, 30000);
        if (!flowed)
            scene.explain();
        QVERIFY(flowed);
        qInfo("media flowed both ways %lld ms after the epoch", clock.elapsed());
        for (uint32_t i : {0u, 1u}) {
            QVERIFY(scene.watch.candidateTypes[i].count(QStringLiteral("host")));
            QVERIFY(scene.watch.candidateTypes[i].count(QStringLiteral("relay")));
            const auto pairs = selectedPairs(scene.kit().mesh(i).pipeline());
            QVERIFY(!pairs.empty());
            for (const auto& [local, remote] : pairs)
                QCOMPARE(local.type, QStringLiteral("relay"));
        }
        QVERIFY(counter("direct") > 0); // tried, and dropped
        QCOMPARE(counter("unexpected"), qint64(0));
    }

    void aMemberWithoutTurnGetsNoMediaAndSaysSo()
    {
        Scene scene;
        const QString started = scene.start(QStringLiteral("udp"));
        QVERIFY2(started.isEmpty(), qPrintable(started));
        media::MediaOptions without;
        without.localAddresses = {scene.turn().clientAddress(1)};
        QElapsedTimer clock;
        clock.start();
        scene.meet(scene.member(0, true), without);
        const bool told = waitFor(
            [&] { return scene.watch.reported(1, QStringLiteral("media.ice_failed")); }, 60000);
        if (!told)
            scene.explain();
        QVERIFY(told);
        qInfo("member 1 said so %lld ms after the epoch", clock.elapsed());
        QVERIFY(scene.watch.problems[1].join(' ').contains(QLatin1String("no TURN server")));
        // Its relay-only peer's checks towards it found no path either.
        const bool peerTold = waitFor(
            [&] { return scene.watch.reported(0, QStringLiteral("media.ice_failed")); }, 30000);
        if (!peerTold)
            scene.explain();
        QVERIFY(peerTold);
        QVERIFY(scene.nothingDecoded());
    }

private:
    void relayedBothWays(const QString& transport, int port, bool fromHub = false)
    {
        Scene scene(port);
        const QString started = scene.start(transport);
        QVERIFY2(started.isEmpty(), qPrintable(started));
        const auto options0 = fromHub ? scene.memberFromHub(0) : scene.member(0, true);
        const auto options1 = fromHub ? scene.memberFromHub(1) : scene.member(1, true);
        scene.meet(options0, options1);
        const bool flowed = waitFor([&] { return scene.flowingBothWays(); }, 20000);
        if (!flowed)
            scene.explain();
        QVERIFY(flowed);
        MeshKit::run(1000);

        // SFrame-authenticated frames, both ways, audio and video, none refused.
        for (auto [receiver, sender] : {std::pair{0u, 1u}, std::pair{1u, 0u}})
            for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera})
                QCOMPARE(scene.kit().failures(receiver, sender, kind), uint64_t(0));

        // webrtcbin's own word: the pair it selected is a relay on coturn, at both ends.
        const QString server = scene.turn().serverAddress();
        for (uint32_t i : {0u, 1u}) {
            const auto pairs = selectedPairs(scene.kit().mesh(i).pipeline());
            QVERIFY2(!pairs.empty(), "no selected candidate pair");
            for (const auto& [local, remote] : pairs) {
                QCOMPARE(local.type, QStringLiteral("relay"));
                QCOMPARE(local.address, server);
                QCOMPARE(local.url, server);
                QCOMPARE(remote.type, QStringLiteral("relay"));
                QCOMPARE(remote.address, server);
            }
            // Relay only: the peer never even learnt this member's own address.
            QCOMPARE(scene.watch.candidateTypes[i], std::set<QString>{QStringLiteral("relay")});
            QVERIFY2(scene.watch.problems[i].isEmpty(),
                     qPrintable(scene.watch.problems[i].join('\n')));
        }
        // coturn's: an allocation for each member's credentials.
        QVERIFY(scene.turn().allocations(options0.turnServers[0].username) >= 1);
        QVERIFY(scene.turn().allocations(options1.turnServers[0].username) >= 1);
        // The network's: everything went to coturn's listener over `transport`; nothing was
        // even tried directly, and nothing else was sent or received.
        const bool counted = counter("turn") > 300 && counter("direct") == 0 &&
                             counter("refused") == 0 && counter("unexpected") == 0;
        if (!counted)
            scene.explain();
        QVERIFY(counted);
    }
};

int main(int argc, char* argv[])
{
    g_namespaceError = testsupport::enterOwnNetworkNamespace();
    QCoreApplication app(argc, argv);
    TestTurnRelay test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_turn_relay.moc"
