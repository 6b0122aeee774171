// SPDX-License-Identifier: GPL-3.0-or-later
// SFrame protect/unprotect: RFC 9605 vectors, tampering, replay, key handling, overhead and
// nonce uniqueness. Header encodings, the replay window and clear prefixes have their own tests
// (tst_sframeheader, tst_replaywindow, tst_clearprefix).
#include "crypto/ClearPrefix.h"
#include "crypto/SframeCipherSuite.h"
#include "crypto/SframeHeader.h"
#include "crypto/SframeKeys.h"
#include "crypto/SframeReceiver.h"
#include "crypto/SframeSender.h"

#include "TestPaths.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <unordered_set>

using namespace conclave::crypto;
using conclave::TimePoint;

Q_DECLARE_METATYPE(CipherSuite)
Q_DECLARE_METATYPE(MediaCodec)

namespace {

enum class Kind { Opus, Vp8Key, Vp8Delta };

MediaCodec codecOf(Kind kind)
{
    return kind == Kind::Opus ? MediaCodec::Opus : MediaCodec::Vp8;
}

size_t prefixOf(Kind kind)
{
    return kind == Kind::Opus ? 0 : kind == Kind::Vp8Key ? 10 : 3;
}

/// A frame whose first byte marks a VP8 keyframe (bit 0 clear) or delta frame (bit 0 set).
Bytes makeFrame(Kind kind, size_t size, uint32_t seed = 1)
{
    Bytes frame(size);
    for (size_t i = 0; i < size; ++i)
        frame[i] = static_cast<uint8_t>(i * 131 + seed * 7 + (i >> 8));
    if (kind != Kind::Opus && size > 0)
        frame[0] = kind == Kind::Vp8Key ? 0x50 : 0x51;
    return frame;
}

Bytes randomKey(size_t size = 32)
{
    Bytes key(size);
    randombytes_buf(key.data(), size);
    return key;
}

Bytes concat(Bytes a, ByteView b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

Bytes hexField(const QJsonObject& o, const char* name)
{
    return fromHex(o.value(QLatin1String(name)).toString().toStdString()).value_or(Bytes{});
}

Bytes bytesOf(const SecureBuffer& b)
{
    return Bytes(b.data(), b.data() + b.size());
}

/// RFC 9605 §4.5 parameters of the five suites in the vectors.
SuiteParameters rfcSuite(int id)
{
    switch (id) {
    case 1:
    case 2:
    case 3:
        return {uint16_t(id), HashAlgorithm::Sha256, 48, 12, 0};
    case 4:
        return {4, HashAlgorithm::Sha256, 16, 12, 16};
    case 5:
        return {5, HashAlgorithm::Sha512, 32, 12, 16};
    default:
        return {};
    }
}

constexpr uint64_t makeKid(uint64_t ctx, uint64_t index, uint64_t epoch)
{
    return ctx << 20 | index << 4 | (epoch % 16); // docs/e2ee.md §3, S = 16, E = 4
}

TimePoint at(int seconds)
{
    return TimePoint{} + std::chrono::hours(480000) + std::chrono::seconds(seconds);
}

void addSuiteRows()
{
    QTest::addColumn<CipherSuite>("suite");
    QTest::newRow("AES-256-GCM") << CipherSuite::Aes256GcmSha512_128;
    QTest::newRow("ChaCha20-Poly1305") << CipherSuite::ChaCha20Poly1305Sha256;
}

#define SKIP_IF_UNAVAILABLE(suite)                                                                 \
    if (!checkSuiteAvailable(suite))                                                               \
    QSKIP("this CPU lacks AES-NI/PCLMUL, so AES-256-GCM cannot run here")

} // namespace

class TestSframe : public QObject {
    Q_OBJECT

private:
    QJsonArray m_vectors;

private slots:
    void initTestCase()
    {
        const QString shared = conclave::testsupport::sharedDir();
        const QString path = shared + "/test-vectors/sframe-rfc9605.json";
        if (!shared.isEmpty() && QFile::exists(path))
            m_vectors = QJsonDocument::fromJson(conclave::testsupport::readFile(path))
                            .object()
                            .value("sframe")
                            .toArray();
    }

