// SPDX-License-Identifier: GPL-3.0-or-later
#include "tls/PinCheck.h"

#include "tls/SpkiPin.h"

#include <QSslSocket>

namespace conclave::tls {

QSslConfiguration pinnedClientConfiguration()
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    // The certificate is checked (so a self-signed one raises errors we then judge by the pin
    // alone); nothing is accepted just because a certificate authority signed it.
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return config;
}

QSslCertificate presentedCertificate(const QSslConfiguration& session,
                                     const QList<QSslError>& errors)
{
    const QSslCertificate peer = session.peerCertificate();
    if (!peer.isNull())
        return peer;
    return errors.isEmpty() ? QSslCertificate() : errors.first().certificate();
}

PinCheck checkPin(const QSslCertificate& certificate, const QStringList& expected)
{
    const auto pin = spkiSha256(certificate);
    if (!pin)
        return PinCheck{false, QStringLiteral("(none)")};
    return PinCheck{expected.contains(*pin), *pin};
}

} // namespace conclave::tls
