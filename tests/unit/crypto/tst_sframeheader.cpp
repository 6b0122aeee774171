// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SframeHeader.h"

#include "TestPaths.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QtTest>

#include <set>

#include <random>

using namespace conclave::crypto;

namespace {

struct Vector {
    uint64_t kid = 0;
    uint64_t ctr = 0;
    Bytes encoded;
};

QString vectorsPath()
{
    return conclave::testsupport::testDataDir() + "/sframe/rfc9605-vectors.json";
}

/// The `header` vectors. QJsonDocument reads numbers as doubles, which cannot hold the 64-bit
/// KIDs and counters, so the fields are read from the text; the object count is checked
/// against the parsed JSON so that no vector is silently skipped.
std::vector<Vector> loadHeaderVectors(const QByteArray& text)
{
    std::vector<Vector> out;
    const int start = text.indexOf("\"header\"");
    const int end = text.indexOf(']', start);
    if (start < 0 || end < 0)
        return out;
    const QString section = QString::fromLatin1(text.mid(start, end - start));
    static const QRegularExpression object(QStringLiteral("\\{[^{}]*\\}"));
    static const QRegularExpression kid(QStringLiteral("\"kid\"\\s*:\\s*(\\d+)"));
    static const QRegularExpression ctr(QStringLiteral("\"ctr\"\\s*:\\s*(\\d+)"));
    static const QRegularExpression encoded(
        QStringLiteral("\"encoded\"\\s*:\\s*\"([0-9a-fA-F]*)\""));
    for (const auto& match : object.globalMatch(section)) {
        const QString body = match.captured(0);
        const auto k = kid.match(body);
        const auto c = ctr.match(body);
        const auto e = encoded.match(body);
        if (!k.hasMatch() || !c.hasMatch() || !e.hasMatch())
            return {};
        bool okK = false;
        bool okC = false;
        Vector v;
        v.kid = k.captured(1).toULongLong(&okK);
        v.ctr = c.captured(1).toULongLong(&okC);
        const auto bytes = fromHex(e.captured(1).toStdString());
        if (!okK || !okC || !bytes)
            return {};
        v.encoded = *bytes;
        out.push_back(v);
    }
    return out;
}

Bytes cat(Bytes a, const Bytes& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

} // namespace

class TestSframeHeader : public QObject {
    Q_OBJECT

private slots:
    void rfcVectors()
    {
        const QString path = vectorsPath();
        QVERIFY2(QFile::exists(path), qPrintable("RFC 9605 vectors missing: " + path));
        const QByteArray text = conclave::testsupport::readFile(path);
        const auto json = QJsonDocument::fromJson(text).object();
        const std::vector<Vector> vectors = loadHeaderVectors(text);
        QCOMPARE(qsizetype(vectors.size()), json.value("header").toArray().size());
        QCOMPARE(vectors.size(), size_t(23)); // tests/data/README.md: what is quoted and why
        // Both fields take every form among them: short (under 8), and 1 to 8 bytes long.
        const auto form = [](uint64_t value) {
            int bytes = 0;
            for (uint64_t rest = value; value >= 8 && rest > 0; rest >>= 8)
                ++bytes;
            return bytes;
        };
        std::set<int> kidForms;
        std::set<int> ctrForms;
        for (const Vector& v : vectors) {
            kidForms.insert(form(v.kid));
            ctrForms.insert(form(v.ctr));
        }
        QCOMPARE(kidForms, (std::set<int>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
        QCOMPARE(ctrForms, kidForms);

        for (const Vector& v : vectors) {
            const QByteArray where = QByteArray::fromStdString("kid " + std::to_string(v.kid) +
                                                               " ctr " + std::to_string(v.ctr));
            QVERIFY2(SframeHeader::encode(v.kid, v.ctr) == v.encoded, where.constData());
            QCOMPARE(SframeHeader::encodedSize(v.kid, v.ctr), v.encoded.size());

            // Bytes after the header (the ciphertext) are not part of it.
            const auto decoded = SframeHeader::decode(cat(v.encoded, {0xde, 0xad, 0xbe, 0xef}));
            QVERIFY2(decoded.ok(), where.constData());
            QCOMPARE(decoded->kid, v.kid);
            QCOMPARE(decoded->counter, v.ctr);
            QCOMPARE(decoded->size, v.encoded.size());

            for (size_t n = 0; n < v.encoded.size(); ++n) {
                const auto cut = SframeHeader::decode(ByteView(v.encoded).first(n));
                QVERIFY2(!cut.ok(), where.constData());
                QCOMPARE(cut.error().code, std::string("sframe.header_truncated"));
            }
        }
    }

    void nonMinimalRefused_data()
    {
        QTest::addColumn<QString>("hex");
        QTest::addColumn<QString>("field");
        // KID 5 written as an extended one-byte value instead of in K.
        QTest::newRow("kid < 8 extended") << "8005"
                                          << "key id";
        QTest::newRow("kid 0 extended") << "8000"
                                        << "key id";
        QTest::newRow("kid leading zero") << "9000ff"
                                          << "key id";
        QTest::newRow("kid 8 bytes, leading zero") << "f000ffffffffffffff"
                                                   << "key id";
        QTest::newRow("ctr < 8 extended") << "0807"
                                          << "counter";
        QTest::newRow("ctr leading zero") << "090010"
                                          << "counter";
        QTest::newRow("ctr 8 bytes, leading zero") << "0f0001020304050607"
                                                   << "counter";
        QTest::newRow("both, kid first") << "880107"
                                         << "key id";
        QTest::newRow("ctr after valid kid") << "89080001"
                                             << "counter";
    }

    void nonMinimalRefused()
    {
        QFETCH(QString, hex);
        QFETCH(QString, field);
        const auto bytes = fromHex(hex.toStdString());
        QVERIFY(bytes);
        const auto decoded = SframeHeader::decode(*bytes);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().code, std::string("sframe.header_non_minimal"));
        QVERIFY(QString::fromStdString(decoded.error().message).contains(field));
    }

    void everyConfigByte()
    {
        // With enough following bytes every config byte decodes, unless a value is not
        // minimal; what decodes re-encodes to exactly the bytes read.
        for (int config = 0; config < 256; ++config) {
            for (uint8_t fill : {uint8_t(0x00), uint8_t(0x01), uint8_t(0xab)}) {
                Bytes input{static_cast<uint8_t>(config)};
                input.insert(input.end(), 16, fill);
                const auto decoded = SframeHeader::decode(input);
                const bool kidExtended = (config & 0x80) != 0;
                const bool ctrExtended = (config & 0x08) != 0;
                // fill 0x00 makes every extended field non-minimal; 0x01 only one-byte fields
                // (values 1) and multi-byte ones with a leading 0x01 are fine.
                const auto minimal = [&](bool extended, int lengthBits) {
                    if (!extended)
                        return true;
                    if (fill == 0x00)
                        return false;
                    return !(fill == 0x01 && lengthBits == 0);
                };
                const bool expectOk =
                    minimal(kidExtended, (config >> 4) & 7) && minimal(ctrExtended, config & 7);
                QVERIFY2(decoded.ok() == expectOk, qPrintable(QString::number(config)));
                if (!decoded.ok()) {
                    QCOMPARE(decoded.error().code, std::string("sframe.header_non_minimal"));
                    continue;
                }
                const size_t expectedSize = 1 + (kidExtended ? ((config >> 4) & 7) + 1 : 0) +
                                            (ctrExtended ? (config & 7) + 1 : 0);
                QCOMPARE(decoded->size, expectedSize);
                const Bytes again = SframeHeader::encode(decoded->kid, decoded->counter);
                QVERIFY(again == Bytes(input.begin(), input.begin() + long(decoded->size)));
            }
        }
    }

    void truncatedRefused_data()
    {
        QTest::addColumn<QString>("hex");
        QTest::newRow("empty") << "";
        QTest::newRow("kid needs 1 byte") << "80";
        QTest::newRow("kid needs 2 bytes, has 1") << "9001";
        QTest::newRow("kid needs 8 bytes, has 7") << "f0ffffffffffffff";
        QTest::newRow("ctr needs 1 byte") << "08";
        QTest::newRow("ctr needs 8 bytes, has 7") << "0fffffffffffffff";
        QTest::newRow("kid complete, ctr missing") << "990123";
    }

    void truncatedRefused()
    {
        QFETCH(QString, hex);
        const auto bytes = fromHex(hex.toStdString());
        QVERIFY(bytes);
        const auto decoded = SframeHeader::decode(*bytes);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().code, std::string("sframe.header_truncated"));
    }

    void randomRoundTrip()
    {
        std::mt19937_64 random(9605);
        uint8_t buffer[SframeHeader::kMaxSize];
        for (int i = 0; i < 100000; ++i) {
            // Values of every byte length, including 0..7 and the extremes.
            const uint64_t kid = random() >> (random() % 64);
            const uint64_t ctr = random() >> (random() % 64);
            const size_t size = SframeHeader::encodeInto(kid, ctr, buffer);
            QCOMPARE(size, SframeHeader::encodedSize(kid, ctr));
            QVERIFY(size <= SframeHeader::kMaxSize);
            const auto decoded = SframeHeader::decode(ByteView(buffer, size));
            QVERIFY(decoded.ok());
            QCOMPARE(decoded->kid, kid);
            QCOMPARE(decoded->counter, ctr);
            QCOMPARE(decoded->size, size);
        }
    }
};

QTEST_GUILESS_MAIN(TestSframeHeader)
#include "tst_sframeheader.moc"
