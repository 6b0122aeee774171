// SPDX-License-Identifier: GPL-3.0-or-later
// Media meshes of several members in one process over loopback WebRTC (real webrtcbin, ICE,
// DTLS-SRTP, SFrame): who decodes what, across key changes, removals, mute and share.
#include "MeshKit.h"
#include "media/DeviceList.h"

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
            QVERIFY2(
                kit.decoded(receiver, sender, StreamKind::Camera) > 20,
                qPrintable(QString::number(kit.decoded(receiver, sender, StreamKind::Camera))));
            QVERIFY(kit.decoded(receiver, sender, StreamKind::Audio) > 80);
            QCOMPARE(kit.failures(receiver, sender, StreamKind::Camera), uint64_t(0));
            QCOMPARE(kit.failures(receiver, sender, StreamKind::Audio), uint64_t(0));
        }
    }

    void removalRekeyLosesNoFramesForThoseWhoStay()
    {
        MeshKit kit(loopbackOptions());
        for (uint32_t i : {0u, 1u, 2u})
            kit.add(i);
        kit.epoch({0, 1, 2});
        MeshKit::run(3000);
        QVERIFY(kit.decoded(2, 0, StreamKind::Camera) > 10);
        const uint64_t removedHad = kit.decoded(2, 0, StreamKind::Camera);
        // Member 2 is removed: a new epoch without it; its own mesh stops as the session
        // learns it (it holds no new key anyway).
        kit.mesh(2).stop();
        kit.epoch({0, 1});
        MeshKit::run(2000 + 2000); // past the senders' 2 s switch to the new key
        for (auto [receiver, sender] : {std::pair{0u, 1u}, std::pair{1u, 0u}})
            for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera})
                QCOMPARE(kit.failures(receiver, sender, kind), uint64_t(0));
        QVERIFY(kit.decoded(1, 0, StreamKind::Camera) > 80);
        QVERIFY(kit.mesh(0).lastSendSwitch().has_value());
        QVERIFY(kit.mesh(0).lastSendSwitch()->count() >= 2000);
        QVERIFY(kit.mesh(2).stats().empty()); // its links are gone
        QVERIFY(removedHad > 0);
    }

    void aRemovedMembersOldKeysOpenNothingAfterTheGracePeriod()
    {
        // Member 3 is removed and keeps epoch 1's secret, so it holds every member's epoch-1
        // media keys. After the grace period no receiver may open anything under them: not
        // the streams whose decryptors had the old key (the key installs of the new epoch
        // must not revive it), and not a screen share whose decryptor is built only later.
        MeshKit kit(loopbackOptions());
        for (uint32_t i : {0u, 1u, 2u, 3u})
            kit.add(i);
        kit.epoch({0, 1, 2, 3}, {0});
        const uint64_t removedFrom = kit.currentEpoch();
        MeshKit::run(3000);
        for (uint32_t receiver : {1u, 2u})
            QVERIFY(kit.decoded(receiver, 0, StreamKind::Camera) > 10);
        kit.mesh(3).stop();
        kit.epoch({0, 1, 2}, {0});
        // Another key change while the old keys are still in their grace period (say, an
        // admission): every peer key is installed again.
        MeshKit::run(1000);
        kit.epoch({0, 1, 2}, {0});
        MeshKit::run(int(media::MediaMesh::kOldKeyGrace.count()) * 1000 + 500);

        for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera, StreamKind::Screen})
            kit.forgeUnderEpoch(0, kind, removedFrom);
        kit.mesh(0).setSending(StreamKind::Screen, true);
        MeshKit::run(500); // frames already past the encryptor drain
        std::map<std::pair<uint32_t, StreamKind>, uint64_t> before;
        for (uint32_t receiver : {1u, 2u})
            for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera, StreamKind::Screen})
                before[{receiver, kind}] = kit.decoded(receiver, 0, kind);
        const uint64_t unknownBefore = kit.unknownKey(1, 0, StreamKind::Audio);
        MeshKit::run(3000);

        QVERIFY(kit.forged(0, StreamKind::Audio) > 100);
        QVERIFY(kit.forged(0, StreamKind::Camera) > 20);
        QVERIFY(kit.forged(0, StreamKind::Screen) > 5);
        for (uint32_t receiver : {1u, 2u})
            for (StreamKind kind : {StreamKind::Audio, StreamKind::Camera, StreamKind::Screen}) {
                const uint64_t was = before.at(std::pair(receiver, kind));
                const uint64_t now = kit.decoded(receiver, 0, kind);
                QVERIFY2(now == was,
                         qPrintable(QStringLiteral("receiver %1 decoded %2 forged %3 "
                                                   "frames")
                                        .arg(receiver)
                                        .arg(now - was)
                                        .arg(QLatin1String(media::traitsOf(kind).name))));
            }
        // They arrived and were dropped for want of a key.
        QVERIFY(kit.unknownKey(1, 0, StreamKind::Audio) > unknownBefore + 100);
        QVERIFY(kit.unknownKey(2, 0, StreamKind::Camera) > 20);
        QVERIFY(kit.unknownKey(2, 0, StreamKind::Screen) > 5);
    }

    void aWrongKeyDecodesNothing()
    {
        MeshKit kit(loopbackOptions());
        kit.add(0);
        kit.add(1);
        kit.epoch({0, 1}, {}, 1u); // member 1 holds another secret (a forked or forged roster)
        MeshKit::run(3000);
        QCOMPARE(kit.decoded(1, 0, StreamKind::Camera), uint64_t(0));
        QCOMPARE(kit.decoded(1, 0, StreamKind::Audio), uint64_t(0));
        QVERIFY(kit.failures(1, 0, StreamKind::Audio) > 50);
        QCOMPARE(kit.decoded(0, 1, StreamKind::Audio), uint64_t(0));
    }

    void closingAStreamStopsItAtTheReceivers()
    {
        MeshKit kit(loopbackOptions());
        kit.add(0);
        kit.add(1);
        kit.epoch({0, 1});
        MeshKit::run(2500);
        kit.mesh(0).setSending(StreamKind::Audio, false);  // muted
        kit.mesh(0).setSending(StreamKind::Camera, false); // video stopped
        MeshKit::run(500);                                 // what was in flight arrives
        const uint64_t audio = kit.decoded(1, 0, StreamKind::Audio);
        const uint64_t video = kit.decoded(1, 0, StreamKind::Camera);
        MeshKit::run(2000);
        QCOMPARE(kit.decoded(1, 0, StreamKind::Audio), audio);
        QCOMPARE(kit.decoded(1, 0, StreamKind::Camera), video);
        QVERIFY(kit.decoded(0, 1, StreamKind::Audio) > 150); // the other way still flows
        kit.mesh(0).setSending(StreamKind::Camera, true);    // back, with a keyframe at once
        MeshKit::run(1500);
        QVERIFY(kit.decoded(1, 0, StreamKind::Camera) > video + 5);
    }

    void screenShareDecodesOnlyWhereTheChairAllowedIt()
    {
        MeshKit kit(loopbackOptions());
        for (uint32_t i : {0u, 1u, 2u})
            kit.add(i);
        kit.epoch({0, 1, 2}, {0}, std::nullopt, {2}); // only 0 (the chair) may share; 2 cheats
        kit.mesh(0).setSending(StreamKind::Screen, true);
        kit.mesh(2).setSending(StreamKind::Screen, true); // a modified client shares anyway
        MeshKit::run(4000);
        QVERIFY(kit.decoded(1, 0, StreamKind::Screen) > 5);
        QCOMPARE(kit.decoded(1, 2, StreamKind::Screen), uint64_t(0));
        QCOMPARE(kit.decoded(0, 2, StreamKind::Screen), uint64_t(0));
        QVERIFY(kit.failures(1, 2, StreamKind::Screen) > 0); // it arrived and was dropped
        // Revoked: nobody decodes member 0's screen from then on.
        kit.epoch({0, 1, 2}, {});
        MeshKit::run(300);
        const uint64_t before = kit.decoded(1, 0, StreamKind::Screen);
        MeshKit::run(1500);
        QCOMPARE(kit.decoded(1, 0, StreamKind::Screen), before);
    }

    void aMemberWithoutDevicesStillReceives()
    {
        if (!media::DeviceList::list().empty() || !qEnvironmentVariableIsEmpty("DISPLAY"))
            QSKIP("this machine has a camera, microphone or display; the case needs none");
        MeshKit kit(loopbackOptions());
        kit.add(0);
        media::MediaOptions devices = loopbackOptions();
        devices.testSources = false;
        media::MediaMesh& bare = kit.add(1, devices);
        QCOMPARE(bare.local().missing().size(), size_t(3)); // no camera, microphone or screen
        kit.epoch({0, 1});
        bare.setSending(StreamKind::Audio, true); // asking to send without a device: harmless
        MeshKit::run(3000);
        QVERIFY(kit.decoded(1, 0, StreamKind::Camera) > 20);
        QVERIFY(kit.decoded(1, 0, StreamKind::Audio) > 80);
        QCOMPARE(kit.decoded(0, 1, StreamKind::Audio), uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestMediaMesh)
#include "tst_mediamesh.moc"
