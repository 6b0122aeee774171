// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Hkdf.h"

#include <QtTest>

using namespace conclave::crypto;

namespace {

Bytes range(uint8_t from, uint8_t to)
{
    Bytes out;
    for (int b = from; b <= to; ++b)
        out.push_back(static_cast<uint8_t>(b));
    return out;
}

std::string hexOf(const SecureBuffer& b)
{
    return toHex(b.view());
}

} // namespace

class TestHkdf : public QObject {
    Q_OBJECT

private slots:
    void rfc5869Sha256_data()
    {
        QTest::addColumn<QByteArray>("ikm");
        QTest::addColumn<QByteArray>("salt");
        QTest::addColumn<QByteArray>("info");
        QTest::addColumn<int>("length");
        QTest::addColumn<QString>("prk");
        QTest::addColumn<QString>("okm");
        const auto qb = [](const Bytes& b) {
            return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()));
        };
        QTest::newRow("A.1 basic")
            << qb(Bytes(22, 0x0b)) << qb(range(0x00, 0x0c)) << qb(range(0xf0, 0xf9)) << 42
            << "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"
            << "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b88718586"
               "5";
        QTest::newRow("A.2 longer inputs")
            << qb(range(0x00, 0x4f)) << qb(range(0x60, 0xaf)) << qb(range(0xb0, 0xff)) << 82
            << "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244"
            << "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271c"
               "b41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87";
        QTest::newRow("A.3 empty salt and info")
            << qb(Bytes(22, 0x0b)) << QByteArray() << QByteArray() << 42
            << "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04"
            << "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c"
               "8";
    }

    void rfc5869Sha256()
    {
        QFETCH(QByteArray, ikm);
        QFETCH(QByteArray, salt);
        QFETCH(QByteArray, info);
        QFETCH(int, length);
        QFETCH(QString, prk);
        QFETCH(QString, okm);
        const auto view = [](const QByteArray& b) {
            return ByteView(reinterpret_cast<const uint8_t*>(b.constData()), size_t(b.size()));
        };
        const SecureBuffer key = hkdf::extract(HashAlgorithm::Sha256, view(salt), view(ikm));
        QCOMPARE(QString::fromStdString(hexOf(key)), prk);
        auto out = hkdf::expand(HashAlgorithm::Sha256, key.view(), view(info), size_t(length));
        QVERIFY(out.ok());
        QCOMPARE(QString::fromStdString(hexOf(*out)), okm);
    }

    void sha512MatchesAnIndependentImplementation()
    {
        // Computed with Python's hmac/hashlib (RFC 5869 has no SHA-512 vectors); the RFC 9605
        // suite 5 vectors in tst_sframe exercise HKDF-SHA-512 as well.
        const SecureBuffer prk =
            hkdf::extract(HashAlgorithm::Sha512, range(0x60, 0x6f), range(0x00, 0x2f));
        QCOMPARE(hexOf(prk),
                 std::string("322f6655b5df2be6eee428af6ff110c0be76d4e72a8911fd934b5bbca096627e"
                             "70d382c42181ba522a6629c155861c93ff885b35206ef5617be56e1bb3c0959b"));
        auto okm = hkdf::expand(HashAlgorithm::Sha512, prk.view(),
                                asBytes("conclave hkdf sha512 check"), 100);
        QVERIFY(okm.ok());
        QCOMPARE(hexOf(*okm),
                 std::string("071bd57731bb7a2e25965cf96108033bf2db127618f7728a39da0258402d250e"
                             "d9797e18503f4274cd381948cfb6f4e9d2f503b4e0bb8b6ca7ffad502789042580"
                             "e557af0981e924a9a47fc62a9594db7ee7aa5857610093281a982871c726ae0318"
                             "16b0"));
        const SecureBuffer emptySalt = hkdf::extract(HashAlgorithm::Sha512, {}, Bytes(22, 0x0b));
        QCOMPARE(hexOf(emptySalt),
                 std::string("fd200c4987ac491313bd4a2a13287121247239e11c9ef82802044b66ef357e5b"
                             "194498d0682611382348572a7b1611de54764094286320578a863f36562b0df6"));
        auto short42 = hkdf::expand(HashAlgorithm::Sha512, emptySalt.view(), {}, 42);
        QCOMPARE(hexOf(*short42),
                 std::string("f5fa02b18298a72a8c23898a8703472c6eb179dc204c03425c970e3b164bf90f"
                             "ff22d04836d0e2343bac"));
    }

    void refusesImpossibleRequests()
    {
        const SecureBuffer prk = hkdf::extract(HashAlgorithm::Sha256, {}, Bytes(32, 1));
        QVERIFY(hkdf::expand(HashAlgorithm::Sha256, prk.view(), {}, 255 * 32).ok());
        QCOMPARE(hkdf::expand(HashAlgorithm::Sha256, prk.view(), {}, 255 * 32 + 1).error().code,
                 std::string("crypto.hkdf_length"));
        QCOMPARE(hkdf::expand(HashAlgorithm::Sha256, Bytes(16, 1), {}, 16).error().code,
                 std::string("crypto.hkdf_prk"));
    }
};

QTEST_GUILESS_MAIN(TestHkdf)
#include "tst_hkdf.moc"
