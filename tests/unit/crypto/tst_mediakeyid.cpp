// SPDX-License-Identifier: GPL-3.0-or-later
// SFrame key ids (docs/e2ee.md §3, "Per-sender media keys"): layout, round trips, ranges, and
// the per-sender base keys.
#include "crypto/MediaKeyId.h"

#include <QtTest>

#include <set>

using namespace conclave::crypto;

class TestMediaKeyId : public QObject {
    Q_OBJECT

private slots:
    void layout_data()
    {
        QTest::addColumn<int>("context");
        QTest::addColumn<uint>("index");
        QTest::addColumn<qulonglong>("epoch");
        QTest::addColumn<qulonglong>("kid");
        QTest::newRow("chair audio epoch 0") << 0 << 0u << 0ull << 0ull;
        QTest::newRow("epoch bits only") << 0 << 0u << 15ull << 15ull;
        QTest::newRow("epoch wraps at 16") << 0 << 0u << 16ull << 0ull;
        QTest::newRow("epoch mod 16") << 0 << 0u << 0x123456789ull << 9ull;
        QTest::newRow("sender 1") << 0 << 1u << 0ull << 0x10ull;
        QTest::newRow("video sender 7 epoch 5") << 1 << 7u << 5ull << 0x100075ull;
        QTest::newRow("screen") << 2 << 0u << 0ull << 0x200000ull;
        QTest::newRow("largest") << 2 << 65535u << 15ull << 0x2fffffull;
    }

    void layout()
    {
        QFETCH(int, context);
        QFETCH(uint, index);
        QFETCH(qulonglong, epoch);
        QFETCH(qulonglong, kid);
        auto packed = MediaKeyId::pack(static_cast<MediaContext>(context), index, epoch);
        QVERIFY(packed.ok());
        QCOMPARE(qulonglong(*packed), kid);
        auto back = MediaKeyId::unpack(*packed);
        QVERIFY(back.ok());
        QCOMPARE(int(back->context), context);
        QCOMPARE(back->senderIndex, uint32_t(index));
        QCOMPARE(back->epochBits, uint8_t(epoch % 16));
        QCOMPARE(back->value(), uint64_t(kid));
    }

    void rangesAreChecked()
    {
        QCOMPARE(MediaKeyId::pack(MediaContext::Audio, 65536, 0).error().code,
                 std::string("keys.bad_kid"));
        QCOMPARE(MediaKeyId::pack(MediaContext::Audio, 0xffffffffu, 0).error().code,
                 std::string("keys.bad_kid"));
        QCOMPARE(MediaKeyId::pack(static_cast<MediaContext>(3), 0, 0).error().code,
                 std::string("keys.bad_kid"));
        QCOMPARE(MediaKeyId::unpack(0x300000).error().code, std::string("keys.bad_kid"));
        QCOMPARE(MediaKeyId::unpack(~uint64_t(0)).error().code, std::string("keys.bad_kid"));
        QVERIFY(MediaKeyId::unpack(0x2fffff).ok());
        QCOMPARE(MediaKeyId::kMaxKid, uint64_t(0x300000));
    }

    void everyKidRoundTrips()
    {
        for (uint64_t kid = 0; kid < MediaKeyId::kMaxKid; kid += 97) {
            auto id = MediaKeyId::unpack(kid);
            QVERIFY(id.ok());
            QCOMPARE(*MediaKeyId::pack(id->context, id->senderIndex, id->epochBits), kid);
        }
    }

    void baseKeysDifferPerSenderContextAndSecret()
    {
        const SecureBuffer es = SecureBuffer::random(32);
        std::set<std::string> keys;
        for (uint32_t index : {0u, 1u, 2u, 65535u})
            for (auto ctx : {MediaContext::Audio, MediaContext::Video, MediaContext::Screen}) {
                auto key = deriveMediaKey(es, 3, index, ctx);
                QVERIFY(key.ok());
                QCOMPARE(key->baseKey.size(), size_t(32));
                QCOMPARE(key->kid, *MediaKeyId::pack(ctx, index, 3));
                QVERIFY(keys.insert(toHex(key->baseKey.view())).second);
            }
        auto other = deriveMediaKey(SecureBuffer::random(32), 3, 0, MediaContext::Audio);
        QVERIFY(keys.count(toHex(other->baseKey.view())) == 0);
        QCOMPARE(deriveMediaKey(es, 3, 65536, MediaContext::Audio).error().code,
                 std::string("keys.bad_kid"));
        // The epoch only changes the KID, not the derivation: a new epoch means a new ES.
        QCOMPARE(toHex(deriveMediaKey(es, 3, 1, MediaContext::Video)->baseKey.view()),
                 toHex(deriveMediaKey(es, 19, 1, MediaContext::Video)->baseKey.view()));
    }
};

QTEST_GUILESS_MAIN(TestMediaKeyId)
#include "tst_mediakeyid.moc"
