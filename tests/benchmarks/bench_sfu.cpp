// SPDX-License-Identifier: GPL-3.0-or-later
// Scale-out (issue #13): the mesh against Janus VideoRoom, in the same run, between real
// conclave-cli processes in load mode (low-resolution test media; every received frame is
// authenticated, none decoded). Janus runs in its own network namespace with conclave-hub and a
// signed hub+janus policy (tests/support/JanusHub).
//  - uplink: protected frame bytes per second each member puts on its own link (the CLI's
//    `uplink` line: every copy counted), at N = 2, 4, 8 and a large N through Janus; the ratio
//    to N = 2 (mesh grows about N - 1, Janus should stay flat);
//  - admission to first frame: the chair's admit to the newcomer's first authenticated frame of
//    the chair's video, through Janus and over a bare two-member mesh link (the baseline);
//  - the largest meeting held: every member of a Janus meeting of N endpoints authenticates
//    frames of every other member;
//  - Janus CPU per forwarded stream at that size (its process's CPU time over the window).
#include "BenchMeeting.h"
#include "BenchmarkReport.h"
#include "JanusHub.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>

#include <map>
#include <set>

#include <unistd.h>

using namespace conclave;
using bench::BenchBackend;
using bench::BenchMeeting;
using bench::pump;
using testsupport::CliProcess;
using testsupport::JanusHub;

