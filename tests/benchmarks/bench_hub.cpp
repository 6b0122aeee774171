// SPDX-License-Identifier: GPL-3.0-or-later
// Hub throughput and latency (DESIGN §14: ≥ 1,000 knocks/s, 500 concurrent connections),
// against the real conclave-hub process over loopback TLS, with its knock rate limit raised.
// Measures:
//  - connections held at once (1,000; 100 quick) and the hub's RSS idle/connected/waiting;
//  - knocks handled per second: one knock on each of those open connections, all at once,
//    until every knocker has its lobby notice; plus the hub's CPU per knock;
//  - knocks that each bring a new TLS connection (50 in flight), which is mostly handshakes;
//  - the hub's rules alone (HubState, no sockets) on the same kind of knock;
//  - admit round trip: chair's admit sent -> the knocker's `admitted` notice received;
//  - fan-out: chair's heartbeat sent -> received by all of 10 / 100 members;
// next to baselines measured in the same run against a bare TLS WebSocket echo server (same
// Qt, same TLS set-up, no meeting logic): one round trip, one message on each of as many
// open connections, and connect + one echo per connection.
// Prints JSON only.
#include "BenchmarkReport.h"
#include "EchoServer.h"
#include "HubHarness.h"
#include "HubProcess.h"
#include "HubTestClient.h"
#include "TestMeeting.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <memory>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace conclave;
using namespace conclave::hubtest;
using Kind = hub::HubNotice::Kind;

namespace {

constexpr int kInFlight = 50; // concurrent handshakes; below the listen backlog

/// Runs the event loop until `done` or `timeoutMs`; unlike QTest::qWaitFor it never sleeps,
/// so it does not add milliseconds to what it measures.
bool spinUntil(const std::function<bool()>& done, int timeoutMs = 30000)
{
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    }
    return true;
}

struct Stats {
    double median = 0;
    double p95 = 0;
    double min = 0;
};

Stats stats(std::vector<double> v)
{
    if (v.empty())
        return {};
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v[std::min(v.size() - 1, size_t(double(v.size()) * 0.95))], v[0]};
}

QJsonObject statsJson(const Stats& s, int samples)
{
    return {{QStringLiteral("median_us"), s.median},
            {QStringLiteral("p95_us"), s.p95},
            {QStringLiteral("min_us"), s.min},
            {QStringLiteral("samples"), samples}};
}

double elapsedUs(const QElapsedTimer& t)
{
    return double(t.nsecsElapsed()) / 1000.0;
}

/// "VmRSS" of a process in KiB (0 when unreadable).
qint64 rssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return 0;
}

void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

/// `total` short sessions, `kInFlight` at a time: open, `start` once open, finished when
/// `finished` says so (then aborted). Returns sessions per second, or 0 on failure.
double runSessions(int total, const QUrl& url, const QString& pin,
                   const std::function<void(HubTestClient&, int)>& start,
                   const std::function<bool(HubTestClient&)>& finished, int* failures)
{
    struct Session {
        std::unique_ptr<HubTestClient> client;
        int index = 0;
        bool started = false;
    };
    std::vector<Session> active;
    int opened = 0, done = 0;
    *failures = 0;
    QElapsedTimer timer;
    timer.start();
    const bool ok = spinUntil(
        [&] {
            while (opened < total && int(active.size()) < kInFlight) {
                active.push_back({std::make_unique<HubTestClient>(pin), opened++, false});
                active.back().client->openAsync(url);
            }
            for (auto it = active.begin(); it != active.end();) {
                HubTestClient& c = *it->client;
                if (!it->started && c.isOpen()) {
                    start(c, it->index);
                    it->started = true;
                }
                const bool failed = c.hasFailed() || (it->started && c.isClosed());
                if (failed || (it->started && finished(c))) {
                    *failures += failed ? 1 : 0;
                    c.socket().abort();
                    it = active.erase(it);
                    ++done;
                } else {
                    ++it;
                }
            }
            return done == total;
        },
        120000);
    return ok ? double(total) / (double(timer.nsecsElapsed()) / 1e9) : 0;
}

