// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Ed25519.h"
#include "crypto/Fingerprint.h"

#include <QString>

namespace conclave::app {

/// Whether a command's "who" names this person: by display name, full key (hex), key id or
/// fingerprint, so a script can use whichever it printed.
inline bool namesPerson(const QString& who, const crypto::Ed25519PublicKey& key,
                        const QString& name)
{
    const QByteArray hex = QByteArray(reinterpret_cast<const char*>(key.bytes.data()), 32).toHex();
    return who == QString::fromLatin1(hex) ||
           who == QString::fromStdString(crypto::publicKeyId(key.view())) ||
           who == QString::fromStdString(crypto::publicKeyFingerprint(key.view())) || who == name;
}

} // namespace conclave::app
