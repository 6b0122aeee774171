// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Blake2b.h"
#include "crypto/Bytes.h"
#include "crypto/Ed25519.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/Fingerprint.h"
#include "crypto/MeetingId.h"
#include "crypto/Roster.h"

#include <QByteArray>
#include <QRegularExpression>
#include <QString>
#include <QUrl>

/// Small conversions shared by the chair and participant sessions (internal to core/meeting).
namespace conclave::meeting::support {

inline QByteArray keyBytes(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), qsizetype(key.bytes.size()));
}

inline QByteArray toQByteArray(const crypto::Bytes& bytes)
{
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

inline crypto::ByteView view(const QByteArray& bytes)
{
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size())};
}

inline QByteArray meetingBytes(const crypto::MeetingId& id)
{
    return QByteArray(reinterpret_cast<const char*>(id.bytes.data()), qsizetype(id.bytes.size()));
}

inline QString fingerprint(const crypto::Ed25519PublicKey& key)
{
    return QString::fromStdString(crypto::publicKeyFingerprint(key.view()));
}

inline QString keyId(const crypto::Ed25519PublicKey& key)
{
    return QString::fromStdString(crypto::publicKeyId(key.view()));
}

inline crypto::MeetingId meetingIdOf(const QByteArray& bytes)
{
    return crypto::MeetingId::fromBytes(view(bytes)).value(); // sessions hold checked ids only
}

/// Key copies for a schedule that takes its own (the session keeps the original).
inline crypto::EphemeralKeyPair copyOf(const crypto::EphemeralKeyPair& pair)
{
    return std::move(crypto::EphemeralKeyPair::fromSecret(pair.secret().view())).value();
}

inline crypto::Ed25519SigningKey copyOf(const crypto::Ed25519SigningKey& key)
{
    return std::move(crypto::Ed25519SigningKey::fromSecret(key.secret().view())).value();
}

/// What the key schedule binds every epoch to: the signed descriptor in force, exactly.
inline crypto::DescriptorHash descriptorHashOf(const QByteArray& signedDescriptor)
{
    const crypto::Bytes digest = crypto::Blake2b::hash(view(signedDescriptor), 32);
    crypto::DescriptorHash hash{};
    std::copy(digest.begin(), digest.end(), hash.begin());
    return hash;
}

/// A 32-byte key kept as map key bytes, back as a key.
inline crypto::Ed25519PublicKey keyFrom(const QByteArray& bytes)
{
    crypto::Ed25519PublicKey key;
    std::copy_n(bytes.begin(), std::min<qsizetype>(bytes.size(), 32), key.bytes.begin());
    return key;
}

/// Whether a hub address names this computer: a loopback IP literal or "localhost". Only such
/// a hub is known, to whoever reaches it, to run on the very computer it is reached from.
inline bool isLoopbackUrl(const QString& url)
{
    const QString host = QUrl(url).host().toLower();
    static const QRegularExpression ipv4Loopback(
        QStringLiteral("^127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$"));
    return host == QLatin1String("localhost") || host == QLatin1String("::1") ||
           ipv4Loopback.match(host).hasMatch();
}

inline QString base64Key(const crypto::Ed25519PublicKey& key)
{
    return QString::fromLatin1(keyBytes(key).toBase64());
}

inline QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace conclave::meeting::support
