// SPDX-License-Identifier: GPL-3.0-or-later
// Known answers and tamper cases for the libsodium wrappers the foundation uses.
#include "crypto/Blake2b.h"
#include "crypto/Bytes.h"
#include "crypto/Ed25519.h"
#include "crypto/Fingerprint.h"
#include "crypto/PasswordKdf.h"
#include "crypto/SecretBox.h"
#include "crypto/SecureBuffer.h"

#include <QRegularExpression>
#include <QtTest>

using namespace conclave::crypto;

class TestCryptoBasics : public QObject {
    Q_OBJECT

private slots:
    void blake2bKnownAnswer()
    {
        // RFC 7693 Appendix A: BLAKE2b-512("abc").
        QCOMPARE(toHex(Blake2b::hash(asBytes("abc"), 64)),
                 std::string("ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                             "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"));
        // Field framing keeps ("ab","c") and ("a","bc") apart.
        const Bytes a = Blake2b().updateField(asBytes("ab")).updateField(asBytes("c")).finish();
        const Bytes b = Blake2b().updateField(asBytes("a")).updateField(asBytes("bc")).finish();
        QVERIFY(a != b);
    }

    void ed25519KnownAnswer()
    {
        // RFC 8032 §7.1 TEST 1: empty message.
        const Bytes seed =
            *fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        const Bytes pub =
            *fromHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        Bytes secret = seed;
        secret.insert(secret.end(), pub.begin(), pub.end());
        auto key = Ed25519SigningKey::fromSecret(secret);
        QVERIFY(key.ok());
        QCOMPARE(toHex(key->sign({})),
                 std::string("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                             "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
        QVERIFY(verifyEd25519(key->publicKey(), {}, key->sign({})));
    }

    void ed25519RejectsTampering()
    {
        const auto key = Ed25519SigningKey::generate();
        Bytes message = {1, 2, 3, 4};
        Bytes signature = key.sign(message);
        QVERIFY(verifyEd25519(key.publicKey(), message, signature));
        message[2] ^= 1;
        QVERIFY(!verifyEd25519(key.publicKey(), message, signature));
        message[2] ^= 1;
        signature[10] ^= 0x80;
        QVERIFY(!verifyEd25519(key.publicKey(), message, signature));
        QVERIFY(!verifyEd25519(key.publicKey(), message, Bytes(10)));
        QVERIFY(!Ed25519PublicKey::fromBytes(Bytes(31)).ok());
    }

    void secretBoxOpensOnlyUnchanged()
    {
        const auto key = SecureBuffer::random(SecretBox::kKeySize);
        Bytes sealed = SecretBox::seal(key, asBytes("identity secret"));
        auto opened = SecretBox::open(key, sealed);
        QVERIFY(opened.ok());
        QCOMPARE(std::string(reinterpret_cast<const char*>(opened->data()), opened->size()),
                 std::string("identity secret"));
        sealed.back() ^= 1;
        QCOMPARE(SecretBox::open(key, sealed).error().code, std::string("crypto.unseal_failed"));
        QVERIFY(
            !SecretBox::open(SecureBuffer::random(32), SecretBox::seal(key, asBytes("x"))).ok());
        QCOMPARE(SecretBox::open(key, Bytes(5)).error().code,
                 std::string("crypto.sealed_too_short"));
    }

    void argon2IsDeterministicPerSalt()
    {
        const Bytes salt(kArgon2SaltSize, 7);
        const auto params = Argon2Params::minimumForTests();
        auto a = deriveKeyFromPassphrase("correct horse", salt, params);
        auto b = deriveKeyFromPassphrase("correct horse", salt, params);
        auto c = deriveKeyFromPassphrase("correct horsf", salt, params);
        QVERIFY(a.ok() && b.ok() && c.ok());
        QVERIFY(equalConstantTime(a->view(), b->view()));
        QVERIFY(!equalConstantTime(a->view(), c->view()));
        QVERIFY(!deriveKeyFromPassphrase("x", Bytes(3), params).ok());
    }

    void encodingsRoundTripAndRefuseGarbage()
    {
        const Bytes data = {0, 1, 0xfe, 0xff, 0x80};
        QCOMPARE(*fromHex(toHex(data)), data);
        QCOMPARE(*fromBase64(toBase64(data)), data);
        QCOMPARE(toHex({}), std::string());
        QCOMPARE(*fromHex(""), Bytes{});
        QCOMPARE(toBase64({}), std::string());
        QCOMPARE(*fromBase64(""), Bytes{});
        QVERIFY(!fromHex("abc").has_value());
        QVERIFY(!fromHex("zz").has_value());
        QVERIFY(!fromBase64("not base64!").has_value());
        QCOMPARE(toBase64(asBytes("foobar")), std::string("Zm9vYmFy")); // RFC 4648 §10
    }

    void secureBufferMovesOwnership()
    {
        SecureBuffer a = SecureBuffer::copyOf(asBytes("secret"));
        const uint8_t* where = a.data();
        SecureBuffer b = std::move(a);
        QCOMPARE(b.data(), where);
        QVERIFY(a.empty()); // NOLINT(bugprone-use-after-move): moved-from state is specified
        QCOMPARE(b.size(), size_t{6});
    }

    void fingerprintsAreGroupedDigits()
    {
        const auto key = Ed25519SigningKey::generate();
        const QString fp = QString::fromStdString(publicKeyFingerprint(key.publicKey().view()));
        QVERIFY2(QRegularExpression(QStringLiteral("^(\\d{5} ){5}\\d{5}$")).match(fp).hasMatch(),
                 qPrintable(fp));
        QCOMPARE(publicKeyFingerprint(key.publicKey().view()), fp.toStdString());
        QCOMPARE(publicKeyId(key.publicKey().view()).size(), size_t{16});
        const auto other = Ed25519SigningKey::generate();
        QVERIFY(publicKeyFingerprint(other.publicKey().view()) != fp.toStdString());
    }
};

QTEST_GUILESS_MAIN(TestCryptoBasics)
#include "tst_cryptobasics.moc"
