// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/ChairAllowList.h"

#include "crypto/Fingerprint.h"

#include <QByteArray>
#include <QRegularExpression>

namespace conclave::hub {

QString ChairAllowList::fingerprintOf(const crypto::Ed25519PublicKey& key)
{
    return QString::fromStdString(crypto::publicKeyFingerprint(key.view()))
        .remove(QLatin1Char(' '));
}

Result<void> ChairAllowList::add(const QString& text)
{
    const QString compact = QString(text).remove(QLatin1Char(' ')).trimmed();
    static const QRegularExpression digits(QStringLiteral("^[0-9]{30}$"));
    static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{64}$"));
    if (digits.match(compact).hasMatch()) {
        m_fingerprints.insert(compact);
        return {};
    }
    if (hex.match(compact).hasMatch()) {
        const QByteArray raw = QByteArray::fromHex(compact.toLatin1());
        auto key = crypto::Ed25519PublicKey::fromBytes(crypto::ByteView(
            reinterpret_cast<const uint8_t*>(raw.constData()), size_t(raw.size())));
        if (key) {
            add(*key);
            return {};
        }
    }
    return makeError("hub.bad_chair",
                     "'" + text.toStdString() +
                         "' is neither an identity fingerprint (30 digits, as `conclave-cli "
                         "identity` prints it) nor an identity key (64 hex digits)");
}

} // namespace conclave::hub
