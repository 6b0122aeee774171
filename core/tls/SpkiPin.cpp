// SPDX-License-Identifier: GPL-3.0-or-later
#include "tls/SpkiPin.h"

#include <openssl/sha.h>
#include <openssl/x509.h>

#include <memory>

namespace conclave::tls {

Result<QString> spkiSha256(const QSslCertificate& certificate)
{
    const QByteArray der = certificate.toDer();
    if (der.isEmpty())
        return makeError("tls.no_certificate", "the server presented no certificate");
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    std::unique_ptr<X509, decltype(&X509_free)> x509(d2i_X509(nullptr, &p, der.size()), X509_free);
    if (!x509)
        return makeError("tls.bad_certificate", "the server's certificate could not be read");
    unsigned char* spki = nullptr;
    const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509.get()), &spki);
    if (length <= 0)
        return makeError("tls.bad_certificate", "the server's certificate has no public key");
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(spki, size_t(length), digest);
    OPENSSL_free(spki);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(digest), sizeof digest).toBase64());
}

} // namespace conclave::tls
