// SPDX-License-Identifier: GPL-3.0-or-later
// Scale-out (issue #13): what each member sends as meetings grow, between real conclave-cli
// processes on loopback in load mode (low-resolution test media; every received frame is
// authenticated, none decoded).
//  - mesh: per-member uplink (SFrame payload bytes per second, summed over what every other
//    member received from it) at N = 2, 4 and 8, and the ratio to N = 2 - a mesh member sends
//    each stream once per peer, so it grows about N - 1;
//  - the same through Janus (flat in N) is measured here once the SFU transport exists; until
//    then the report says so instead of a number.
#include "BenchMeeting.h"
#include "BenchmarkReport.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <map>

using namespace conclave;
using bench::BenchMeeting;
using bench::pump;
using testsupport::CliProcess;

namespace {

/// Bytes `receiver` has received so far from each sender (by name), all streams together,
/// from a fresh `media-stats` answer.
std::map<QString, qint64> bytesFrom(CliProcess& receiver, int senders, int streamsEach)
{
    receiver.poll();
    const qsizetype from = receiver.lines().size();
    receiver.send({{"cmd", "media-stats"}});
    std::map<std::pair<QString, QString>, qint64> seen;
    const auto expected = size_t(senders * streamsEach);
    for (int waited = 0; seen.size() < expected && waited < 3000; waited += 20) {
        pump({&receiver}, 20);
        for (qsizetype i = from; i < receiver.lines().size(); ++i) {
            const QJsonObject& line = receiver.lines()[i];
            if (line.value("event") == QLatin1String("media"))
                seen[{line.value("name").toString(), line.value("stream").toString()}] =
                    line.value("bytes").toInteger();
        }
    }
    std::map<QString, qint64> out;
    for (const auto& [key, bytes] : seen)
        out[key.first] += bytes;
    return out;
}

/// Mean uplink per member in a mesh of `members`, over `seconds`.
double meshUplink(const QString& dir, int members, int seconds)
{
    QStringList names;
    for (int i = 1; i < members; ++i)
        names << QStringLiteral("M%1").arg(i);
    BenchMeeting m(dir, names, QStringLiteral("load"));
    auto people = m.admitAll(names);
    std::vector<CliProcess*> all{m.chair.get()};
    for (auto& p : people)
        all.push_back(p.get());
    pump(all, 3000);       // every link up
    const int streams = 2; // audio and video: nobody shares a screen here
    std::vector<std::map<QString, qint64>> before;
    for (CliProcess* p : all)
        before.push_back(bytesFrom(*p, members - 1, streams));
    pump(all, seconds * 1000);
    std::map<QString, double> uplink; // sender -> bytes per second
    for (size_t i = 0; i < all.size(); ++i)
        for (const auto& [sender, bytes] : bytesFrom(*all[i], members - 1, streams))
            if (before[i].count(sender))
                uplink[sender] += double(bytes - before[i][sender]) / seconds;
    m.chair->send({{"cmd", "end"}});
    m.chair->waitForExit();
    double total = 0;
    for (const auto& [sender, rate] : uplink)
        total += rate;
    return uplink.empty() ? 0 : total / double(members);
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    bench::BenchmarkReport report(QStringLiteral("bench_sfu"), argc, argv);
    QTemporaryDir dir;
    const int seconds = report.quick() ? 2 : 10;
    const std::vector<int> sizes =
        report.quick() ? std::vector<int>{2, 3} : std::vector<int>{2, 4, 8};
    QJsonObject perMember;
    double atTwo = 0;
    double atLargest = 0;
    for (int n : sizes) {
        const double rate = meshUplink(dir.path() + QStringLiteral("/mesh%1").arg(n), n, seconds);
        perMember.insert(QString::number(n), rate);
        if (n == 2)
            atTwo = rate;
        atLargest = rate;
    }
    report.add({{"name", "mesh_uplink_bytes_per_second_per_member"},
                {"by_members", perMember},
                {"ratio_largest_to_2", atTwo > 0 ? atLargest / atTwo : 0},
                {"expected_ratio", sizes.back() - 1}});
    report.add({{"name", "sfu_uplink_bytes_per_second_per_member"},
                {"measured", false},
                {"reason", "the Janus transport for client media is not built yet (issue #13)"}});
    return report.finish();
}
