// SPDX-License-Identifier: GPL-3.0-or-later
// The camera's bitrate following congestion feedback (docs/media.md "Congestion control"), each
// condition run twice in the same process - adaptive, and with the rate kept fixed: two members'
// media meshes on loopback in this process's own network namespace, nftables dropping 0/2/10/30 %
// of all RTP at random, or capping each member's RTP at 200 kbit/s. Reported per run: camera
// goodput (protected frame bytes the receiver got), decoded frames a second and the share of the
// frames sent that were decoded, what the sender put on its link, the target and step at the
// end, packets dropped by the rules.
// Needs root (a network namespace) and /usr/sbin/nft: exits 1 with the reason otherwise.
#include "BenchmarkReport.h"
#include "MeshKit.h"
#include "PipelineWalk.h"
#include "PrivateNetwork.h"
#include "media/CongestionControl.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <gst/gst.h>

using namespace conclave;
using media::StreamKind;
using testsupport::MeshKit;

namespace {

const QString kTable = QStringLiteral("conclave_bench_congestion");
/// Version 2 in the first two bits after the UDP header: RTP, retransmissions and (S)RTCP -
/// so NACKs are lost too - but not STUN or DTLS.
const QString kRtp = QStringLiteral("meta l4proto udp @th,64,2 2");

QString rules(const QString& rule)
{
    return testsupport::applyNftables(
        QStringLiteral("add table inet %1\ndelete table inet %1\ntable inet %1 {\n"
                       "  counter dropped { }\n"
                       "  chain out {\n"
                       "    type filter hook output priority filter; policy accept;\n"
                       "    %2 %3 counter name dropped drop\n"
                       "  }\n}\n")
            .arg(kTable, kRtp, rule));
}

/// Moving colour bars: the default ball needs a few tens of kbit/s whatever the target.
void busyCamera(MeshKit& kit, uint32_t member)
{
    testsupport::makeCameraBusy(kit.mesh(member).pipeline());
}

uint64_t cameraBytes(MeshKit& kit, uint32_t receiver, uint32_t sender)
{
    for (const auto& s : kit.mesh(receiver).stats())
        if (s.peer == sender && s.kind == StreamKind::Camera)
            return s.bytesReceived;
    return 0;
}

QJsonObject run(const QString& condition, const QString& rule, bool adaptive, int settleMs,
                int measureMs)
{
    media::MediaOptions options;
    options.localAddresses = {QStringLiteral("127.0.0.1")};
    MeshKit kit(options);
    kit.add(0);
    kit.add(1);
    kit.epoch({0, 1});
    QJsonObject out{{QStringLiteral("condition"), condition},
                    {QStringLiteral("bitrate"), adaptive ? "adaptive" : "fixed"}};
    QElapsedTimer start;
    start.start();
    while (kit.decoded(1, 0, StreamKind::Camera) < 10 && start.elapsed() < 15000)
        MeshKit::run(100);
    auto* congestion = kit.mesh(0).transport()->congestion();
    if (!congestion) {
        out.insert(QStringLiteral("error"), QStringLiteral("no congestion control"));
        return out;
    }
    for (uint32_t member : {0u, 1u}) {
        busyCamera(kit, member);
        kit.mesh(member).transport()->congestion()->setFixed(!adaptive);
    }
    MeshKit::run(2000);
    if (const QString error = rules(rule); !error.isEmpty()) {
        out.insert(QStringLiteral("error"), error);
        return out;
    }
    MeshKit::run(settleMs);
    const uint64_t frames = kit.decoded(1, 0, StreamKind::Camera);
    const uint64_t framesSent = kit.sent(0, StreamKind::Camera);
    const uint64_t bytes = cameraBytes(kit, 1, 0);
    const uint64_t sent = kit.mesh(0).transport()->bytesSent();
    QElapsedTimer timer;
    timer.start();
    MeshKit::run(measureMs);
    const double seconds = double(timer.elapsed()) / 1000.0;
    out.insert(QStringLiteral("camera_fps"),
               double(kit.decoded(1, 0, StreamKind::Camera) - frames) / seconds);
    // The share of the frames sent that the receiver decoded (docs/media.md "Loss and
    // bandwidth": the goal at 10 % loss is 0.9 or more).
    const uint64_t sentMeanwhile = kit.sent(0, StreamKind::Camera) - framesSent;
    out.insert(QStringLiteral("camera_decoded_share"),
               sentMeanwhile > 0
                   ? double(kit.decoded(1, 0, StreamKind::Camera) - frames) / double(sentMeanwhile)
                   : 0.0);
    out.insert(QStringLiteral("camera_goodput_kbps"),
               double(cameraBytes(kit, 1, 0) - bytes) * 8 / 1000 / seconds);
    out.insert(QStringLiteral("sent_kbps"),
               double(kit.mesh(0).transport()->bytesSent() - sent) * 8 / 1000 / seconds);
    out.insert(QStringLiteral("target_bps"), qint64(congestion->controller().target()));
    out.insert(QStringLiteral("step"),
               QLatin1String(media::qualityStepName(congestion->controller().step())));
    out.insert(QStringLiteral("packets_dropped"),
               testsupport::nftCounterPackets(kTable, QStringLiteral("dropped")));
    rules(QStringLiteral("udp dport 1")); // nothing goes there: the rules are off
    return out;
}

} // namespace

int main(int argc, char* argv[])
{
    const QString namespaceError = testsupport::enterOwnNetworkNamespace();
    QCoreApplication app(argc, argv);
    if (!namespaceError.isEmpty()) {
        QTextStream(stderr) << "bench_congestion needs root and nftables (its own network "
                               "namespace): "
                            << namespaceError << "\n";
        return 1;
    }
    bench::BenchmarkReport report(QStringLiteral("bench_congestion"), argc, argv);
    const int settle = report.quick() ? 3000 : 15000;
    const int measure = report.quick() ? 2000 : 10000;
    std::vector<std::pair<QString, QString>> conditions{
        {QStringLiteral("loss_0"), QStringLiteral("udp dport 1")}};
    if (!report.quick())
        for (int percent : {2, 10, 30})
            conditions.emplace_back(QStringLiteral("loss_%1").arg(percent),
                                    QStringLiteral("numgen random mod 100 < %1").arg(percent));
    conditions.emplace_back(
        QStringLiteral("cap_200kbps"),
        QStringLiteral("meter cap { udp sport limit rate over 25 kbytes/second burst 25 kbytes }"));
    for (const auto& [condition, rule] : conditions)
        for (bool adaptive : {false, true})
            report.add(run(condition, rule, adaptive, settle, measure));
    return report.finish();
}
