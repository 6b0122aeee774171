// SPDX-License-Identifier: GPL-3.0-or-later
// Media meshes of several members in one process over loopback WebRTC (real webrtcbin, ICE,
// DTLS-SRTP, SFrame): who decodes what, across key changes, removals, mute and share.
#include "MeshKit.h"

#include <QtTest>

using namespace conclave;
using media::StreamKind;
using testsupport::MeshKit;

namespace {

media::MediaOptions loopbackOptions()
{
    media::MediaOptions o;
    o.localAddresses = {QStringLiteral("127.0.0.1")};
    return o;
}

} // namespace

class TestMediaMesh : public QObject {
    Q_OBJECT

private slots:
    void twoMembersDecodeEachOther()
    {
        MeshKit kit(loopbackOptions());
        kit.add(0);
        kit.add(1);
        kit.epoch({0, 1});
        MeshKit::run(4000);
        for (auto [receiver, sender] : {std::pair{0u, 1u}, std::pair{1u, 0u}}) {
            QVERIFY2(kit.decoded(receiver, sender, StreamKind::Camera) > 20,
                     qPrintable(QString::number(kit.decoded(receiver, sender, StreamKind::Camera))));
            QVERIFY(kit.decoded(receiver, sender, StreamKind::Audio) > 80);
            QCOMPARE(kit.failures(receiver, sender, StreamKind::Camera), uint64_t(0));
            QCOMPARE(kit.failures(receiver, sender, StreamKind::Audio), uint64_t(0));
        }
    }
};

QTEST_GUILESS_MAIN(TestMediaMesh)
#include "tst_mediamesh.moc"
