// SPDX-License-Identifier: GPL-3.0-or-later
// Media over a lossy network (docs/media.md "Loss and bandwidth"): two members' media meshes
// (real webrtcbin, ICE, DTLS-SRTP, SFrame) on loopback in this process's own network namespace
// (entered in main(), so nothing touches the machine's network), with nftables rules that drop
// a share of one stream's RTP packets at random (`numgen random`; tc netem is not available on
// these machines) and count what they dropped. The rules match the RTP header, which SRTP
// leaves in the clear: version 2 and the stream's payload type.
// Shown: the receiver's packets_lost is what the network dropped, not webrtcbin's count (which
// read 0 on most streams and two to three times too much on others).
// Needs root and /usr/sbin/nft: fails, never skips, without them (scripts/dev installs nft).
#include "MeshKit.h"
#include "PrivateNetwork.h"
#include "media/StreamKind.h"

#include <QtTest>

#include <optional>

using namespace conclave;
using media::StreamKind;
using testsupport::MeshKit;

namespace {

/// Set by main() before anything else runs (a network namespace is entered per thread).
QString g_namespaceError;

const QString kTable = QStringLiteral("conclave_loss");

/// Drops `percent` % of the RTP packets of payload type `payloadType` (both directions: both
/// members are on this loopback), counted in counter `dropped`; with `noRetransmissions`, every
/// retransmission too (RTX: the payload types above Conclave's, counted in `rtx`), so nothing
/// dropped is repaired (a chain of its own, which stopDropping leaves in place: a packet dropped
/// just before is not repaired after). Replaces earlier rules.
QString dropShareOf(int payloadType, int percent, bool noRetransmissions = false)
{
    // @th,64,2: the RTP version (the first two bits after the 8-byte UDP header); @th,73,7:
    // the payload type, after the marker bit. RTCP (payload types 200-206, seen here as
    // 72-78), STUN and DTLS never match the types Conclave uses (96-98), nor RTX's (webrtcbin
    // takes the lowest free ones: 99-101).
    const QString rtp = QStringLiteral("meta l4proto udp @th,64,2 2 @th,73,7");
    const QString ruleset =
        QStringLiteral("add table inet %1\n"
                       "delete table inet %1\n"
                       "table inet %1 {\n"
                       "  counter dropped { }\n"
                       "  counter rtx { }\n"
                       "  chain out {\n"
                       "    type filter hook output priority filter; policy accept;\n"
                       "    %2 %3 numgen random mod 100 < %4 counter name dropped drop\n"
                       "  }\n"
                       "  chain norepair {\n"
                       "    type filter hook output priority filter; policy accept;\n"
                       "%5"
                       "  }\n"
                       "}\n")
            .arg(kTable, rtp)
            .arg(payloadType)
            .arg(percent)
            .arg(noRetransmissions
                     ? QStringLiteral("    %1 99-127 counter name rtx drop\n").arg(rtp)
                     : QString());
    return testsupport::applyNftables(ruleset);
}

/// Drops no more of the stream; the counters keep their counts.
QString stopDropping()
{
    return testsupport::applyNftables(QStringLiteral("flush chain inet %1 out\n").arg(kTable));
}

qint64 dropped(const char* counter = "dropped")
{
    return testsupport::nftCounterPackets(kTable, QString::fromLatin1(counter));
}

std::optional<media::StreamStats> statsOf(MeshKit& kit, uint32_t receiver, uint32_t sender,
                                          StreamKind kind)
{
    for (const auto& s : kit.mesh(receiver).stats())
        if (s.peer == sender && s.kind == kind)
            return s;
    return std::nullopt;
}

/// Frames decoded per second of the other member's `kind`, over the next `ms` (the slower of
/// the two members), and the packets of it that stayed lost meanwhile (both together).
struct Window {
    double perSecond = 0;
    int64_t lost = 0;
};
Window framesOver(MeshKit& kit, StreamKind kind, int ms)
{
    const auto lostNow = [&] {
        int64_t lost = 0;
        for (auto [receiver, sender] : {std::pair{0u, 1u}, std::pair{1u, 0u}})
            lost += statsOf(kit, receiver, sender, kind).value_or(media::StreamStats{}).packetsLost;
        return lost;
    };
    const uint64_t frames0 = kit.decoded(0, 1, kind);
    const uint64_t frames1 = kit.decoded(1, 0, kind);
    const int64_t lost = lostNow();
    QElapsedTimer timer;
    timer.start();
    MeshKit::run(ms);
    const double seconds = double(timer.elapsed()) / 1000.0;
    const uint64_t fewer =
        std::min(kit.decoded(0, 1, kind) - frames0, kit.decoded(1, 0, kind) - frames1);
    return {double(fewer) / seconds, lostNow() - lost};
}

media::MediaOptions loopbackOptions()
{
    media::MediaOptions o;
    o.localAddresses = {QStringLiteral("127.0.0.1")};
    return o;
}

} // namespace

