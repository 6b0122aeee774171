// SPDX-License-Identifier: GPL-3.0-or-later
// Encrypted media between real conclave-cli processes on loopback (DESIGN §14):
//  - admit click -> the newcomer's first decoded frame, p50/p95 over many joins, against a
//    bare WebRTC link's first frame measured in the same run;
//  - removal -> the old key no longer used (the senders' switch to the new epoch's keys);
//  - CPU per sent and per received stream, against a plain encode+decode of the same streams;
//  - a 4-member mesh on this machine: the video frame rate each receiver holds.
#include "BenchMeeting.h"
#include "BenchmarkReport.h"
#include "CliProcess.h"
#include "TestPaths.h"
#include "media/MediaMesh.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include <gst/gst.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <vector>

using namespace conclave;
using bench::BenchMeeting;
using bench::distribution;
using bench::percentile;
using bench::pump;
using testsupport::CliProcess;

namespace {

double ownCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

/// Decoded video frames `receiver` reports now from each of its `peers`, by name.
std::map<QString, qint64> decodedVideo(CliProcess& receiver, int peers)
{
    receiver.poll();
    const qsizetype from = receiver.lines().size();
    receiver.send({{"cmd", "media-stats"}});
    std::map<QString, qint64> out;
    QElapsedTimer timer;
    timer.start();
    while (int(out.size()) < peers && timer.elapsed() < 3000) {
        pump({&receiver}, 20);
        for (qsizetype i = from; i < receiver.lines().size(); ++i) {
            const QJsonObject& line = receiver.lines()[i];
            if (line.value("event") == QLatin1String("media") && line.value("stream") == "video")
                out.emplace(line.value("name").toString(), line.value("decoded").toInteger());
        }
    }
    return out;
}

/// First decoded frame on a bare link (no hub, no SFrame cost to speak of): the baseline.
std::vector<double> bareFirstFrames(int runs)
{
    std::vector<double> out;
    media::MediaOptions options;
    options.localAddresses = {QStringLiteral("127.0.0.1")};
    for (int run = 0; run < runs; ++run) {
        auto a = std::move(media::MediaMesh::create(options)).value();
        auto b = std::move(media::MediaMesh::create(options)).value();
        QObject::connect(a.get(), &media::MediaMesh::signalReady,
                         [&](uint32_t, const QByteArray& p) { (void)b->onSignal(0, p); });
        QObject::connect(b.get(), &media::MediaMesh::signalReady,
                         [&](uint32_t, const QByteArray& p) { (void)a->onSignal(1, p); });
        const crypto::SecureBuffer secret = crypto::SecureBuffer::random(32);
        for (uint32_t own : {0u, 1u}) {
            media::EpochKeys keys;
            keys.epoch = 1;
            keys.ownIndex = own;
            for (uint32_t i : {0u, 1u})
                for (auto kind : {media::StreamKind::Audio, media::StreamKind::Camera})
                    keys.members[i][kind] =
                        crypto::deriveMediaKey(secret, 1, i, media::traitsOf(kind).context).value();
            (own == 0 ? a : b)->applyEpoch(keys);
        }
        QElapsedTimer timer;
        timer.start();
        std::optional<double> first;
        while (!first && timer.elapsed() < 10000) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
            for (const auto& s : b->stats())
                if (s.kind == media::StreamKind::Camera && s.firstFrameAfter)
                    first = double(s.firstFrameAfter->count());
        }
        if (first)
            out.push_back(*first);
    }
    return out;
}

