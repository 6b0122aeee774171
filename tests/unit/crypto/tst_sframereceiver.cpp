// SPDX-License-Identifier: GPL-3.0-or-later
// SFrame (RFC 9605): what a receiver refuses - tampering, replays, unknown or wrong keys - and key
// removal.
#include "SframeTestSupport.h"

using namespace conclave::crypto;
using namespace conclave::crypto::sframetest;

class TestSframeReceiver : public QObject {
    Q_OBJECT

private slots:
    void tamperEveryByte_data() { addSuiteRows(); }

    void tamperEveryByte()
    {
        QFETCH(CipherSuite, suite);
        SKIP_IF_UNAVAILABLE(suite);
        for (Kind kind : {Kind::Opus, Kind::Vp8Key, Kind::Vp8Delta}) {
            const uint64_t id = makeKid(2, 300, 9); // 3-byte KID
            const Bytes key = randomKey();
            SframeSender sender;
            SframeReceiver receiver;
            QVERIFY(sender.setKey(id, suite, key).ok());
            QVERIFY(receiver.addKey(id, suite, key).ok());
            for (int i = 0; i < 300; ++i) // a 2-byte counter in the header
                QVERIFY(sender.protect(id, codecOf(kind), makeFrame(kind, 40)).ok());
            const Bytes frame = makeFrame(kind, 40, 77);
            const Bytes wire = *sender.protect(id, codecOf(kind), frame);
            uint64_t attempts = 0;
            for (size_t i = 0; i < wire.size(); ++i) {
                for (uint8_t mask : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xff)}) {
                    Bytes changed = wire;
                    changed[i] ^= mask;
                    ++attempts;
                    QVERIFY2(!receiver.unprotect(codecOf(kind), changed).ok(),
                             qPrintable(QString("byte %1 mask %2").arg(i).arg(mask)));
                }
            }
            for (size_t n = 0; n < wire.size(); ++n, ++attempts)
                QVERIFY(!receiver.unprotect(codecOf(kind), ByteView(wire).first(n)).ok());
            ++attempts;
            QVERIFY(!receiver.unprotect(codecOf(kind), concat(wire, Bytes{0})).ok());

