// SPDX-License-Identifier: GPL-3.0-or-later
#include "PolicyFixture.h"
#include "common/Iso8601.h"
#include "crypto/Fingerprint.h"
#include "policy/AuthorityKeyText.h"
#include "policy/PolicyVerifier.h"

#include <QDir>
#include <QFile>
#include <QtTest>

using namespace conclave;
using namespace conclave::policy;
using testsupport::PolicyFixture;

namespace {

std::string_view view(const QByteArray& b)
{
    return {b.constData(), static_cast<size_t>(b.size())};
}

TimePoint at(const char* utc)
{
    return parseUtcTimestamp(utc).value();
}

} // namespace

class TestPolicyVerifier : public QObject {
    Q_OBJECT

    PolicyFixture m_authority;
    FixedClock m_clock{at("2026-11-27T12:00:00Z")};
    QByteArray m_bytes = PolicyFixture::toBytes(PolicyFixture::validPolicy());

    Result<VerifiedPolicy> verify(const QByteArray& bytes, const QByteArray& signature,
                                  const HighestSerials& highest = {})
    {
        auto anchors = TrustAnchors::loadDirectory(m_authority.anchorsDir().toStdString());
        if (!anchors)
            return anchors.error();
        return PolicyVerifier(*anchors, m_clock).verify(view(bytes), view(signature), highest);
    }

    void expectError(const Result<VerifiedPolicy>& r, const char* code, const char* mentions)
    {
        QVERIFY2(!r.ok(), "the policy was accepted");
        QCOMPARE(r.error().code, std::string(code));
        QVERIFY2(r.error().message.find(mentions) != std::string::npos, r.error().message.c_str());
    }

private slots:
    void acceptsAPolicySignedByATrustAnchor()
    {
        auto r = verify(m_bytes, m_authority.signatureFor(m_bytes));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        QCOMPARE(r->document.serial, uint64_t{7});
        QCOMPARE(r->signerKeyId, crypto::publicKeyId(m_authority.key().publicKey().view()));
        QCOMPARE(r->sha256Hex.size(), size_t{64});
    }

    void refusesAnyChangedByte()
    {
        const QByteArray signature = m_authority.signatureFor(m_bytes);
        // Change one character inside the issuer string: still valid JSON, different bytes.
        QByteArray changed = m_bytes;
        const auto index = changed.indexOf("Testing");
        QVERIFY(index > 0);
        changed[index] = 'R';
        expectError(verify(changed, signature), "policy.signature_invalid", "changed");
        // Even a change that means nothing to JSON (whitespace) is a different document.
        expectError(verify(m_bytes + "\n", signature), "policy.signature_invalid", "changed");
    }

    void refusesAnUnknownSigner()
    {
        const auto stranger = crypto::Ed25519SigningKey::generate();
        expectError(verify(m_bytes, m_authority.signatureFor(m_bytes, &stranger)),
                    "policy.unknown_signer",
                    crypto::publicKeyId(stranger.publicKey().view()).c_str());
    }

    void refusesAForgedSignatureUnderAKnownKeyId()
    {
        // The key id names the real authority but the signature is someone else's.
        const auto stranger = crypto::Ed25519SigningKey::generate();
        auto sig = authority_text::signPolicy(stranger, view(m_bytes));
        sig.keyId = crypto::publicKeyId(m_authority.key().publicKey().view());
        expectError(
            verify(m_bytes, QByteArray::fromStdString(authority_text::encodeSignature(sig))),
            "policy.signature_invalid", "changed");
    }

    void refusesAMalformedSignatureFile()
    {
        expectError(verify(m_bytes, "not a signature"), "policy.signature_malformed",
                    "conclave-policy sign");
        expectError(verify(m_bytes, ""), "policy.signature_malformed", "conclave-policy sign");
    }

    void refusesOutsideTheValidityWindow()
    {
        const QByteArray signature = m_authority.signatureFor(m_bytes);
        m_clock.set(at("2099-01-01T00:00:00Z"));
        expectError(verify(m_bytes, signature), "policy.expired", "2099-01-01T00:00:00Z");
        m_clock.set(at("2024-12-31T23:59:59Z"));
        expectError(verify(m_bytes, signature), "policy.not_yet_valid", "2025-01-01T00:00:00Z");
        m_clock.set(at("2025-01-01T00:00:00Z"));
        QVERIFY(verify(m_bytes, signature).ok());
        m_clock.set(at("2026-11-27T12:00:00Z"));
    }