    void rfcKeyDerivationNonceAad()
    {
        if (m_vectors.isEmpty())
            QSKIP("RFC 9605 vectors not found: expected ../shared/test-vectors/"
                  "sframe-rfc9605.json beside the checkout (CONCLAVE_SHARED_DIR)");
        QCOMPARE(m_vectors.size(), 5);
        for (const auto& value : m_vectors) {
            const QJsonObject v = value.toObject();
            const int id = v.value("cipher_suite").toInt();
            const QByteArray where = "suite " + QByteArray::number(id);
            const auto kidValue = uint64_t(v.value("kid").toInteger());
            const auto ctr = uint64_t(v.value("ctr").toInteger());
            QVERIFY2(rfcSuite(id).keySize != 0, where);

            QVERIFY2(SframeKeys::keyLabel(uint16_t(id), kidValue) ==
                         hexField(v, "sframe_key_label"),
                     where);
            QVERIFY2(SframeKeys::saltLabel(uint16_t(id), kidValue) ==
                         hexField(v, "sframe_salt_label"),
                     where);
            const auto keys = SframeKeys::derive(rfcSuite(id), kidValue, hexField(v, "base_key"));
            QVERIFY2(keys.ok(), where);
            QVERIFY2(bytesOf(keys->secret()) == hexField(v, "sframe_secret"), where);
            QVERIFY2(bytesOf(keys->key()) == hexField(v, "sframe_key"), where);
            QVERIFY2(bytesOf(keys->salt()) == hexField(v, "sframe_salt"), where);

            Bytes nonce(12);
            sframeNonce(keys->salt().view(), ctr, nonce);
            QVERIFY2(nonce == hexField(v, "nonce"), where);

            const Bytes header = SframeHeader::encode(kidValue, ctr);
            QVERIFY2(concat(header, hexField(v, "metadata")) == hexField(v, "aad"), where);
            const Bytes ct = hexField(v, "ct");
            QVERIFY2(std::equal(header.begin(), header.end(), ct.begin()), where);
        }
        // The CipherSuite form of suite 5 is the same derivation.
        const QJsonObject v5 = m_vectors.at(4).toObject();
        const auto viaEnum =
            SframeKeys::derive(CipherSuite::Aes256GcmSha512_128, 291, hexField(v5, "base_key"));
        QVERIFY(viaEnum.ok());
        QVERIFY(bytesOf(viaEnum->key()) == hexField(v5, "sframe_key"));
    }

    void rfcSuite5EncryptAndDecrypt()
    {
        if (m_vectors.isEmpty())
            QSKIP("RFC 9605 vectors not found: expected ../shared/test-vectors/"
                  "sframe-rfc9605.json beside the checkout (CONCLAVE_SHARED_DIR)");
        SKIP_IF_UNAVAILABLE(CipherSuite::Aes256GcmSha512_128);
        const QJsonObject v = m_vectors.at(4).toObject();
        QCOMPARE(v.value("cipher_suite").toInt(), 5);
        const Bytes baseKey = hexField(v, "base_key");
        const Bytes metadata = hexField(v, "metadata");
        const Bytes ct = hexField(v, "ct");
        const Bytes pt = hexField(v, "pt");

        const auto sealed = SframeSender::protectWithCounterForTestVectors(
            CipherSuite::Aes256GcmSha512_128, baseKey, 291, 17767, metadata, pt);
        QVERIFY(sealed.ok());
        QCOMPARE(toHex(*sealed), toHex(ct));

        SframeReceiver receiver;
        QVERIFY(receiver.addKey(291, CipherSuite::Aes256GcmSha512_128, baseKey).ok());
        const auto opened = receiver.unprotectWithMetadata(metadata, ct);
        QVERIFY(opened.ok());
        QCOMPARE(toHex(*opened), toHex(pt));
        QCOMPARE(receiver.unprotectWithMetadata(metadata, ct).error().code,
                 std::string("sframe.replay"));
        Bytes otherMetadata = metadata;
        otherMetadata.back() ^= 1;
        SframeReceiver fresh;
        QVERIFY(fresh.addKey(291, CipherSuite::Aes256GcmSha512_128, baseKey).ok());
        QCOMPARE(fresh.unprotectWithMetadata(otherMetadata, ct).error().code,
                 std::string("sframe.auth_failed"));
    }

