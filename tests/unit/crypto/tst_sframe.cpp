// SPDX-License-Identifier: GPL-3.0-or-later
// SFrame (RFC 9605): published vectors, round trips, counters, overhead and nonce uniqueness.
#include "SframeTestSupport.h"

using namespace conclave::crypto;
using namespace conclave::crypto::sframetest;

class TestSframe : public QObject {
    Q_OBJECT

private:
    QJsonArray m_vectors;

private slots:
    void initTestCase()
    {
        // In the repository (tests/data/sframe, see tests/data/README.md): never skipped.
        m_vectors = QJsonDocument::fromJson(
                        conclave::testsupport::readFile(conclave::testsupport::testDataDir() +
                                                        "/sframe/rfc9605-vectors.json"))
                        .object()
                        .value("sframe")
                        .toArray();
    }

    void rfcKeyDerivationNonceAad()
    {
        QVERIFY2(!m_vectors.isEmpty(),
                 "RFC 9605 vectors missing: tests/data/sframe/rfc9605-vectors.json");
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
        QVERIFY2(!m_vectors.isEmpty(),
                 "RFC 9605 vectors missing: tests/data/sframe/rfc9605-vectors.json");
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
