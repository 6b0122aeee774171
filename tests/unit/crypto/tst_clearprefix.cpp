// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/ClearPrefix.h"

#include <QtTest>

using namespace conclave::crypto;

Q_DECLARE_METATYPE(MediaCodec)

class TestClearPrefix : public QObject {
    Q_OBJECT

private slots:
    void clearPrefix_data()
    {
        QTest::addColumn<MediaCodec>("codec");
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<int>("expected"); // -1: refused
        QTest::newRow("opus 1 byte") << MediaCodec::Opus << QByteArray(1, 'x') << 0;
        QTest::newRow("opus empty") << MediaCodec::Opus << QByteArray() << -1;
        QTest::newRow("vp8 key 11 bytes") << MediaCodec::Vp8 << QByteArray(11, '\x50') << 10;
        QTest::newRow("vp8 key 10 bytes") << MediaCodec::Vp8 << QByteArray(10, '\x50') << -1;
        QTest::newRow("vp8 delta 4 bytes") << MediaCodec::Vp8 << QByteArray(4, '\x51') << 3;
        QTest::newRow("vp8 delta 3 bytes") << MediaCodec::Vp8 << QByteArray(3, '\x51') << -1;
        QTest::newRow("vp8 empty") << MediaCodec::Vp8 << QByteArray() << -1;
        QTest::newRow("unknown codec") << static_cast<MediaCodec>(7) << QByteArray(64, 'x') << -1;
    }

    void clearPrefix()
    {
        QFETCH(MediaCodec, codec);
        QFETCH(QByteArray, frame);
        QFETCH(int, expected);
        const auto length =
            ClearPrefix::length(codec, ByteView(reinterpret_cast<const uint8_t*>(frame.constData()),
                                                size_t(frame.size())));
        QCOMPARE(length.ok(), expected >= 0);
        if (expected >= 0)
            QCOMPARE(*length, size_t(expected));
    }

    void vp8KeyframeBitOnlyLooksAtBitZero()
    {
        // Other frame tag bits (version, show_frame, partition size) do not change the prefix.
        for (int tag = 0; tag < 256; ++tag) {
            Bytes frame(32, 0);
            frame[0] = static_cast<uint8_t>(tag);
            const auto length = ClearPrefix::length(MediaCodec::Vp8, frame);
            QVERIFY(length.ok());
            QCOMPARE(*length, (tag & 1) ? size_t(3) : size_t(10));
        }
    }
};

QTEST_GUILESS_MAIN(TestClearPrefix)
#include "tst_clearprefix.moc"