    void suites()
    {
        const SuiteParameters aes = suiteParameters(CipherSuite::Aes256GcmSha512_128);
        QCOMPARE(aes.id, uint16_t(0x0005));
        QVERIFY(aes.hash == HashAlgorithm::Sha512);
        QCOMPARE(aes.keySize, size_t(32));
        QCOMPARE(aes.nonceSize, size_t(12));
        QCOMPARE(aes.tagSize, size_t(16));
        const SuiteParameters chacha = suiteParameters(CipherSuite::ChaCha20Poly1305Sha256);
        QCOMPARE(chacha.id, uint16_t(0xF001));
        QVERIFY(chacha.hash == HashAlgorithm::Sha256);
        QCOMPARE(cipherSuiteFromId(0x0005), std::optional(CipherSuite::Aes256GcmSha512_128));
        QCOMPARE(cipherSuiteFromId(0xF001), std::optional(CipherSuite::ChaCha20Poly1305Sha256));
        QVERIFY(!cipherSuiteFromId(0x0004));

        // Without AES-NI the AES suite is a clear refusal, never a crash.
        const auto refused = checkSuiteAvailable(CipherSuite::Aes256GcmSha512_128, false);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, std::string("sframe.suite_unavailable"));
        QVERIFY(refused.error().message.find("0xF001") != std::string::npos);
        QVERIFY(checkSuiteAvailable(CipherSuite::ChaCha20Poly1305Sha256, false).ok());
        if (!aesGcmAvailable()) {
            SframeSender sender;
            QCOMPARE(sender.setKey(1, CipherSuite::Aes256GcmSha512_128, randomKey()).error().code,
                     std::string("sframe.suite_unavailable"));
        }
        SframeSender sender;
        QCOMPARE(sender.setKey(1, CipherSuite::ChaCha20Poly1305Sha256, randomKey(15)).error().code,
                 std::string("sframe.base_key_size"));
    }

    void roundTrip_data()
    {
        QTest::addColumn<CipherSuite>("suite");
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("size");
        const std::pair<CipherSuite, const char*> suites[] = {
            {CipherSuite::Aes256GcmSha512_128, "aes"},
            {CipherSuite::ChaCha20Poly1305Sha256, "chacha"}};
        const std::pair<Kind, const char*> kinds[] = {
            {Kind::Opus, "opus"}, {Kind::Vp8Key, "vp8-key"}, {Kind::Vp8Delta, "vp8-delta"}};
        for (const auto& [suite, suiteLabel] : suites)
            for (const auto& [kind, kindName] : kinds)
                for (int size : {int(prefixOf(kind)) + 1, 160, 1200, 6000}) {
                    QTest::addRow("%s %s %d", suiteLabel, kindName, size)
                        << suite << int(kind) << size;
                }
    }

    void roundTrip()
    {
        QFETCH(CipherSuite, suite);
        QFETCH(int, kind);
        QFETCH(int, size);
        SKIP_IF_UNAVAILABLE(suite);
        const Kind k = Kind(kind);
        const uint64_t id = makeKid(1, 42, 3);
        const Bytes key = randomKey();
        SframeSender sender;
        SframeReceiver receiver;
        QVERIFY(sender.setKey(id, suite, key).ok());
        QVERIFY(receiver.addKey(id, suite, key).ok());
        for (uint32_t n = 0; n < 20; ++n) {
            const Bytes frame = makeFrame(k, size_t(size), n);
            const auto wire = sender.protect(id, codecOf(k), frame);
            QVERIFY(wire.ok());
            const size_t prefix = prefixOf(k);
            QCOMPARE(wire->size(), frame.size() + SframeHeader::encodedSize(id, n) + 16);
            // The prefix stays readable; the header follows it; the rest is encrypted.
            QVERIFY(std::equal(frame.begin(), frame.begin() + long(prefix), wire->begin()));
            const auto header = SframeHeader::decode(ByteView(*wire).subspan(prefix));
            QVERIFY(header.ok());
            QCOMPARE(header->kid, id);
            QCOMPARE(header->counter, uint64_t(n));
            if (frame.size() - prefix >= 8)
                QVERIFY(!std::equal(frame.begin() + long(prefix), frame.end(),
                                    wire->begin() + long(prefix + header->size)));
            const auto back = receiver.unprotect(codecOf(k), *wire);
            QVERIFY(back.ok());
            QVERIFY(*back == frame);
        }
        QCOMPARE(receiver.stats().accepted, uint64_t(20));
    }