    void refusesRollbackToALowerSerial()
    {
        const QByteArray signature = m_authority.signatureFor(m_bytes);
        const std::string id = crypto::publicKeyId(m_authority.key().publicKey().view());
        expectError(verify(m_bytes, signature, {{id, 8}}), "policy.rollback", "serial 8");
        QVERIFY(verify(m_bytes, signature, {{id, 7}}).ok()); // the same policy again is fine
        QVERIFY(verify(m_bytes, signature, {{id, 6}}).ok());
    }

    void anotherAuthoritysSerialIsNoFloor()
    {
        // A self-made authority (briefly trusted on this machine) signed serial 2^62; that
        // number says nothing about the organisation's serials and must not lock them out.
        const QByteArray signature = m_authority.signatureFor(m_bytes);
        const auto selfMade = crypto::Ed25519SigningKey::generate();
        const std::string selfMadeId = crypto::publicKeyId(selfMade.publicKey().view());
        auto r = verify(m_bytes, signature, {{selfMadeId, uint64_t(1) << 62}});
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        // ... while the organisation's own floor still holds beside it.
        const std::string id = crypto::publicKeyId(m_authority.key().publicKey().view());
        expectError(verify(m_bytes, signature, {{selfMadeId, 1}, {id, 9}}), "policy.rollback",
                    id.c_str());
    }

    void checksTheSignatureBeforeReadingTheContent()
    {
        const QByteArray garbage = "{ this is not json";
        expectError(verify(garbage, "conclave-policy-signature 0000000000000000 AAAA"),
                    "policy.signature_malformed", "signature");
        // Correctly signed but malformed: the authority made a mistake; say what it is.
        expectError(verify(garbage, m_authority.signatureFor(garbage)), "policy.malformed",
                    "not valid JSON");
        // The file's content is invalid input (exit 2); a signature nobody vouches for is a
        // refusal (exit 3): the category each error carries, not a list of codes.
        const auto malformed = verify(garbage, m_authority.signatureFor(garbage));
        QCOMPARE(malformed.error().category, ErrorCategory::InvalidInput);
        QVERIFY(PolicyVerifier::isInputError(malformed.error()));
        const auto unsigned_ = verify(garbage, "conclave-policy-signature 0000000000000000 AAAA");
        QCOMPARE(unsigned_.error().category, ErrorCategory::PolicyRefusal);
        QVERIFY(!PolicyVerifier::isInputError(unsigned_.error()));
        const std::string id = crypto::publicKeyId(m_authority.key().publicKey().view());
        const auto old = verify(m_bytes, m_authority.signatureFor(m_bytes), {{id, 99}});
        QCOMPARE(old.error().code, std::string("policy.rollback"));
        QCOMPARE(old.error().category, ErrorCategory::PolicyRefusal);
    }

    void refusesOversizedFilesFirst()
    {
        QByteArray big(int(1024 * 1024 + 1), ' ');
        expectError(verify(big, m_authority.signatureFor(big)), "policy.too_large", "1 MiB");
    }

    void trustAnchorDirectoryProblemsAreErrors()
    {
        auto missing = TrustAnchors::loadDirectory("/nonexistent/conclave/anchors");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().code, std::string("policy.no_anchors"));

        QTemporaryDir dir;
        QFile damaged(dir.path() + QStringLiteral("/broken.pub"));
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("conclave-ed25519-public AAAA\n");
        damaged.close();
        auto bad = TrustAnchors::loadDirectory(dir.path().toStdString());
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, std::string("policy.bad_anchor"));
        QVERIFY(bad.error().message.find("broken.pub") != std::string::npos);
    }

    void keyTextRoundTripsAndDetectsDamage()
    {
        const auto key = crypto::Ed25519SigningKey::generate();
        auto pub =
            authority_text::decodePublicKey(authority_text::encodePublicKey(key.publicKey()));
        QVERIFY(pub.ok());
        QVERIFY(*pub == key.publicKey());
        std::string secretText = authority_text::encodeSecretKey(key);
        auto secret = authority_text::decodeSecretKey(secretText);
        QVERIFY(secret.ok());
        QVERIFY(secret->publicKey() == key.publicKey());
        // Flip a character in the public half of the secret key text (the last base64 chars).
        secretText[secretText.size() - 6] = secretText[secretText.size() - 6] == 'A' ? 'B' : 'A';
        QVERIFY(!authority_text::decodeSecretKey(secretText).ok());
        QVERIFY(!authority_text::decodePublicKey("ssh-ed25519 AAAA").ok());
    }
};

QTEST_GUILESS_MAIN(TestPolicyVerifier)
#include "tst_policyverifier.moc"
