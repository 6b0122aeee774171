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
/// members are on this loopback), counted in counter `dropped`. Replaces earlier rules.
QString dropShareOf(int payloadType, int percent)
{
    // @th,64,2: the RTP version (the first two bits after the 8-byte UDP header); @th,73,7:
    // the payload type, after the marker bit. RTCP (payload types 200-206, seen here as
    // 72-78), STUN and DTLS never match the types Conclave uses (96-98).
    const QString ruleset = QStringLiteral("add table inet %1\n"
                                           "delete table inet %1\n"
                                           "table inet %1 {\n"
                                           "  counter dropped { }\n"
                                           "  chain out {\n"
                                           "    type filter hook output priority filter; "
                                           "policy accept;\n"
                                           "    meta l4proto udp @th,64,2 2 @th,73,7 %2 "
                                           "numgen random mod 100 < %3 counter name dropped drop\n"
                                           "  }\n"
                                           "}\n")
                                .arg(kTable)
                                .arg(payloadType)
                                .arg(percent);
    return testsupport::applyNftables(ruleset);
}

/// Drops nothing more; the counter keeps its count.
QString stopDropping()
{
    return testsupport::applyNftables(QStringLiteral("flush chain inet %1 out\n").arg(kTable));
}

qint64 dropped()
{
    return testsupport::nftCounterPackets(kTable, QStringLiteral("dropped"));
}

std::optional<media::StreamStats> statsOf(MeshKit& kit, uint32_t receiver, uint32_t sender,
                                          StreamKind kind)
{
    for (const auto& s : kit.mesh(receiver).stats())
        if (s.peer == sender && s.kind == kind)
            return s;
    return std::nullopt;
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
        // Audio has no retransmission: every packet the rules drop is one the receiver lacks.
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

        const QString rules = dropShareOf(traitsOf(StreamKind::Audio).payloadType, 10);
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