    void vp8PrefixInClearOnTheWire()
    {
        SframeSender sender;
        QVERIFY(sender.setKey(5, CipherSuite::ChaCha20Poly1305Sha256, randomKey()).ok());
        const Bytes key = makeFrame(Kind::Vp8Key, 500);
        const Bytes delta = makeFrame(Kind::Vp8Delta, 500);
        const Bytes wireKey = *sender.protect(5, MediaCodec::Vp8, key);
        const Bytes wireDelta = *sender.protect(5, MediaCodec::Vp8, delta);
        QCOMPARE(toHex(ByteView(wireKey).first(10)), toHex(ByteView(key).first(10)));
        QCOMPARE(toHex(ByteView(wireDelta).first(3)), toHex(ByteView(delta).first(3)));
        // Right after the prefix comes the header (one config byte for KID 5, CTR 0 and 1),
        // then the encrypted rest.
        QCOMPARE(wireKey[10], SframeHeader::encode(5, 0)[0]);
        QCOMPARE(wireDelta[3], SframeHeader::encode(5, 1)[0]);
        QVERIFY(!std::equal(key.begin() + 10, key.end(), wireKey.begin() + 11));
        QVERIFY(!std::equal(delta.begin() + 3, delta.end(), wireDelta.begin() + 4));
    }

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

        // Re-adding the same key cancels a scheduled removal and keeps the replay window.
        QVERIFY(receiver.addKey(id, CipherSuite::ChaCha20Poly1305Sha256, key).ok());
        const Bytes wire = send();
        QVERIFY(receiver.unprotect(MediaCodec::Vp8, wire).ok());
        receiver.scheduleRemoval(id, at(20));
        QVERIFY(receiver.addKey(id, CipherSuite::ChaCha20Poly1305Sha256, key).ok());
        QCOMPARE(receiver.unprotect(MediaCodec::Vp8, wire).error().code,
                 std::string("sframe.replay"));
        receiver.prune(at(30));
        QVERIFY(receiver.hasKey(id));