namespace {

/// Asks every process for its media statistics and returns, for each, its latest report: the
/// `uplink` line and the `media` lines printed with it, all counted at one moment (its
/// periodic report may come too; mixing two would skew the rates). Everyone is read meanwhile
/// (a process whose output nobody reads stalls).
std::vector<QList<QJsonObject>> statsOf(const std::vector<CliProcess*>& all)
{
    std::vector<qsizetype> from;
    for (CliProcess* p : all) {
        p->poll();
        from.push_back(p->lines().size());
        p->send({{"cmd", "media-stats"}});
    }
    pump(all, 1500);
    std::vector<QList<QJsonObject>> out;
    for (size_t i = 0; i < all.size(); ++i) {
        const QList<QJsonObject> answer = all[i]->lines().mid(from[i]);
        qsizetype latest = 0;
        for (qsizetype l = 0; l < answer.size(); ++l)
            if (answer[l].value("event") == QLatin1String("uplink"))
                latest = l;
        out.push_back(answer.mid(latest));
    }
    return out;
}

/// The first line of `event` in `lines`, or none.
QJsonObject first(const QList<QJsonObject>& lines, const char* event)
{
    for (const QJsonObject& line : lines)
        if (line.value("event") == QLatin1String(event))
            return line;
    return {};
}

struct Meeting {
    QStringList names; ///< everyone's, the chair's first
    std::unique_ptr<BenchMeeting> meeting;
    std::vector<std::unique_ptr<CliProcess>> people;
    std::vector<CliProcess*> all;
};

Meeting meet(const QString& dir, int members, const BenchBackend& backend)
{
    QStringList names;
    for (int i = 1; i < members; ++i)
        names << QStringLiteral("M%1").arg(i);
    Meeting m;
    m.names = QStringList{QStringLiteral("Chair")} + names;
    m.meeting = std::make_unique<BenchMeeting>(dir, names, QStringLiteral("load"), backend);
    m.people = m.meeting->admitAll(names);
    m.all.push_back(m.meeting->chair.get());
    for (auto& p : m.people)
        m.all.push_back(p.get());
    return m;
}

void end(Meeting& m)
{
    m.meeting->chair->send({{"cmd", "end"}});
    m.meeting->chair->waitForExit();
}

/// Per received stream (sender, stream): frames received, authenticated and failed so far.
struct Counts {
    qint64 received = 0, decrypted = 0, failures = 0;
};
using StreamCounts = std::map<std::pair<QString, QString>, Counts>;

StreamCounts countsIn(const QList<QJsonObject>& lines)
{
    StreamCounts out;
    for (const QJsonObject& line : lines)
        if (line.value("event") == QLatin1String("media"))
            out[{line.value("name").toString(), line.value("stream").toString()}] = {
                line.value("received").toInteger(), line.value("decrypted").toInteger(),
                line.value("failures").toInteger()};
    return out;
}

/// Mean uplink per member in bytes per second over `seconds`, and what every member received
/// in that window: the streams whose frames it authenticated, and the frames it received, opened
/// and failed to open, all streams together.
QJsonObject uplink(Meeting& m, int seconds, int settleMs)
{
    pump(m.all, settleMs); // every connection up
    std::vector<QJsonObject> uplinkBefore;
    std::vector<StreamCounts> countsBefore;
    for (const auto& lines : statsOf(m.all)) {
        uplinkBefore.push_back(first(lines, "uplink"));
        countsBefore.push_back(countsIn(lines));
    }
    const auto grown = [&](const QJsonObject& now, size_t i, const char* field) {
        return double(now.value(field).toInteger() - uplinkBefore[i].value(field).toInteger());
    };
    pump(m.all, seconds * 1000);
    double total = 0;
    double keyframesPassed = 0;
    double keyframeAsks = 0;
    QString via;
    qint64 flowing = 0, received = 0, opened = 0, failed = 0;
    QJsonArray silent;            // "receiver <- sender stream (frames received in the window)"
    QJsonObject warningsOfSilent; // receiver -> what it warned about, to tell why
    std::map<QString, double> openedPerSecond; // "audio", "video": all streams together
    const auto after = statsOf(m.all);
    for (size_t i = 0; i < m.all.size(); ++i) {
        const StreamCounts current = countsIn(after[i]);
        for (const QString& sender : m.names)
            for (const char* stream : {"audio", "video"}) {
                const std::pair<QString, QString> key{sender, QLatin1String(stream)};
                if (sender == m.names.at(qsizetype(i)) ||
                    (current.count(key) &&
                     current.at(key).decrypted > countsBefore[i][key].decrypted))
                    continue;
                const qint64 came = current.count(key)
                                        ? current.at(key).received - countsBefore[i][key].received
                                        : -1;
                if (!warningsOfSilent.contains(m.names.at(qsizetype(i)))) {
                    QJsonArray warnings;
                    for (const QJsonObject& l : m.all[i]->lines())
                        if (l.value("event") == QLatin1String("warning"))
                            warnings.append(l);
                    warningsOfSilent.insert(m.names.at(qsizetype(i)), warnings);
                }
                silent.append(QStringLiteral("%1 <- %2 %3 (%4)")
                                  .arg(m.names.at(qsizetype(i)), sender, QLatin1String(stream),
                                       came < 0 ? QStringLiteral("never attached")
                                                : QStringLiteral("%1 frames came").arg(came)));
            }
        const QJsonObject line = first(after[i], "uplink");
        total += grown(line, i, "bytes") / seconds;
        keyframesPassed += grown(line, i, "keyframe_requests_passed");
        keyframeAsks += grown(line, i, "keyframe_asks");
        via = line.value("via").toString();
        const double ownSeconds = grown(line, i, "elapsed_ms") / 1000.0; // its own clock
        for (const auto& [stream, now] : current) {
            const Counts was = countsBefore[i][stream];
            flowing += now.decrypted > was.decrypted ? 1 : 0;
            received += now.received - was.received;
            opened += now.decrypted - was.decrypted;
            if (ownSeconds > 0)
                openedPerSecond[stream.second] +=
                    double(now.decrypted - was.decrypted) / ownSeconds;
            failed += now.failures - was.failures;
        }
    }
    QJsonObject warnings; // code -> how many, everyone's, since each member started
    for (CliProcess* p : m.all)
        for (const QJsonObject& l : p->lines())
            if (l.value("event") == QLatin1String("warning")) {
                const QString code = l.value("code").toString();
                warnings.insert(code, warnings.value(code).toInt() + 1);
            }
    const double members = double(m.all.size());
    // What each received stream delivered, authenticated, per second of its receiver's window:
    // in load mode a sender makes 16.7 audio frames (60 ms Opus) and 10 video frames a second;
    // fewer means frames lost on the way.
    const double streamsOfKind = members * (members - 1);
    QJsonObject perStream;
    for (const auto& [kind, rate] : openedPerSecond)
        perStream.insert(kind, rate / streamsOfKind);
    return {{"bytes_per_second", total / members},
            // Keyframes cost uplink: requests passed to each member's encoders, and keyframes
            // each member asked for itself (through Janus), per member per second.
            {"keyframe_requests_passed_per_second", keyframesPassed / members / seconds},
            {"keyframe_asks_per_second", keyframeAsks / members / seconds},
            {"via", via},
            {"streams_authenticating", flowing},
            {"streams_expected", int(m.all.size() * (m.all.size() - 1) * 2)},
            {"streams_silent", silent},
            {"warnings_of_silent_receivers", warningsOfSilent},
            {"warnings_by_code", warnings},
            {"frames_authenticated_per_stream_per_second", perStream},
            {"frames_received", received},
            {"frames_authenticated", opened},
            {"frames_failed", failed}};
}

/// Admit click to the newcomer's first authenticated frame of the chair's video, in ms, for
/// `samples` newcomers admitted one after another into a meeting of the chair alone.
std::vector<double> admitToFirstFrame(const QString& dir, const BenchBackend& backend, int samples)
{
    QStringList names;
    for (int i = 1; i <= samples; ++i)
        names << QStringLiteral("N%1").arg(i);
    BenchMeeting meeting(dir, names, QStringLiteral("load"), backend);
    std::vector<double> out;
    for (const QString& name : names) {
        auto newcomer = meeting.knock(name);
        meeting.awaitChairsClick(*newcomer);
        const QElapsedTimer clock = meeting.admit(name, *newcomer);
        const QJsonObject first = newcomer->waitFor("first_frame", 20000, [](const QJsonObject& o) {
            return o.value("name") == QLatin1String("Chair") &&
                   o.value("stream") == QLatin1String("video");
        });
        if (!first.isEmpty() && clock.isValid())
            out.push_back(double(clock.elapsed()));
        // The newcomer leaves: each sample is one newcomer meeting the chair alone.
        newcomer->send({{"cmd", "leave"}});
        newcomer->waitForExit();
    }
    meeting.chair->send({{"cmd", "end"}});
    meeting.chair->waitForExit();
    return out;
}

/// Decrypt failures `p` has counted so far for the streams of `senders`, all streams together.
qint64 failuresFrom(CliProcess& p, const QStringList& senders)
{
    p.poll();
    const qsizetype from = p.lines().size();
    p.send({{"cmd", "media-stats"}});
    pump({&p}, 500);
    std::map<std::pair<QString, QString>, qint64> latest;
    for (qsizetype i = from; i < p.lines().size(); ++i)
        if (const QJsonObject& line = p.lines()[i]; line.value("event") == QLatin1String("media") &&
                                                    senders.contains(line.value("name").toString()))
            latest[{line.value("name").toString(), line.value("stream").toString()}] =
                line.value("failures").toInteger();
    qint64 total = 0;
    for (const auto& [key, failures] : latest)
        total += failures;
    return total;
}

/// A removal through Janus: how long until every remaining member sends under the new key
/// (the removed member's key is unused from then on: the `key_switch` each reports), and the
/// frames the remaining members failed to open across the switch (goal 0).
QJsonObject removal(const QString& dir, const BenchBackend& backend)
{
    Meeting m = meet(dir, 4, backend); // Chair, M1, M2, M3
    pump(m.all, 5000);
    const QStringList stay{"Chair", "M1", "M2"};
    std::vector<CliProcess*> staying{m.all[0], m.all[1], m.all[2]};
    std::vector<qint64> before;
    for (CliProcess* p : staying)
        before.push_back(failuresFrom(*p, stay));
    int epochBefore = 0;
    for (const QJsonObject& line : m.meeting->chair->lines())
        if (line.value("event") == QLatin1String("epoch"))
            epochBefore = line.value("epoch").toInt();
    m.meeting->chair->send({{"cmd", "remove"}, {"who", "M3"}});
    double switchedAfter = 0;
    bool switched = true;
    for (CliProcess* p : staying) {
        const QJsonObject k = p->waitFor("key_switch", 20000, [&](const QJsonObject& o) {
            return o.value("epoch").toInt() > epochBefore; // the removal's rekey
        });
        switched = switched && !k.isEmpty();
        switchedAfter = std::max(switchedAfter, double(k.value("after_ms").toInteger()));
    }
    pump(staying, 4000); // frames sent around the switch have arrived
    qint64 lost = 0;
    for (size_t i = 0; i < staying.size(); ++i)
        lost += failuresFrom(*staying[i], stay) - before[i];
    end(m);
    return {{"name", "removal_through_janus"},
            {"every_member_switched", switched},
            {"old_key_unused_after_ms", switchedAfter},
            {"frames_failed_across_the_switch", lost},
            {"goal_frames_failed", 0}};
}

/// CPU seconds (user + system) a process has used so far.
double cpuSeconds(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = stat.readAll().split(' ');
    // Fields 14 and 15 (utime, stime), counted after the ")" that ends the command name.
    return fields.size() > 15
               ? double(fields[13].toLongLong() + fields[14].toLongLong()) / sysconf(_SC_CLK_TCK)
               : 0;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    bench::BenchmarkReport report(QStringLiteral("bench_sfu"), argc, argv);
    QTemporaryDir dir;
    const bool quick = report.quick();
    const int seconds = quick ? 2 : 10;
    const std::vector<int> sizes = quick ? std::vector<int>{2, 3} : std::vector<int>{2, 4, 8};
    const int largest = quick ? 4 : 25;

    JanusHub sfu(1);
    if (const QString failure = sfu.start(); !failure.isEmpty()) {
        report.add({{"name", "sfu"}, {"error", failure}});
        report.finish();
        return 1;
    }
    const BenchBackend janus{sfu.memberArgs(true), sfu.memberArgs(false)};

    QJsonObject mesh;
    QJsonObject viaJanus;
    for (int n : sizes) {
        Meeting m = meet(dir.path() + QStringLiteral("/mesh%1").arg(n), n,
                         BenchBackend::embedded(dir.path() + QStringLiteral("/mesh%1").arg(n)));
        mesh.insert(QString::number(n), uplink(m, seconds, 3000));
        end(m);
        Meeting j = meet(dir.path() + QStringLiteral("/janus%1").arg(n), n, janus);
        viaJanus.insert(QString::number(n), uplink(j, seconds, 4000));
        end(j);
    }
    const auto ratio = [&](const QJsonObject& by, int n) {
        const double two = by.value("2").toObject().value("bytes_per_second").toDouble();
        return two > 0
                   ? by.value(QString::number(n)).toObject().value("bytes_per_second").toDouble() /
                         two
                   : 0.0;
    };

    // The largest meeting, through Janus only, with Janus's CPU over the window.
    Meeting big = meet(dir.path() + QStringLiteral("/janus-big"), largest, janus);
    const qint64 janusPid = sfu.janus(0).pid();
    pump(big.all, 6000);
    const double cpuBefore = cpuSeconds(janusPid);
    QElapsedTimer window;
    window.start();
    QJsonObject atLargest = uplink(big, seconds, 0);
    const double cpu = (cpuSeconds(janusPid) - cpuBefore) / (double(window.elapsed()) / 1000.0);
    end(big);
    viaJanus.insert(QString::number(largest), atLargest);
    const int forwarded = largest * (largest - 1) * 2; // streams Janus sends out

    report.add({{"name", "uplink_bytes_per_second_per_member"},
                {"mesh", mesh},
                {"janus", viaJanus},
                {"mesh_ratio_largest_to_2", ratio(mesh, sizes.back())},
                {"janus_ratio_largest_to_2", ratio(viaJanus, largest)},
                {"goal_janus_ratio", "<= 1.1"},
                {"expected_mesh_ratio", sizes.back() - 1}});
    report.add({{"name", "largest_meeting_through_janus"},
                {"endpoints", largest},
                {"streams_authenticating", atLargest.value("streams_authenticating")},
                {"streams_expected", atLargest.value("streams_expected")},
                {"streams_silent", atLargest.value("streams_silent")},
                {"warnings_of_silent_receivers", atLargest.value("warnings_of_silent_receivers")},
                {"warnings_by_code", atLargest.value("warnings_by_code")},
                {"frames_received", atLargest.value("frames_received")},
                {"frames_authenticated", atLargest.value("frames_authenticated")},
                {"frames_failed", atLargest.value("frames_failed")},
                {"goal_endpoints", ">= 25, every stream authenticating"}});
    report.add(
        {{"name", "janus_cpu"},
         {"cores_busy", cpu},
         {"forwarded_streams", forwarded},
         {"core_percent_per_forwarded_stream", forwarded > 0 ? 100.0 * cpu / forwarded : 0}});

    report.add(removal(dir.path() + "/removal", janus));

    // 20, so that p95 is the 95th percentile, not the slowest sample (nearest rank).
    const int samples = quick ? 2 : 20;
    const auto bare = admitToFirstFrame(
        dir.path() + "/first-mesh", BenchBackend::embedded(dir.path() + "/first-mesh"), samples);
    const auto through = admitToFirstFrame(dir.path() + "/first-janus", janus, samples);
    const double bareP95 = bench::percentile(bare, 0.95);
    report.add(
        {{"name", "admit_to_first_frame_ms"},
         {"janus", bench::distribution(through)},
         {"bare_link", bench::distribution(bare)},
         {"ratio_p95_janus_to_bare", bareP95 > 0 ? bench::percentile(through, 0.95) / bareP95 : 0},
         {"goal", "janus p95 < 1000 ms and <= 1.5x the bare link"}});
    return report.finish();
}
