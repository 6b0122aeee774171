// SPDX-License-Identifier: GPL-3.0-or-later
// What a stranger or a hostile member can make the protocol layer hold or do: crafted CBOR is
// refused by its shape before it is decoded, and the replay record stays bounded however many
// identities knock.
#include "protocol/CborPreScan.h"
#include "protocol/CborReader.h"
#include "protocol/Envelope.h"
#include "protocol/SequenceTracker.h"

#include <QCborMap>
#include <QtTest>

using namespace conclave;
using namespace conclave::protocol;

namespace {

const QByteArray kMeeting = QByteArray::fromHex("00112233445566778899aabbccddeeff");

QByteArray mapHead(const char* key)
{
    QByteArray out;
    out.append(char(0xa1)).append(char(0x60 + int(strlen(key)))).append(key);
    return out;
}

/// {"a": [1, 1, ...]}: valid, canonical CBOR of `items` tiny items.
QByteArray manyItems(int items)
{
    QByteArray out = mapHead("a");
    out.append(char(0x9a));
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char((items >> shift) & 0xff));
    out.append(QByteArray(items, char(0x01)));
    return out;
}

/// {"a": [[[ ... 1 ... ]]]} nested `depth` deep.
QByteArray deepNesting(int depth)
{
    return mapHead("a") + QByteArray(depth, char(0x81)) + QByteArray(1, char(0x01));
}

/// {"a": {"k0": 0, "k1": 1, ...}} with `pairs` entries.
QByteArray wideMap(int pairs)
{
    QCborMap inner;
    for (int i = 0; i < pairs; ++i)
        inner.insert(QStringLiteral("k%1").arg(i), i);
    QCborMap outer;
    outer.insert(QStringLiteral("a"), inner);
    return QCborValue(outer).toCbor();
}

} // namespace

class TestAbusiveCbor : public QObject {
    Q_OBJECT

private slots:
    void craftedShapesAreRefusedBeforeDecoding_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("code");
        QTest::newRow("200k items") << manyItems(200000) << QStringLiteral("protocol.too_complex");
        QTest::newRow("2k items") << manyItems(2000) << QStringLiteral("protocol.too_complex");
        QTest::newRow("100k deep") << deepNesting(100000) << QStringLiteral("protocol.too_complex");
        QTest::newRow("9 deep") << deepNesting(9) << QStringLiteral("protocol.too_complex");
        QTest::newRow("wide map") << wideMap(600) << QStringLiteral("protocol.too_complex");
        // A count the bytes cannot hold is refused without looking further.
        QByteArray lying = mapHead("a");
        lying.append(char(0x9b)).append(QByteArray(4, char(0x7f))).append(QByteArray(4, 0));
        QTest::newRow("count beyond the bytes") << lying << QStringLiteral("protocol.malformed");
        QByteArray longString = mapHead("a");
        longString.append(char(0x5a)).append(QByteArray::fromHex("00100000")).append("short");
        QTest::newRow("length beyond the bytes")
            << longString << QStringLiteral("protocol.malformed");
        QByteArray indefinite = mapHead("a");
        indefinite.append(char(0x9f)).append(char(0x01)).append(char(0xff));
        QTest::newRow("indefinite") << indefinite << QStringLiteral("protocol.non_canonical");
    }

    void craftedShapesAreRefusedBeforeDecoding()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, code);
        // The pre-scan alone gives the verdict ...
        const auto scan = preScanCbor(bytes, "the message");
        QVERIFY(!scan);
        QCOMPARE(QString::fromStdString(scan.error().code), code);
        // ... and decoding reports exactly that: it never got as far as building values.
        const auto decoded = decodeCanonicalMap(bytes, Envelope::kMaxEnvelopeBytes, "the message");
        QVERIFY(!decoded);
        QCOMPARE(QString::fromStdString(decoded.error().code), code);
        const auto envelope = Envelope::decode(bytes);
        QVERIFY(!envelope);
        QCOMPARE(QString::fromStdString(envelope.error().code), code);
    }

    void honestMessagesPass()
    {
        const auto key = crypto::Ed25519SigningKey::generate();
        QCborMap body;
        body.insert(QStringLiteral("name"), QStringLiteral("Jo Bloggs"));
        const Envelope e =
            Envelope::sign(MessageType::Chat, kMeeting, 7, QCborValue(body).toCbor(), key);
        QVERIFY(preScanCbor(e.encode(), "the message").ok());
        QVERIFY(Envelope::decode(e.encode()).ok());
        QVERIFY(preScanCbor(deepNesting(7), "x").ok());
        QVERIFY(preScanCbor(wideMap(100), "x").ok());
    }

    void cyclingKnockersLeaveTheReplayRecordBounded()
    {
        SequenceTracker tracker;
        const auto member = crypto::Ed25519SigningKey::generate();
        const auto chair = crypto::Ed25519SigningKey::generate();
        QVERIFY(tracker.accept(Envelope::sign(MessageType::Knock, kMeeting, 1, {}, member)).ok());
        QVERIFY(tracker.accept(Envelope::sign(MessageType::Ack, kMeeting, 2, {}, member)).ok());
        QVERIFY(tracker.accept(Envelope::sign(MessageType::Create, kMeeting, 1, {}, chair)).ok());
        // Signing is not what is tested: one envelope, its sender swapped.
        Envelope knock = Envelope::sign(MessageType::Knock, kMeeting, 1, {},
                                        crypto::Ed25519SigningKey::generate());
        for (uint32_t i = 0; i < uint32_t(SequenceTracker::kMaxSenders) + 1000; ++i) {
            std::memcpy(knock.sender.bytes.data(), &i, sizeof i);
            knock.sender.bytes[31] = 0x5a;
            QVERIFY2(tracker.accept(knock).ok(), "a knock from a new identity was refused");
            QVERIFY(tracker.size() <= SequenceTracker::kMaxProvisional + 2);
        }
        // Members are never forgotten for a stranger's sake: their replays are still refused.
        QCOMPARE(
            tracker.accept(Envelope::sign(MessageType::Ack, kMeeting, 2, {}, member)).error().code,
            std::string("protocol.replay"));
        QCOMPARE(tracker.accept(Envelope::sign(MessageType::Create, kMeeting, 1, {}, chair))
                     .error()
                     .code,
                 std::string("protocol.replay"));
        // A member who left is remembered like a knocker from then on.
        const QByteArray memberKey(reinterpret_cast<const char*>(member.publicKey().bytes.data()),
                                   32);
        tracker.release(kMeeting, memberKey);
        QCOMPARE(tracker.provisionalCount(), SequenceTracker::kMaxProvisional);
    }
};

QTEST_GUILESS_MAIN(TestAbusiveCbor)
#include "tst_abusivecbor.moc"
