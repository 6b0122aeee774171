// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/Envelope.h"
#include "protocol/SequenceTracker.h"

#include <QCborArray>
#include <QCborMap>
#include <QtTest>

using namespace conclave;
using namespace conclave::protocol;

namespace {

const QByteArray kMeeting = QByteArray::fromHex("00112233445566778899aabbccddeeff");

QByteArray sampleBody()
{
    QCborMap body;
    body.insert(QStringLiteral("name"), QStringLiteral("Jo Bloggs"));
    return QCborValue(body).toCbor();
}

/// The canonical map of an envelope, to be altered by a test.
QCborMap mapOf(const Envelope& e)
{
    return QCborValue::fromCbor(e.encode()).toMap();
}

} // namespace

class TestEnvelope : public QObject {
    Q_OBJECT

    const crypto::Ed25519SigningKey m_key = crypto::Ed25519SigningKey::generate();

private slots:
    void roundTripsAndVerifies()
    {
        const Envelope e = Envelope::sign(MessageType::Knock, kMeeting, 7, sampleBody(), m_key);
        QVERIFY(e.verify());
        auto decoded = Envelope::decode(e.encode());
        QVERIFY2(decoded.ok(), decoded.ok() ? "" : decoded.error().message.c_str());
        QVERIFY(decoded->type == MessageType::Knock);
        QCOMPARE(decoded->meetingId, kMeeting);
        QVERIFY(decoded->sender == m_key.publicKey());
        QCOMPARE(decoded->seq, uint64_t{7});
        QCOMPARE(decoded->body, sampleBody());
        QVERIFY(decoded->verify());
        QCOMPARE(decoded->encode(), e.encode());
    }

    void everyFieldIsCoveredBySignature()
    {
        const Envelope good = Envelope::sign(MessageType::Commit, kMeeting, 3, sampleBody(), m_key);
        Envelope e = good;
        e.type = MessageType::Chat;
        QVERIFY(!e.verify());
        e = good;
        e.meetingId[0] = char(e.meetingId[0] ^ 1);
        QVERIFY(!e.verify());
        e = good;
        e.seq = 4;
        QVERIFY(!e.verify());
        e = good;
        e.body.append('\0');
        QVERIFY(!e.verify());
        e = good;
        e.sender = crypto::Ed25519SigningKey::generate().publicKey();
        QVERIFY(!e.verify()); // claiming someone else's identity
        e = good;
        e.signature[5] = char(e.signature[5] ^ 0x10);
        QVERIFY(!e.verify());
    }

    void anyFlippedByteIsRefusedOrFailsVerification()
    {
        const QByteArray wire =
            Envelope::sign(MessageType::Chat, kMeeting, 9, sampleBody(), m_key).encode();
        for (qsizetype i = 0; i < wire.size(); ++i) {
            QByteArray bad = wire;
            bad[i] = char(bad[i] ^ 0x01);
            auto decoded = Envelope::decode(bad);
            QVERIFY2(!decoded.ok() || !decoded->verify(), qPrintable(QString("byte %1").arg(i)));
        }
    }

    void refusesNonCanonicalAndMalformedInput_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QString>("code");
        const Envelope e = Envelope::sign(MessageType::Knock, kMeeting, 1, sampleBody(), m_key);
        const QByteArray wire = e.encode();
        QTest::newRow("trailing byte") << wire + QByteArray(1, '\0') << "protocol.non_canonical";
        QTest::newRow("truncated") << wire.left(wire.size() - 1) << "protocol.malformed";
        QTest::newRow("not a map") << QCborValue(QCborArray{1, 2}).toCbor() << "protocol.malformed";
        QTest::newRow("empty") << QByteArray() << "protocol.malformed";
        QTest::newRow("oversized")
            << QByteArray(Envelope::kMaxEnvelopeBytes + 1, 'x') << "protocol.too_large";

        // Indefinite-length map: the same content, another encoding.
        QByteArray indefinite = wire;
        indefinite[0] = char(0xbf);
        indefinite.append(char(0xff));
        QTest::newRow("indefinite length") << indefinite << "protocol.non_canonical";

        QCborMap reordered = mapOf(e);
        const QCborValue v = reordered.take(QStringLiteral("v"));
        reordered.insert(QStringLiteral("v"), v);
        QTest::newRow("fields out of order")
            << QCborValue(reordered).toCbor() << "protocol.invalid";

        QCborMap extra = mapOf(e);
        extra.insert(QStringLiteral("hop"), 1);
        QTest::newRow("unknown field") << QCborValue(extra).toCbor() << "protocol.invalid";

