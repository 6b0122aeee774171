// SPDX-License-Identifier: GPL-3.0-or-later
#include "turn/TurnCredentials.h"

#include <QByteArray>
#include <QMessageAuthenticationCode>

namespace conclave::turn {

Result<TurnCredentials> TurnCredentials::issue(crypto::ByteView secret, const QString& id,
                                               std::chrono::system_clock::time_point expiry)
{
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(expiry.time_since_epoch()).count();
    if (secret.empty() || id.isEmpty() || id.contains(u':') || seconds < 0)
        return makeError("media.turn_credentials",
                         "TURN credentials need the server's shared secret, an id without ':' "
                         "and an expiry after 1970.",
                         ErrorCategory::InvalidInput);
    TurnCredentials out;
    out.username = QString::number(seconds) + u':' + id;
    // A view, not a copy: the only copy is Qt's, for the length of this call.
    const QByteArray key = QByteArray::fromRawData(reinterpret_cast<const char*>(secret.data()),
                                                   qsizetype(secret.size()));
    out.credential = QString::fromLatin1(
        QMessageAuthenticationCode::hash(out.username.toUtf8(), key, QCryptographicHash::Sha1)
            .toBase64());
    return out;
}

} // namespace conclave::turn
