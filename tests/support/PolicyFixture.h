// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Ed25519.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

#include <functional>

namespace conclave::testsupport {

/// A security authority for tests: a fresh key, its anchor directory, and helpers that write
/// signed (or deliberately broken) policies into a temporary directory.
class PolicyFixture {
public:
    PolicyFixture();

    bool isValid() const { return m_dir.isValid(); }
    QString dir() const { return m_dir.path(); }
    QString anchorsDir() const { return m_dir.path() + QStringLiteral("/trust-anchors"); }
    const crypto::Ed25519SigningKey& key() const { return m_key; }

    /// tests/data/policy/valid-policy.json as an object, to be modified by a test.
    static QJsonObject validPolicy();
    static QByteArray toBytes(const QJsonObject& policy);

    /// Writes NAME and NAME.sig (signed by this authority, or by `signer` when given) and
    /// returns the policy path.
    QString writeSigned(const QString& name, const QByteArray& bytes,
                        const crypto::Ed25519SigningKey* signer = nullptr) const;
    QString writeFile(const QString& name, const QByteArray& bytes) const;
    QByteArray signatureFor(const QByteArray& bytes,
                            const crypto::Ed25519SigningKey* signer = nullptr) const;

private:
    QTemporaryDir m_dir;
    crypto::Ed25519SigningKey m_key;
};

} // namespace conclave::testsupport