        receiver.removeKey(id);
        QCOMPARE(receiver.unprotect(MediaCodec::Vp8, send()).error().code,
                 std::string("sframe.unknown_kid"));
        receiver.scheduleRemoval(id, at(0)); // no key: nothing happens
        QCOMPARE(receiver.keyCount(), size_t(0));
        QCOMPARE(receiver.stats().unknownKid, uint64_t(2));
    }

    void senderCounters()
    {
        const Bytes keyA = randomKey();
        const Bytes keyB = randomKey();
        const auto suite = CipherSuite::ChaCha20Poly1305Sha256;
        const Bytes frame = makeFrame(Kind::Opus, 30);
        SframeSender sender(3);
        QVERIFY(!sender.nextCounter(1));
        QCOMPARE(sender.protect(1, MediaCodec::Opus, frame).error().code,
                 std::string("sframe.unknown_kid"));
        QVERIFY(sender.setKey(1, suite, keyA).ok());
        QCOMPARE(sender.nextCounter(1), std::optional<uint64_t>(0));
        QVERIFY(sender.protect(1, MediaCodec::Opus, frame).ok());
        QVERIFY(sender.setKey(1, suite, keyA).ok()); // same key again: counter continues
        QCOMPARE(sender.nextCounter(1), std::optional<uint64_t>(1));

        // Failures spend no counter.
        Bytes small(frame.size() + 5);
        QCOMPARE(sender.protectInto(1, MediaCodec::Opus, frame, small).error().code,
                 std::string("sframe.buffer_too_small"));
        QCOMPARE(sender.protect(1, MediaCodec::Opus, {}).error().code,
                 std::string("sframe.frame_too_short"));
        QCOMPARE(sender.protect(1, MediaCodec::Vp8, makeFrame(Kind::Vp8Key, 10)).error().code,
                 std::string("sframe.frame_too_short"));
        QCOMPARE(sender.protect(1, static_cast<MediaCodec>(9), frame).error().code,
                 std::string("sframe.unknown_codec"));
        QCOMPARE(sender.nextCounter(1), std::optional<uint64_t>(1));

        QVERIFY(sender.protect(1, MediaCodec::Opus, frame).ok());
        QVERIFY(sender.protect(1, MediaCodec::Opus, frame).ok());
        const auto exhausted = sender.protect(1, MediaCodec::Opus, frame);
        QCOMPARE(exhausted.error().code, std::string("sframe.counter_exhausted"));
        QCOMPARE(sender.nextCounter(1), std::optional<uint64_t>(3));

        // A new key restarts the counter; the old key can never come back.
        QVERIFY(sender.setKey(1, suite, keyB).ok());
        QCOMPARE(sender.nextCounter(1), std::optional<uint64_t>(0));
        QCOMPARE(sender.setKey(1, suite, keyA).error().code, std::string("sframe.key_reused"));
        sender.removeKey(1);
        QVERIFY(!sender.hasKey(1));
        QCOMPARE(sender.setKey(1, suite, keyB).error().code, std::string("sframe.key_reused"));
        QVERIFY(sender.setKey(2, suite, keyA).ok()); // another KID: another key and salt
        QVERIFY(SframeSender().setKey(1, suite, keyA).ok());
    }

    void bytesAddedPerFrame_data() { addSuiteRows(); }

    void bytesAddedPerFrame()
    {
        QFETCH(CipherSuite, suite);
        SKIP_IF_UNAVAILABLE(suite);
        const uint64_t id = makeKid(2, 0xffff, 15); // the largest KID the key schedule makes
        QCOMPARE(SframeHeader::encodedSize(id, 0), size_t(4));
        SframeSender sender;
        QVERIFY(sender.setKey(id, suite, randomKey()).ok());
        const Bytes frame = makeFrame(Kind::Vp8Delta, 20);
        Bytes out(SframeSender::maxProtectedSize(frame.size()));
        size_t largest = 0;
        for (uint64_t n = 0; n < 65536; ++n) {
            const auto size = sender.protectInto(id, MediaCodec::Vp8, frame, out);
            QVERIFY(size.ok());
            const size_t added = *size - frame.size();
            QCOMPARE(added, 1 + 3 + (n < 8 ? 0 : n < 256 ? 1 : 2) + size_t(16));
            largest = std::max(largest, added);
        }
        QCOMPARE(largest, size_t(22));
        QVERIFY(SframeSender::kMaxOverhead >= largest);
    }

    void noncesNeverRepeat()
    {
        // 20 KIDs (3 senders × 3 media contexts × 2 epochs, and 2 more) × 5,000 frames,
        // interleaved, both suites; then 4 KIDs come round again at epoch + 16 with new keys
        // (E = 4 bits). Each (key, nonce) pair is computed independently of the sender from
        // the header on the wire, checked by decrypting with bare libsodium, and must be new.
        struct Stream {
            SframeSender* sender;
            uint64_t kid;
            CipherSuite suite;
            Bytes baseKey;
        };
        const bool aes = aesGcmAvailable();
        SframeSender senders[3];
        std::vector<Stream> streams;
        const Bytes shared = randomKey(); // two KIDs on one base key still get distinct keys
        for (uint64_t s = 0; s < 3; ++s)
            for (uint64_t ctx = 0; ctx < 3; ++ctx)
                for (uint64_t epoch = 1; epoch <= 2; ++epoch) {
                    const CipherSuite suite = aes && (s + ctx + epoch) % 2 == 0
                                                  ? CipherSuite::Aes256GcmSha512_128
                                                  : CipherSuite::ChaCha20Poly1305Sha256;
                    streams.push_back({&senders[s], makeKid(ctx, s + 1, epoch), suite,
                                       ctx == 2 && epoch == 2 ? shared : randomKey()});
                }
        streams.push_back(
            {&senders[0], makeKid(0, 1, 3), CipherSuite::ChaCha20Poly1305Sha256, shared});
        streams.push_back(
            {&senders[1], makeKid(1, 2, 3), CipherSuite::ChaCha20Poly1305Sha256, randomKey()});
        QCOMPARE(streams.size(), size_t(20));

        std::unordered_set<std::string> seen;
        std::map<std::pair<uint64_t, std::string>, std::pair<Bytes, Bytes>> derived;
        uint64_t frames = 0;
        const auto sendRound = [&](Stream& st, uint32_t n) {
            const Kind kind = n % 3 == 0 ? Kind::Vp8Key : n % 3 == 1 ? Kind::Vp8Delta : Kind::Opus;
            const Bytes frame = makeFrame(kind, 24 + n % 7, n);
            const auto wire = st.sender->protect(st.kid, codecOf(kind), frame);
            if (!wire.ok())
                return false;
            const size_t prefix = prefixOf(kind);
            const auto header = SframeHeader::decode(ByteView(*wire).subspan(prefix));
            if (!header.ok() || header->kid != st.kid)
                return false;
            auto& [key, salt] = derived[{st.kid, toHex(st.baseKey)}];
            if (key.empty()) {
                const auto keys = SframeKeys::derive(st.suite, st.kid, st.baseKey);
                key = bytesOf(keys->key());
                salt = bytesOf(keys->salt());
            }
            Bytes nonce(12);
            sframeNonce(salt, header->counter, nonce);
            if (!seen.insert(toHex(key) + toHex(nonce)).second)
                return false;
            ++frames;
            if (n % 50 == 0) {
                Bytes aad(wire->begin() + long(prefix),
                          wire->begin() + long(prefix + header->size));
                aad.insert(aad.end(), frame.begin(), frame.begin() + long(prefix));
                const ByteView ct = ByteView(*wire).subspan(prefix + header->size);
                Bytes plain(ct.size() - 16);
                unsigned long long plainSize = 0;
                const int rc = st.suite == CipherSuite::Aes256GcmSha512_128
                                   ? crypto_aead_aes256gcm_decrypt(
                                         plain.data(), &plainSize, nullptr, ct.data(), ct.size(),
                                         aad.data(), aad.size(), nonce.data(), key.data())
                                   : crypto_aead_chacha20poly1305_ietf_decrypt(
                                         plain.data(), &plainSize, nullptr, ct.data(), ct.size(),
                                         aad.data(), aad.size(), nonce.data(), key.data());
                if (rc != 0 ||
                    !std::equal(plain.begin(), plain.end(), frame.begin() + long(prefix)))
                    return false;
            }
            return true;
        };

        for (Stream& st : streams)
            QVERIFY(st.sender->setKey(st.kid, st.suite, st.baseKey).ok());
        for (uint32_t n = 0; n < 5000; ++n)
            for (Stream& st : streams)
                QVERIFY2(sendRound(st, n),
                         qPrintable(QString("kid %1 frame %2").arg(st.kid).arg(n)));

        // Epoch + 16 lands on the same KIDs with new keys; counters restart at 0 safely.
        for (size_t i : {size_t(0), size_t(5), size_t(11), size_t(19)}) {
            Stream& st = streams[i];
            const Bytes oldKey = st.baseKey;
            st.baseKey = randomKey();
            QVERIFY(st.sender->setKey(st.kid, st.suite, st.baseKey).ok());
            QCOMPARE(st.sender->nextCounter(st.kid), std::optional<uint64_t>(0));
            // Going back to the old key would restart its counter: refused.
            QCOMPARE(st.sender->setKey(st.kid, st.suite, oldKey).error().code,
                     std::string("sframe.key_reused"));
            for (uint32_t n = 0; n < 1000; ++n)
                QVERIFY(sendRound(st, n));
        }
        QCOMPARE(frames, uint64_t(20 * 5000 + 4 * 1000));
        QCOMPARE(seen.size(), size_t(frames));
    }

    void bothSuitesOnOneReceiver()
    {
        if (!aesGcmAvailable())
            QSKIP("this CPU lacks AES-NI/PCLMUL, so AES-256-GCM cannot run here");
        const Bytes k1 = randomKey();
        const Bytes k2 = randomKey();
        SframeSender sender;
        SframeReceiver receiver;
        QVERIFY(sender.setKey(1, CipherSuite::Aes256GcmSha512_128, k1).ok());
        QVERIFY(sender.setKey(2, CipherSuite::ChaCha20Poly1305Sha256, k2).ok());
        QVERIFY(receiver.addKey(1, CipherSuite::Aes256GcmSha512_128, k1).ok());
        QVERIFY(receiver.addKey(2, CipherSuite::ChaCha20Poly1305Sha256, k2).ok());
        for (uint32_t n = 0; n < 50; ++n) {
            const Bytes frame = makeFrame(Kind::Vp8Key, 200, n);
            for (uint64_t id : {uint64_t(1), uint64_t(2)}) {
                Bytes out(
                    SframeReceiver::maxFrameSize(SframeSender::maxProtectedSize(frame.size())));
                const Bytes wire = *sender.protect(id, MediaCodec::Vp8, frame);
                const auto size = receiver.unprotectInto(MediaCodec::Vp8, wire, out);
                QVERIFY(size.ok());
                out.resize(*size);
                QVERIFY(out == frame);
            }
        }
        QCOMPARE(receiver.stats().accepted, uint64_t(100));
    }
};

QTEST_GUILESS_MAIN(TestSframe)
#include "tst_sframe.moc"