/// Opens `n` connections, `kInFlight` handshakes at a time; failed ones are dropped.
std::vector<std::unique_ptr<HubTestClient>> openMany(int n, const QUrl& url, const QString& pin)
{
    std::vector<std::unique_ptr<HubTestClient>> clients;
    for (int batch = 0; batch < n; batch += kInFlight) {
        const size_t first = clients.size();
        for (int i = batch; i < std::min(n, batch + kInFlight); ++i) {
            clients.push_back(std::make_unique<HubTestClient>(pin));
            clients.back()->openAsync(url);
        }
        spinUntil([&] {
            return std::all_of(clients.begin() + qsizetype(first), clients.end(),
                               [](const auto& c) { return c->isOpen() || c->hasFailed(); });
        });
    }
    clients.erase(
        std::remove_if(clients.begin(), clients.end(), [](const auto& c) { return !c->isOpen(); }),
        clients.end());
    return clients;
}

/// Sends one message on every connection at once; messages per second until every
/// connection has had its answer (0 when some never answered).
double burst(std::vector<std::unique_ptr<HubTestClient>>& clients,
             const std::function<QByteArray(size_t)>& message,
             const std::function<void()>& meanwhile = {})
{
    QElapsedTimer timer;
    timer.start();
    for (size_t i = 0; i < clients.size(); ++i)
        clients[i]->send(message(i));
    const bool ok = spinUntil([&] {
        if (meanwhile)
            meanwhile();
        return std::all_of(clients.begin(), clients.end(),
                           [](const auto& c) { return c->pending() > 0; });
    });
    return ok ? double(clients.size()) / (double(timer.nsecsElapsed()) / 1e9) : 0;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    bench::BenchmarkReport report(QStringLiteral("bench_hub"), argc, argv);
    const bool quick = report.quick();
    raiseFileLimit();
    QTimer wake; // keeps WaitForMoreEvents from sleeping through a deadline
    wake.start(20);

    // --- baseline: a bare TLS WebSocket echo server in a thread of its own -----------------
    QTemporaryDir echoDir;
    auto echoIdentity = tls::TlsIdentity::loadOrCreate(echoDir.path(), QStringLiteral("echo"));
    if (!echoIdentity)
        qFatal("no TLS identity for the echo server: %s", echoIdentity.error().message.c_str());
    const QString echoPin = echoIdentity->spkiPin;
    QThread echoThread;
    auto* echo = new EchoServer(std::move(echoIdentity).value());
    echo->moveToThread(&echoThread);
    echoThread.start();
    quint16 echoPort = 0;
    QMetaObject::invokeMethod(
        echo, [&] { echoPort = echo->listen(); }, Qt::BlockingQueuedConnection);
    const QUrl echoUrl(QStringLiteral("wss://127.0.0.1:%1").arg(echoPort));

    const int roundTrips = quick ? 30 : 500;
    std::vector<double> echoRtt;
    {
        HubTestClient client(echoPin);
        if (!client.open(echoUrl))
            qFatal("cannot reach the echo server");
        const QByteArray message(160, 'e'); // about a signed heartbeat
        for (int i = 0; i < roundTrips + 5; ++i) {
            QElapsedTimer t;
            t.start();
            client.send(message);
            spinUntil([&] { return client.pending() > 0; });
            client.takeAll();
            if (i >= 5) // the first few warm up TLS and allocators
                echoRtt.push_back(elapsedUs(t));
        }
    }
    const Stats echoStats = stats(echoRtt);
    report.add({{QStringLiteral("name"), QStringLiteral("baseline_echo_round_trip")},
                {QStringLiteral("what"), QStringLiteral("160-byte binary message to a bare TLS "
                                                        "WebSocket echo server and back")},
                {QStringLiteral("result"), statsJson(echoStats, roundTrips)}});

    const int sessions = quick ? 100 : 2000;
    int failures = 0;
    const double echoConnectRate = runSessions(
        sessions, echoUrl, echoPin, [](HubTestClient& c, int) { c.send(QByteArray(400, 'k')); },
        [](HubTestClient& c) { return c.pending() > 0; }, &failures);
    report.add({{QStringLiteral("name"), QStringLiteral("baseline_connect_and_echo")},
                {QStringLiteral("what"), QStringLiteral("new TLS WebSocket connection + one "
                                                        "400-byte echo, 50 in flight")},
                {QStringLiteral("per_second"), echoConnectRate},
                {QStringLiteral("failures"), failures}});

    // --- the hub's rules alone, no sockets ------------------------------------------------
    {
        hub::HubLimits limits;
        limits.allowAnyChair = true;
        for (size_t t = 0; t < hub::MessageRates::kTypes; ++t)
            limits.messageRates.set(protocol::MessageType(t), {1e9, 1e9});
        limits.knockRate = 1e9;
        limits.knockBurst = 1e9;
        limits.maxLobby = 1000000;
        limits.maxConnectionsPerSource = 1000000;
        limits.maxConnections = 1000000;
        HubHarness h(limits);
        TestMeeting m;
        h.hub.open(1, QStringLiteral("198.51.100.1"));
        h.hub.receive(1, m.create());
        const int knocks = quick ? 300 : 5000;
        std::vector<QByteArray> prepared;
        std::vector<TestPerson> people(static_cast<size_t>(knocks));
        for (int i = 0; i < knocks; ++i)
            prepared.push_back(m.knock(people[size_t(i)], m.invite(&people[size_t(i)])));
        QElapsedTimer t;
        t.start();
        uint64_t queued = 0;
        for (int i = 0; i < knocks; ++i) {
            const hub::ConnectionId id = hub::ConnectionId(i) + 2;
            (void)h.hub.open(id, QStringLiteral("192.0.2.1"));
            (void)h.hub.receive(id, prepared[size_t(i)]);
            (void)h.hub.closed(id);
        }
        queued = h.hub.stats().knocksQueued;
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        report.add({{QStringLiteral("name"), QStringLiteral("hubstate_knocks")},
                    {QStringLiteral("what"),
                     QStringLiteral("HubState alone: open + invited knock (decode, 2 signature "
                                    "checks, invite rules) + close, no sockets")},
                    {QStringLiteral("per_second"), double(knocks) / seconds},
                    {QStringLiteral("us_per_knock"), seconds * 1e6 / double(knocks)},
                    {QStringLiteral("queued"), qint64(queued)}});
    }

    // --- crafted CBOR: what 80 messages of 256 KiB of tiny items cost the hub's thread -------
    {
        HubHarness h;
        TestMeeting m;
        const hub::ConnectionId chair = h.startMeeting(m);
        TestPerson member;
        const hub::ConnectionId c = h.admitMember(m, chair, member);
        QByteArray crafted;
        const int items = int(protocol::Envelope::kMaxEnvelopeBytes) - 16;
        crafted.append(char(0xa1)).append(char(0x61)).append('a').append(char(0x9a));
        for (int shift = 24; shift >= 0; shift -= 8)
            crafted.append(char((items >> shift) & 0xff));
        crafted.append(QByteArray(items, char(0x01)));
        std::vector<double> times;
        for (int i = 0; i < 80; ++i) {
            QElapsedTimer t;
            t.start();
            h.send(c, crafted);
            times.push_back(elapsedUs(t));
            h.take(c);
            if (h.isClosed(c))
                break; // strikes: the sender is cut off long before 80
        }
        report.add(
            {{QStringLiteral("name"), QStringLiteral("hubstate_crafted_cbor")},
             {QStringLiteral("what"),
              QStringLiteral("HubState alone: a member's 256 KiB message of tiny CBOR items, "
                             "refused by the shape pre-scan (until its strikes run out)")},
             {QStringLiteral("result"), statsJson(stats(times), int(times.size()))}});
    }

    // --- the real hub process -------------------------------------------------------------
    HubProcess hubProcess; // stopped by its destructor whatever happens
    QString error;
    const QString program =
        QCoreApplication::applicationDirPath() + QStringLiteral("/../bin/conclave-hub");
    if (!hubProcess.start({QStringLiteral("--knock-rate"), QStringLiteral("1000000"),
                           QStringLiteral("--knock-burst"), QStringLiteral("1000000"),
                           QStringLiteral("--max-lobby"), QStringLiteral("100000"),
                           QStringLiteral("--max-connections-per-source"), QStringLiteral("100000"),
                           QStringLiteral("--max-connections"), QStringLiteral("100000"),
                           // back-to-back heartbeats and admits, far beyond a real chair's pace
                           QStringLiteral("--message-rate-scale"), QStringLiteral("100000"),
                           QStringLiteral("--max-pending-per-source"), QStringLiteral("100000"),
                           QStringLiteral("--max-pending"), QStringLiteral("100000")},
                          &error, program))
        qFatal("cannot start conclave-hub: %s", qPrintable(error));
    const QUrl hubUrl = hubProcess.url();
    const QString pin = hubProcess.spki();
    meeting::MeetingOptions open;
    open.invitesRequired = false;
    open.openKnocking = true;
    TestMeeting m(pin, open);
    HubTestClient chair(pin);
    if (!chair.open(hubUrl))
        qFatal("the chair cannot connect");
    chair.send(m.create());
    if (!spinUntil([&] { return chair.pending() > 0; }))
        qFatal("no answer to create");
    chair.takeAll();

    // Connections held at once, then a knock on every one of them at the same moment: how
    // fast the hub handles knocks, TLS handshakes aside.
    const int held = quick ? 100 : 1000;
    const qint64 rssIdle = rssKiB(hubProcess.pid());
    QElapsedTimer openTimer;
    openTimer.start();
    auto waiting = openMany(held, hubUrl, pin);
    const double openSeconds = double(openTimer.nsecsElapsed()) / 1e9;
    spinUntil([] { return false; }, 200); // let the hub settle before reading its RSS
    const qint64 rssConnected = rssKiB(hubProcess.pid());
    std::vector<TestPerson> waiters(waiting.size());
    std::vector<QByteArray> heldKnocks;
    for (auto& w : waiters)
        heldKnocks.push_back(TestMeeting::knock(w, m.id, {}));
    const double cpuBeforeBurst = bench::processCpuSeconds(hubProcess.pid());
    const double knockRate = burst(
        waiting, [&](size_t i) { return heldKnocks[i]; }, [&] { chair.takeAll(); });
    const double burstCpu = bench::processCpuSeconds(hubProcess.pid()) - cpuBeforeBurst;
    const qint64 rssWaiting = rssKiB(hubProcess.pid());
    const int holding = int(waiting.size());

    auto echoClients = openMany(held, echoUrl, echoPin);
    const double echoBurstRate = burst(echoClients, [](size_t) { return QByteArray(400, 'k'); });
    echoClients.clear();

    report.add(
        {{QStringLiteral("name"), QStringLiteral("knocks")},
         {QStringLiteral("what"),
          QStringLiteral("one knock on each of %1 open connections, all at once, until "
                         "every knocker has its lobby notice; rate limit raised")
              .arg(holding)},
         {QStringLiteral("per_second"), knockRate},
         {QStringLiteral("target_per_second"), 1000},
         {QStringLiteral("hub_cpu_us_per_knock"), holding > 0 ? burstCpu * 1e6 / holding : 0},
         {QStringLiteral("baseline"),
          QStringLiteral("one 400-byte echo on each of as many open connections")},
         {QStringLiteral("baseline_per_second"), echoBurstRate},
         {QStringLiteral("ratio_to_baseline"), echoBurstRate > 0 ? knockRate / echoBurstRate : 0}});
    report.add({{QStringLiteral("name"), QStringLiteral("concurrent_connections")},
                {QStringLiteral("what"), QStringLiteral("connections held open at once, then "
                                                        "each waiting in the lobby")},
                {QStringLiteral("connections"), holding + 1},
                {QStringLiteral("target_connections"), 500},
                {QStringLiteral("seconds_to_open"), openSeconds},
                {QStringLiteral("hub_rss_kib_idle"), rssIdle},
                {QStringLiteral("hub_rss_kib_connected"), rssConnected},
                {QStringLiteral("hub_rss_kib_waiting"), rssWaiting},
                {QStringLiteral("hub_kib_per_connection"),
                 holding > 0 ? double(rssWaiting - rssIdle) / holding : 0}});
    for (auto& c : waiting)
        c->socket().abort();
    waiting.clear();
    spinUntil(
        [&] {
            chair.takeAll();
            return false;
        },
        300);

    // Knocks that each bring a new TLS connection, as strangers arrive: mostly handshakes.
    std::vector<TestPerson> knockers(static_cast<size_t>(sessions));
    std::vector<QByteArray> knocks;
    for (auto& k : knockers)
        knocks.push_back(TestMeeting::knock(k, m.id, {}));
    const double cpuBefore = bench::processCpuSeconds(hubProcess.pid());
    const double connectKnockRate = runSessions(
        sessions, hubUrl, pin,
        [&](HubTestClient& c, int i) {
            c.send(knocks[size_t(i)]);
            chair.takeAll(); // the chair's copies of the knocks
        },
        [](HubTestClient& c) { return c.pending() > 0; }, &failures);
    const double hubCpu = bench::processCpuSeconds(hubProcess.pid()) - cpuBefore;
    report.add({{QStringLiteral("name"), QStringLiteral("knocks_with_new_connections")},
                {QStringLiteral("what"), QStringLiteral("new TLS connection + knock + lobby "
                                                        "notice, 50 in flight, rate limit raised; "
                                                        "the client side shares the 2 cores")},
                {QStringLiteral("per_second"), connectKnockRate},
                {QStringLiteral("hub_cpu_us_per_knock"), hubCpu * 1e6 / double(sessions)},
                {QStringLiteral("failures"), failures},
                {QStringLiteral("baseline_per_second"), echoConnectRate},
                {QStringLiteral("ratio_to_baseline"),
                 echoConnectRate > 0 ? connectKnockRate / echoConnectRate : 0}});
    spinUntil(
        [&] {
            chair.takeAll();
            return false;
        },
        300);

    // Admit round trip, and members for the fan-out.
    std::vector<std::unique_ptr<HubTestClient>> members;
    std::vector<TestPerson> memberPeople(100);
    std::vector<double> admitRtt;
    const auto admitMembers = [&](size_t upTo) {
        while (members.size() < upTo) {
            const size_t i = members.size();
            members.push_back(std::make_unique<HubTestClient>(pin));
            HubTestClient& c = *members.back();
            if (!c.open(hubUrl))
                qFatal("a member cannot connect");
            c.send(TestMeeting::knock(memberPeople[i], m.id, {}));
            spinUntil([&] { return c.pending() > 0 && chair.pending() > 0; });
            c.takeAll();
            chair.takeAll();
            QElapsedTimer t;
            t.start();
            chair.send(m.admit(memberPeople[i]));
            spinUntil([&] { return c.pending() > 0; }); // `admitted` comes first
            admitRtt.push_back(elapsedUs(t));
            spinUntil([&] { return c.pending() > 1; }); // then the chair's signed admit
            for (auto& other : members)
                other->takeAll();
        }
    };
    const auto fanOut = [&](size_t n) {
        const int reps = quick ? 10 : 100;
        std::vector<double> times;
        for (int r = 0; r < reps + 3; ++r) {
            QElapsedTimer t;
            t.start();
            chair.send(m.heartbeat(uint64_t(r)));
            spinUntil([&] {
                return std::all_of(members.begin(), members.begin() + qsizetype(n),
                                   [](const auto& c) { return c->pending() > 0; });
            });
            if (r >= 3)
                times.push_back(elapsedUs(t));
            for (auto& c : members)
                c->takeAll();
        }
        const Stats s = stats(times);
        report.add({{QStringLiteral("name"), QStringLiteral("fan_out_%1").arg(n)},
                    {QStringLiteral("what"), QStringLiteral("chair heartbeat sent -> received "
                                                            "by all %1 members")
                                                 .arg(n)},
                    {QStringLiteral("result"), statsJson(s, reps)},
                    {QStringLiteral("baseline_echo_median_us"), echoStats.median},
                    {QStringLiteral("ratio_to_baseline"),
                     echoStats.median > 0 ? s.median / echoStats.median : 0}});
    };
    admitMembers(10);
    fanOut(10);
    admitMembers(100);
    fanOut(100);
    const Stats admitStats = stats(admitRtt);
    report.add({{QStringLiteral("name"), QStringLiteral("admit_round_trip")},
                {QStringLiteral("what"), QStringLiteral("chair's admit sent -> knocker's "
                                                        "'admitted' notice received")},
                {QStringLiteral("result"), statsJson(admitStats, int(admitRtt.size()))},
                {QStringLiteral("baseline_echo_median_us"), echoStats.median},
                {QStringLiteral("ratio_to_baseline"),
                 echoStats.median > 0 ? admitStats.median / echoStats.median : 0}});

    members.clear();
    chair.socket().abort();
    hubProcess.stop();
    QMetaObject::invokeMethod(
        echo, [echo] { delete echo; }, Qt::BlockingQueuedConnection);
    echoThread.quit();
    echoThread.wait();
    return report.finish();
}