            const SframeReceiverStats& s = receiver.stats();
            QCOMPARE(s.accepted, uint64_t(0));
            QCOMPARE(s.unknownKid + s.authFailed + s.replay + s.malformed, attempts);
            QVERIFY(s.authFailed > wire.size()); // most changes reach the tag check
            // None of that moved the window or disturbed the stream.
            const auto back = receiver.unprotect(codecOf(kind), wire);
            QVERIFY(back.ok());
            QVERIFY(*back == frame);
        }
    }

    void replayWindowEdges()
    {
        const uint64_t id = makeKid(0, 7, 1);
        const Bytes key = randomKey();
        SframeSender sender;
        SframeReceiver receiver;
        QVERIFY(sender.setKey(id, CipherSuite::ChaCha20Poly1305Sha256, key).ok());
        QVERIFY(receiver.addKey(id, CipherSuite::ChaCha20Poly1305Sha256, key).ok());
        std::vector<Bytes> wires;
        for (uint32_t n = 0; n < 400; ++n)
            wires.push_back(*sender.protect(id, MediaCodec::Opus, makeFrame(Kind::Opus, 60, n)));
        const auto code = [&](size_t n) {
            const auto r = receiver.unprotect(MediaCodec::Opus, wires[n]);
            return r.ok() ? std::string("ok") : r.error().code;
        };
        QCOMPARE(code(200), std::string("ok"));
        QCOMPARE(code(200), std::string("sframe.replay"));
        QCOMPARE(code(72), std::string("ok")); // exactly 128 below the highest
        QCOMPARE(code(71), std::string("sframe.too_old"));
        QCOMPARE(code(0), std::string("sframe.too_old"));
        // Everything else inside the window, in any order, once.
        std::vector<size_t> order;
        for (size_t n = 73; n < 200; ++n)
            order.push_back(n);
        std::shuffle(order.begin(), order.end(), std::mt19937(128));
        for (size_t n : order)
            QCOMPARE(code(n), std::string("ok"));
        for (size_t n = 72; n <= 200; ++n)
            QCOMPARE(code(n), std::string("sframe.replay"));
        // A jump moves the window: 72 is now far too old, 399 - 128 = 271 still inside.
        QCOMPARE(code(399), std::string("ok"));
        QCOMPARE(code(271), std::string("ok"));
        QCOMPARE(code(270), std::string("sframe.too_old"));
        QCOMPARE(code(200), std::string("sframe.too_old"));
        const SframeReceiverStats& s = receiver.stats();
        QCOMPARE(s.accepted, uint64_t(1 + 1 + 127 + 2));
        QCOMPARE(s.replay, uint64_t(1 + 2 + 129 + 2));
        QCOMPARE(s.authFailed + s.unknownKid + s.malformed, uint64_t(0));
    }

    void outOfOrderWithinWindowAccepted_data() { addSuiteRows(); }

    void outOfOrderWithinWindowAccepted()
    {
        QFETCH(CipherSuite, suite);
        SKIP_IF_UNAVAILABLE(suite);
        const Bytes key = randomKey();
        SframeSender sender;
        SframeReceiver receiver;
        QVERIFY(sender.setKey(3, suite, key).ok());
        QVERIFY(receiver.addKey(3, suite, key).ok());
        std::vector<Bytes> wires;
        for (uint32_t n = 0; n < 2048; ++n)
            wires.push_back(*sender.protect(3, MediaCodec::Vp8, makeFrame(Kind::Vp8Delta, 90, n)));
        // Reorder inside blocks of 64: nothing arrives more than 127 behind the highest.
        std::mt19937 random(64);
        for (size_t block = 0; block < wires.size(); block += 64)
            std::shuffle(wires.begin() + long(block), wires.begin() + long(block + 64), random);
        for (const Bytes& wire : wires)
            QVERIFY(receiver.unprotect(MediaCodec::Vp8, wire).ok());
        QCOMPARE(receiver.stats().accepted, uint64_t(2048));
    }

    void forgedFramesDoNotMoveTheWindow()
    {
        const Bytes key = randomKey();
        SframeSender sender;
        SframeReceiver receiver;
        QVERIFY(sender.setKey(9, CipherSuite::ChaCha20Poly1305Sha256, key).ok());
        QVERIFY(receiver.addKey(9, CipherSuite::ChaCha20Poly1305Sha256, key).ok());
        // A forger without the key sends counter 100000; if that moved the window, every real
        // frame below 99872 would be refused as too old.
        const auto forged = SframeSender::protectWithCounterForTestVectors(
            CipherSuite::ChaCha20Poly1305Sha256, randomKey(), 9, 100000, {}, Bytes(50, 1));
        QCOMPARE(receiver.unprotect(MediaCodec::Opus, *forged).error().code,
                 std::string("sframe.auth_failed"));
        for (int n = 0; n < 10; ++n)
            QVERIFY(
                receiver
                    .unprotect(MediaCodec::Opus, *sender.protect(9, MediaCodec::Opus, Bytes(50, 2)))
                    .ok());
        // Counters a Conclave sender never uses are refused before any key is touched.
        const auto huge = SframeSender::protectWithCounterForTestVectors(
            CipherSuite::ChaCha20Poly1305Sha256, key, 9, SframeSender::kCounterLimit, {},
            Bytes(50, 1));
        QCOMPARE(receiver.unprotect(MediaCodec::Opus, *huge).error().code,
                 std::string("sframe.counter_too_large"));
        QCOMPARE(receiver.stats().malformed, uint64_t(1));
    }

    void unknownKidIsCountedAndHarmless()
    {
        const Bytes epoch1 = randomKey();
        const Bytes epoch2 = randomKey();
        SframeSender sender;
        SframeReceiver receiver;
        QVERIFY(sender.setKey(makeKid(0, 4, 1), CipherSuite::ChaCha20Poly1305Sha256, epoch1).ok());
        QVERIFY(sender.setKey(makeKid(0, 4, 2), CipherSuite::ChaCha20Poly1305Sha256, epoch2).ok());
        QVERIFY(
            receiver.addKey(makeKid(0, 4, 1), CipherSuite::ChaCha20Poly1305Sha256, epoch1).ok());
        const Bytes frame = makeFrame(Kind::Opus, 80);
        for (int n = 0; n < 3; ++n) {
            const auto r = receiver.unprotect(
                MediaCodec::Opus, *sender.protect(makeKid(0, 4, 2), MediaCodec::Opus, frame));
            QCOMPARE(r.error().code, std::string("sframe.unknown_kid"));
            QVERIFY(!r.error().message.empty());
            QVERIFY(receiver
                        .unprotect(MediaCodec::Opus,
                                   *sender.protect(makeKid(0, 4, 1), MediaCodec::Opus, frame))
                        .ok());
        }
        QCOMPARE(receiver.stats().unknownKid, uint64_t(3));
        QCOMPARE(receiver.stats().accepted, uint64_t(3));
        const Bytes wire = *sender.protect(makeKid(0, 4, 1), MediaCodec::Opus, frame);
        QCOMPARE(receiver.unprotect(static_cast<MediaCodec>(9), wire).error().code,
                 std::string("sframe.unknown_codec"));
        QCOMPARE(receiver.stats().malformed, uint64_t(1));
        QVERIFY(receiver.unprotect(MediaCodec::Opus, wire).ok());
    }

    void wrongKeyIsNeverRetried()
    {
        const Bytes keyA = randomKey();
        const Bytes keyB = randomKey();
        SframeSender sender;
        QVERIFY(sender.setKey(12, CipherSuite::ChaCha20Poly1305Sha256, keyA).ok());
        const Bytes frame = makeFrame(Kind::Vp8Key, 300);
        const Bytes wire1 = *sender.protect(12, MediaCodec::Vp8, frame);
        const Bytes wire2 = *sender.protect(12, MediaCodec::Vp8, frame);

        SframeReceiver receiver;
        QVERIFY(receiver.addKey(12, CipherSuite::ChaCha20Poly1305Sha256, keyB).ok());
        QCOMPARE(receiver.unprotect(MediaCodec::Vp8, wire1).error().code,
                 std::string("sframe.auth_failed"));
        // Once A replaced B the frame decrypts; once B replaces A it fails again: the receiver
        // holds one key per KID and does not fall back to the one it had before.
        QVERIFY(receiver.addKey(12, CipherSuite::ChaCha20Poly1305Sha256, keyA).ok());
        QVERIFY(receiver.unprotect(MediaCodec::Vp8, wire1).ok());
        QVERIFY(receiver.addKey(12, CipherSuite::ChaCha20Poly1305Sha256, keyB).ok());
        QCOMPARE(receiver.unprotect(MediaCodec::Vp8, wire2).error().code,
                 std::string("sframe.auth_failed"));
        QCOMPARE(receiver.stats().authFailed, uint64_t(2));
        QCOMPARE(receiver.keyCount(), size_t(1));
        // Same base key under another suite is another key too.
        QVERIFY(receiver.addKey(12, CipherSuite::ChaCha20Poly1305Sha256, keyA).ok());
        if (aesGcmAvailable()) {
            SframeReceiver aes;
            QVERIFY(aes.addKey(12, CipherSuite::Aes256GcmSha512_128, keyA).ok());
            QCOMPARE(aes.unprotect(MediaCodec::Vp8, wire2).error().code,
                     std::string("sframe.auth_failed"));
        }
    }

    void removedAndPrunedKeys()
    {
        const Bytes key = randomKey();
        const uint64_t id = makeKid(1, 8, 5);
        SframeSender sender;
        SframeReceiver receiver;
        QVERIFY(sender.setKey(id, CipherSuite::ChaCha20Poly1305Sha256, key).ok());
        QVERIFY(receiver.addKey(id, CipherSuite::ChaCha20Poly1305Sha256, key).ok());
        const auto send = [&] {
            return *sender.protect(id, MediaCodec::Vp8, makeFrame(Kind::Vp8Delta, 64));
        };

        receiver.scheduleRemoval(id, at(10));
        receiver.prune(at(9));
        QVERIFY(receiver.hasKey(id));
        QVERIFY(receiver.unprotect(MediaCodec::Vp8, send()).ok()); // still held: in-flight frames
        receiver.prune(at(10));
        QVERIFY(!receiver.hasKey(id));
        QCOMPARE(receiver.unprotect(MediaCodec::Vp8, send()).error().code,
                 std::string("sframe.unknown_kid"));

        // A retired key stays retired: once wiped it cannot be installed again, and re-adding
        // it before then neither cancels nor extends its removal (the replay window stays).
        const auto revived = receiver.addKey(id, CipherSuite::ChaCha20Poly1305Sha256, key);
        QVERIFY(!revived.ok());
        QCOMPARE(revived.error().code, std::string("sframe.key_retired"));
        const Bytes next = randomKey(); // the KID's key 16 epochs later
        QVERIFY(receiver.addKey(id, CipherSuite::ChaCha20Poly1305Sha256, next).ok());
        SframeSender later;
        QVERIFY(later.setKey(id, CipherSuite::ChaCha20Poly1305Sha256, next).ok());
        const Bytes wire = *later.protect(id, MediaCodec::Vp8, makeFrame(Kind::Vp8Delta, 64));
        QVERIFY(receiver.unprotect(MediaCodec::Vp8, wire).ok());
        receiver.scheduleRemoval(id, at(20));
        QVERIFY(receiver.addKey(id, CipherSuite::ChaCha20Poly1305Sha256, next).ok());
        QCOMPARE(receiver.unprotect(MediaCodec::Vp8, wire).error().code,
                 std::string("sframe.replay"));
        receiver.scheduleRemoval(id, at(25)); // a later time does not extend it
        receiver.prune(at(20));
        QVERIFY(!receiver.hasKey(id));
        const auto again = receiver.addKey(id, CipherSuite::ChaCha20Poly1305Sha256, next);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, std::string("sframe.key_retired"));
        QCOMPARE(receiver.unprotect(MediaCodec::Vp8, send()).error().code,
                 std::string("sframe.unknown_kid"));
        QVERIFY(receiver.addKey(id, CipherSuite::ChaCha20Poly1305Sha256, randomKey()).ok());

        receiver.removeKey(id);
        QCOMPARE(receiver.unprotect(MediaCodec::Vp8, send()).error().code,
                 std::string("sframe.unknown_kid"));
        receiver.scheduleRemoval(id, at(0)); // no key: nothing happens
        QCOMPARE(receiver.keyCount(), size_t(0));
        QCOMPARE(receiver.stats().unknownKid, uint64_t(3));
    }
};

QTEST_GUILESS_MAIN(TestSframeReceiver)
#include "tst_sframereceiver.moc"