        QCborMap version = mapOf(e);
        version[QStringLiteral("v")] = 2;
        QTest::newRow("version 2") << QCborValue(version).toCbor() << "protocol.version";

        QCborMap type = mapOf(e);
        type[QStringLiteral("type")] = QStringLiteral("teleport");
        QTest::newRow("unknown type") << QCborValue(type).toCbor() << "protocol.invalid";

        QCborMap shortMeeting = mapOf(e);
        shortMeeting[QStringLiteral("meeting")] = QByteArray(8, 'm');
        QTest::newRow("short meeting id")
            << QCborValue(shortMeeting).toCbor() << "protocol.invalid";

        QCborMap negative = mapOf(e);
        negative[QStringLiteral("seq")] = -1;
        QTest::newRow("negative seq") << QCborValue(negative).toCbor() << "protocol.invalid";

        QCborMap textBody = mapOf(e);
        textBody[QStringLiteral("body")] = QStringLiteral("hello");
        QTest::newRow("body not bytes") << QCborValue(textBody).toCbor() << "protocol.invalid";
    }

    void refusesNonCanonicalAndMalformedInput()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QString, code);
        auto decoded = Envelope::decode(wire);
        QVERIFY(!decoded.ok());
        QCOMPARE(QString::fromStdString(decoded.error().code), code);
        QVERIFY(!decoded.error().message.empty());
    }

    void refusesDuplicateKeys()
    {
        // {"v":1,"v":1}: Qt keeps both entries; the decoder must not.
        auto decoded = Envelope::decode(QByteArray::fromHex("a2617601617601"));
        QVERIFY(!decoded.ok());
        QVERIFY(decoded.error().message.find("twice") != std::string::npos);
    }

    void sequenceTrackerRefusesReplayAndReorder()
    {
        SequenceTracker tracker;
        const auto at = [&](uint64_t seq, const crypto::Ed25519SigningKey& key) {
            return Envelope::sign(MessageType::Chat, kMeeting, seq, {}, key);
        };
        QVERIFY(tracker.accept(at(1, m_key)).ok());
        QVERIFY(tracker.accept(at(2, m_key)).ok());
        QCOMPARE(tracker.accept(at(2, m_key)).error().code, std::string("protocol.replay"));
        QVERIFY(tracker.accept(at(5, m_key)).ok()); // gaps are fine (lost messages)
        QCOMPARE(tracker.accept(at(4, m_key)).error().code, std::string("protocol.replay"));
        QCOMPARE(tracker.lastSeen(kMeeting, m_key.publicKey(), SequenceStream::Everyone),
                 uint64_t{5});
        const auto other = crypto::Ed25519SigningKey::generate();
        QVERIFY(tracker.accept(at(1, other)).ok()); // senders are independent
        QCOMPARE(tracker.accept(at(0, crypto::Ed25519SigningKey::generate())).error().code,
                 std::string("protocol.replay"));
    }

    void messagesToEveryoneAndToOneAreNumberedApart()
    {
        // A sender numbers what goes to every member and what goes to one (media set-up) in
        // two sequences, so each is checked on its own: a directed message numbered below the
        // last broadcast is no replay, a replay within either sequence still is, and the type
        // (signed) decides the sequence, so a relay cannot move a message across to replay it.
        SequenceTracker tracker;
        const auto as = [&](MessageType type, uint64_t seq) {
            return Envelope::sign(type, kMeeting, seq, {}, m_key);
        };
        QCOMPARE(sequenceStreamOf(MessageType::Signal), SequenceStream::Directed);
        QCOMPARE(sequenceStreamOf(MessageType::Control), SequenceStream::Everyone);
        QVERIFY(tracker.accept(as(MessageType::Control, 10)).ok());
        QVERIFY(tracker.accept(as(MessageType::Signal, 3)).ok());
        QVERIFY(tracker.accept(as(MessageType::Control, 11)).ok());
        QVERIFY(tracker.accept(as(MessageType::Signal, 4)).ok());
        QCOMPARE(tracker.accept(as(MessageType::Signal, 4)).error().code,
                 std::string("protocol.replay"));
        QCOMPARE(tracker.accept(as(MessageType::Chat, 11)).error().code,
                 std::string("protocol.replay"));
        QCOMPARE(tracker.lastSeen(kMeeting, m_key.publicKey(), SequenceStream::Everyone),
                 uint64_t{11});
        QCOMPARE(tracker.lastSeen(kMeeting, m_key.publicKey(), SequenceStream::Directed),
                 uint64_t{4});
    }
};

QTEST_GUILESS_MAIN(TestEnvelope)
#include "tst_envelope.moc"
