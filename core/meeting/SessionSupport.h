// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Bytes.h"
#include "crypto/Ed25519.h"
#include "crypto/EphemeralKeyPair.h"
#include "crypto/Fingerprint.h"
#include "crypto/MeetingId.h"

#include <QByteArray>
#include <QString>

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

inline QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace conclave::meeting::support
