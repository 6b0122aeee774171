// SPDX-License-Identifier: GPL-3.0-or-later
#include "PolicyFixture.h"

#include "TestPaths.h"
#include "policy/AuthorityKeyText.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

namespace conclave::testsupport {

PolicyFixture::PolicyFixture() : m_key(crypto::Ed25519SigningKey::generate())
{
    QDir(m_dir.path()).mkpath(QStringLiteral("trust-anchors"));
    QFile anchor(anchorsDir() + QStringLiteral("/authority.pub"));
    if (anchor.open(QIODevice::WriteOnly))
        anchor.write(
            QByteArray::fromStdString(policy::authority_text::encodePublicKey(m_key.publicKey())));
}

QJsonObject PolicyFixture::validPolicy()
{
    return QJsonDocument::fromJson(
               readFile(testDataDir() + QStringLiteral("/policy/valid-policy.json")))
        .object();
}

QByteArray PolicyFixture::toBytes(const QJsonObject& policy)
{
    return QJsonDocument(policy).toJson(QJsonDocument::Indented);
}

QByteArray PolicyFixture::signatureFor(const QByteArray& bytes,
                                       const crypto::Ed25519SigningKey* signer) const
{
    const auto signature = policy::authority_text::signPolicy(
        signer ? *signer : m_key,
        std::string_view(bytes.constData(), static_cast<size_t>(bytes.size())));
    return QByteArray::fromStdString(policy::authority_text::encodeSignature(signature));
}

QString PolicyFixture::writeFile(const QString& name, const QByteArray& bytes) const
{
    const QString path = m_dir.path() + QLatin1Char('/') + name;
    QFile file(path);
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(bytes);
    return path;
}

QString PolicyFixture::writeSigned(const QString& name, const QByteArray& bytes,
                                   const crypto::Ed25519SigningKey* signer) const
{
    writeFile(name + QStringLiteral(".sig"), signatureFor(bytes, signer));
    return writeFile(name, bytes);
}

} // namespace conclave::testsupport