class TestMediaLoss : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(g_namespaceError.isEmpty(), qPrintable(g_namespaceError)); }

    void packetsLostIsWhatTheNetworkDropped()
    {
        // No retransmission gets through: every packet the rules drop is one the receiver lacks.
        MeshKit kit(loopbackOptions());
        kit.add(0);
        kit.add(1);
        kit.epoch({0, 1});
        QVERIFY(QTest::qWaitFor([&] { return kit.decoded(0, 1, StreamKind::Audio) > 20; }, 15000));
        QVERIFY(kit.decoded(1, 0, StreamKind::Audio) > 0);
        const auto before0 = statsOf(kit, 0, 1, StreamKind::Audio);
        const auto before1 = statsOf(kit, 1, 0, StreamKind::Audio);
        QVERIFY(before0 && before1);
        QCOMPARE(before0->packetsLost + before1->packetsLost, int64_t(0)); // a clean network

        const QString rules = dropShareOf(traitsOf(StreamKind::Audio).payloadType, 10, true);
        QVERIFY2(rules.isEmpty(), qPrintable(rules));
        MeshKit::run(6000);
        QVERIFY2(stopDropping().isEmpty(), "the rules could not be taken out");
        MeshKit::run(500); // the packets after the last drop close its gap
        const qint64 byNetwork = dropped();
        const auto after0 = statsOf(kit, 0, 1, StreamKind::Audio);
        const auto after1 = statsOf(kit, 1, 0, StreamKind::Audio);
        const int64_t byReceivers = after0->packetsLost + after1->packetsLost;
        const qint64 sent = qint64(after0->packetsReceived - before0->packetsReceived +
                                   after1->packetsReceived - before1->packetsReceived) +
                            byNetwork;
        qInfo("audio: %lld of %lld packets dropped by the network, %lld lost by the receivers",
              qlonglong(byNetwork), qlonglong(sent), qlonglong(byReceivers));
        QVERIFY2(byNetwork > 20, "the rules dropped too little to measure");
        // Exact but for packets in flight when the counts were read.
        QVERIFY2(
            std::abs(byReceivers - byNetwork) <= 2,
            qPrintable(QStringLiteral("receivers %1, network %2").arg(byReceivers).arg(byNetwork)));
    }

    void retransmissionsRepairVideoLoss()
    {
        // 10 % of the camera's packets are dropped, retransmissions are not: NACK asks for
        // the lost ones again (RTX), so most are repaired and the frame rate stays close to
        // what a clean network gives (measured just before, in the same run). A loss that is
        // not repaired costs a keyframe wait (docs/media.md "Loss and bandwidth"), so the
        // bound here (60 %) is looser than the 90 % goal the figures are reported against.
        MeshKit kit(loopbackOptions());
        kit.add(0);
        kit.add(1);
        kit.epoch({0, 1});
        QVERIFY(QTest::qWaitFor([&] { return kit.decoded(0, 1, StreamKind::Camera) > 10; }, 15000));
        const auto clean = framesOver(kit, StreamKind::Camera, 5000);

        const QString rules = dropShareOf(traitsOf(StreamKind::Camera).payloadType, 10);
        QVERIFY2(rules.isEmpty(), qPrintable(rules));
        const auto lossy = framesOver(kit, StreamKind::Camera, 8000);
        const qint64 byNetwork = dropped();
        QVERIFY2(stopDropping().isEmpty(), "the rules could not be taken out");
        qInfo("camera at 10%% loss: %lld packets dropped, %lld stayed lost; %.1f frames/s decoded "
              "(%.1f on a clean network)",
              qlonglong(byNetwork), qlonglong(lossy.lost), lossy.perSecond, clean.perSecond);
        QVERIFY2(byNetwork >= 10, "the rules dropped too little to measure");
        // Without retransmission every dropped packet stays lost; with it, on an idle machine
        // about nine in ten are repaired, on a busy one (CI) half. At least a quarter must be.
        QVERIFY2(lossy.lost * 4 < byNetwork * 3,
                 qPrintable(QStringLiteral("%1 of %2 dropped packets were never repaired")
                                .arg(lossy.lost)
                                .arg(byNetwork)));
        QVERIFY2(lossy.perSecond >= 0.6 * clean.perSecond,
                 qPrintable(QStringLiteral("%1 frames/s at 10 %% loss, %2 clean")
                                .arg(lossy.perSecond)
                                .arg(clean.perSecond)));
    }

    void audioStaysContinuousAtThirtyPercentLoss()
    {
        // 30 % of the audio packets and of their retransmissions are dropped: what is not
        // repaired is rebuilt from the next packet's in-band FEC or concealed, so the decoder
        // still gives (nearly) every 20 ms of sound.
        MeshKit kit(loopbackOptions());
        kit.add(0);
        kit.add(1);
        kit.epoch({0, 1});
        QVERIFY(QTest::qWaitFor([&] { return kit.decoded(0, 1, StreamKind::Audio) > 20; }, 15000));
        const auto clean = framesOver(kit, StreamKind::Audio, 4000);

        const QString rules = dropShareOf(traitsOf(StreamKind::Audio).payloadType, 30);
        QVERIFY2(rules.isEmpty(), qPrintable(rules));
        const auto lossy = framesOver(kit, StreamKind::Audio, 5000);
        const qint64 byNetwork = dropped();
        QVERIFY2(stopDropping().isEmpty(), "the rules could not be taken out");
        qInfo("audio at 30%% loss: %lld packets dropped, %lld stayed lost; %.1f frames/s decoded "
              "(%.1f on a clean network)",
              qlonglong(byNetwork), qlonglong(lossy.lost), lossy.perSecond, clean.perSecond);
        QVERIFY2(byNetwork > 50, "the rules dropped too little to measure");
        QVERIFY2(lossy.perSecond >= 0.9 * clean.perSecond,
                 qPrintable(QStringLiteral("%1 audio frames/s at 30 %% loss, %2 clean")
                                .arg(lossy.perSecond)
                                .arg(clean.perSecond)));
    }
};

int main(int argc, char* argv[])
{
    g_namespaceError = testsupport::enterOwnNetworkNamespace();
    QCoreApplication app(argc, argv);
    TestMediaLoss test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_media_loss.moc"