/// CPU seconds per second for a plain encode+decode of one audio and one video test stream.
double plainCodecCpuPerSecond(int seconds)
{
    const QString pipeline = QStringLiteral(
        "videotestsrc is-live=true pattern=ball ! "
        "video/x-raw,width=320,height=240,framerate=15/1 ! videoconvert ! "
        "vp8enc deadline=1 cpu-used=8 threads=1 target-bitrate=300000 ! vp8dec ! "
        "fakesink sync=false "
        "audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample ! "
        "audio/x-raw,rate=48000,channels=1 ! opusenc ! opusdec ! fakesink sync=false");
    GstElement* p = gst_parse_launch(pipeline.toUtf8().constData(), nullptr);
    const double before = ownCpuSeconds();
    gst_element_set_state(p, GST_STATE_PLAYING);
    QThread::sleep(seconds);
    gst_element_set_state(p, GST_STATE_NULL);
    gst_object_unref(p);
    return (ownCpuSeconds() - before) / seconds;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    bench::BenchmarkReport report(QStringLiteral("bench_media"), argc, argv);
    QTemporaryDir dir;
    const int joins = report.quick() ? 2 : 12;
    const int window = report.quick() ? 3 : 10;

    // 1 + 2: admit -> first decoded frame, and removal -> old key no longer used.
    QStringList invitees{"Keeper"};
    for (int i = 0; i < joins; ++i)
        invitees << QStringLiteral("Guest%1").arg(i);
    {
        BenchMeeting m(dir.path() + "/joins", invitees, QStringLiteral("test"));
        auto keeper = m.knock("Keeper");
        m.chair->send({{"cmd", "admit"}, {"who", "Keeper"}});
        keeper->waitFor("first_frame", 20000);
        std::vector<double> admitToFrame, withinNewcomer, chairSwitch, keeperSwitch;
        for (int i = 0; i < joins; ++i) {
            const QString name = QStringLiteral("Guest%1").arg(i);
            auto guest = m.knock(name);
            m.awaitChairsClick(*guest);
            const QElapsedTimer clicked = m.admit(name, *guest);
            const QJsonObject first =
                guest->waitFor("first_frame", 20000, [](const QJsonObject& o) {
                    return o.value("name") == QLatin1String("Chair") &&
                           o.value("stream") == "video";
                });
            if (!first.isEmpty() && clicked.isValid()) {
                admitToFrame.push_back(double(clicked.elapsed()));
                withinNewcomer.push_back(first.value("after_ms").toDouble());
            }
            const int switchesBefore = int(std::count_if(
                m.chair->lines().begin(), m.chair->lines().end(), [](const QJsonObject& o) {
                    return o.value("event") == QLatin1String("key_switch");
                }));
            m.chair->send({{"cmd", "remove"}, {"who", name}, {"reason", "benchmark"}});
            guest->waitForExit();
            int seen = 0;
            const QJsonObject chairSwitched = m.chair->waitFor(
                "key_switch", 20000, [&](const QJsonObject&) { return ++seen > switchesBefore; });
            if (!chairSwitched.isEmpty())
                chairSwitch.push_back(chairSwitched.value("after_ms").toDouble());
            const QJsonObject keeperSwitched =
                keeper->waitFor("key_switch", 20000, [&](const QJsonObject& o) {
                    return o.value("epoch").toInteger() == chairSwitched.value("epoch").toInteger();
                });
            if (!keeperSwitched.isEmpty())
                keeperSwitch.push_back(keeperSwitched.value("after_ms").toDouble());
        }
        const auto bare = bareFirstFrames(report.quick() ? 1 : 5);
        const double bareP50 = percentile(bare, 0.5);
        report.add({{"name", "admit_click_to_first_decoded_frame_ms"},
                    {"measured", distribution(admitToFrame)},
                    {"of_which_after_admission_in_newcomer", distribution(withinNewcomer)},
                    {"baseline_bare_webrtc_first_frame_ms", distribution(bare)},
                    {"ratio_p50_to_baseline_p50",
                     bareP50 > 0 ? percentile(admitToFrame, 0.5) / bareP50 : 0},
                    {"target", "p95 < 1000 ms"}});
        report.add({{"name", "removal_to_old_key_unused_ms"},
                    {"chair", distribution(chairSwitch)},
                    {"remaining_member", distribution(keeperSwitch)},
                    {"target", "p95 <= 1000 ms, max 3000 ms"},
                    {"note", "senders switch as soon as every member acknowledged the new epoch, "
                             "or after 2 s"}});
        m.chair->send({{"cmd", "end"}});
        m.chair->waitForExit();
    }

    // 3 + 4: meshes of 2 and 4 members; CPU per stream and frame rate held.
    const double plain = plainCodecCpuPerSecond(report.quick() ? 1 : window);
    std::map<int, double> cpuPerMember;
    for (int members : {2, 4}) {
        QStringList names;
        for (int i = 1; i < members; ++i)
            names << QStringLiteral("M%1").arg(i);
        BenchMeeting m(dir.path() + QStringLiteral("/mesh%1").arg(members), names,
                       QStringLiteral("test"));
        auto people = m.admitAll(names);
        std::vector<CliProcess*> all{m.chair.get()};
        for (auto& p : people)
            all.push_back(p.get());
        pump({m.chair.get()}, 3000); // every link up
        std::vector<std::map<QString, qint64>> before;
        std::vector<double> cpuBefore;
        for (CliProcess* p : all) {
            before.push_back(decodedVideo(*p, members - 1));
            cpuBefore.push_back(bench::processCpuSeconds(p->pid()));
        }
        pump(all, window * 1000); // keep reading their output meanwhile
        std::vector<double> fps;
        double cpu = 0;
        for (size_t i = 0; i < all.size(); ++i) {
            cpu += bench::processCpuSeconds(all[i]->pid()) - cpuBefore[i];
            for (const auto& [peer, frames] : decodedVideo(*all[i], members - 1))
                if (before[i].count(peer))
                    fps.push_back(double(frames - before[i][peer]) / window);
        }
        cpuPerMember[members] = cpu / window / members;
        if (members == 4)
            report.add({{"name", "mesh_4_members_video_fps_at_each_receiver"},
                        {"sent_fps", 15},
                        {"min", fps.empty() ? 0 : *std::min_element(fps.begin(), fps.end())},
                        {"median", percentile(fps, 0.5)},
                        {"streams", int(fps.size())},
                        {"cpu_cores_used_by_all_members", cpu / window}});
        m.chair->send({{"cmd", "end"}});
        m.chair->waitForExit();
    }
    // A member sends 2 streams (encoded once) and receives 2 per peer:
    //   cpu(n) = S + 2 (n - 1) R   =>   R = (cpu(4) - cpu(2)) / 4,  S = cpu(2) - 2 R.
    const double perReceived = (cpuPerMember[4] - cpuPerMember[2]) / 4;
    const double perSentPair = cpuPerMember[2] - 2 * perReceived;
    report.add({{"name", "cpu_per_stream"},
                {"unit", "CPU cores (seconds per second), audio+video at 320x240@15"},
                {"per_member_in_2_mesh", cpuPerMember[2]},
                {"per_member_in_4_mesh", cpuPerMember[4]},
                {"per_received_stream", perReceived},
                {"per_sent_audio_video_pair", perSentPair},
                {"baseline_plain_encode_decode_audio_video", plain},
                {"ratio_member_in_2_mesh_to_baseline", plain > 0 ? cpuPerMember[2] / plain : 0}});
    return report.finish();
}
