// SPDX-License-Identifier: GPL-3.0-or-later
#include "tls/TlsIdentity.h"

#include "common/AtomicFile.h"
#include "tls/SpkiPin.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <memory>
#include <sys/stat.h>

namespace conclave::tls {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

QByteArray bioContents(BIO* bio)
{
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(length));
}

/// Makes a fresh P-256 key and a self-signed certificate, both as PEM.
Result<std::pair<QByteArray, QByteArray>> makeKeyAndCertificate(const QString& commonName)
{
    PkeyPtr key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    if (!key)
        return makeError("tls.keygen",
                         "could not make a TLS key (OpenSSL EC key generation failed)");
    X509Ptr cert(X509_new(), X509_free);
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return makeError("tls.keygen", "no randomness for the certificate serial");
    serial[0] &= 0x7f; // positive
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    const QByteArray cn = commonName.toUtf8();
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(cn.constData()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return makeError("tls.keygen", "could not sign the self-signed TLS certificate");

    BioPtr keyBio(BIO_new(BIO_s_mem()), BIO_free);
    BioPtr certBio(BIO_new(BIO_s_mem()), BIO_free);
    if (PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1 ||
        PEM_write_bio_X509(certBio.get(), cert.get()) != 1)
        return makeError("tls.keygen", "could not encode the TLS key and certificate");
    return std::make_pair(bioContents(keyBio.get()), bioContents(certBio.get()));
}

// An empty file holds nothing to lose: it is what an earlier version left behind when the
// disk filled up while it was writing (it created the file, then could not fill it).
bool holdsSomething(const QString& path)
{
    const QFileInfo info(path);
    return info.exists() && info.size() > 0;
}

std::string permissionText(QFile::Permissions p)
{
    const auto bit = [&](QFile::Permission flag, int value) { return (p & flag) ? value : 0; };
    const int owner =
        bit(QFile::ReadOwner, 4) | bit(QFile::WriteOwner, 2) | bit(QFile::ExeOwner, 1);
    const int group =
        bit(QFile::ReadGroup, 4) | bit(QFile::WriteGroup, 2) | bit(QFile::ExeGroup, 1);
    const int other =
        bit(QFile::ReadOther, 4) | bit(QFile::WriteOther, 2) | bit(QFile::ExeOther, 1);
    return "0" + std::to_string(owner) + std::to_string(group) + std::to_string(other);
}

Result<void> writeNew(const QString& path, const QByteArray& content, mode_t mode)
{
    auto r = AtomicFile::create(
        path.toStdString(), std::string_view(content.constData(), size_t(content.size())), mode);
    if (!r)
        return makeError(r.error().code == "file.disk_full" ? "tls.disk_full" : "tls.write",
                         "cannot save the hub's TLS identity: " + r.error().message);
    return {};
}

bool keyMatchesCertificate(const QByteArray& keyPem, const QByteArray& certPem)
{
    BioPtr keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())), BIO_free);
    BioPtr certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())), BIO_free);
    PkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    X509Ptr cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr), X509_free);
    return key && cert && X509_check_private_key(cert.get(), key.get()) == 1;
}

} // namespace

Result<TlsIdentity> TlsIdentity::loadOrCreate(const QString& directory, const QString& commonName)
{
    if (!QDir().mkpath(directory))
        return makeError("tls.write", "cannot create " + directory.toStdString());
    const QString keyPath = directory + QStringLiteral("/hub-key.pem");
    const QString certPath = directory + QStringLiteral("/hub-cert.pem");
    const bool haveKey = holdsSomething(keyPath), haveCert = holdsSomething(certPath);
    if (haveKey != haveCert)
        return makeError("tls.incomplete",
                         (haveKey ? certPath : keyPath).toStdString() +
                             " is missing or empty while its partner exists; restore it, or move "
                             "both away to make a new TLS identity (invites with the old pin stop "
                             "working)");
    if (!haveKey) {
        // Leftovers of an interrupted first start hold no key; clear them so creation can run.
        QFile::remove(keyPath);
        QFile::remove(certPath);
        auto made = makeKeyAndCertificate(commonName);
        if (!made)
            return made.error();
        // Each file appears complete or not at all; the key goes first and is taken back if the
        // certificate cannot follow, so a failed start leaves the directory as it found it.
        if (auto r = writeNew(keyPath, made->first, S_IRUSR | S_IWUSR); !r)
            return r.error();
        if (auto r = writeNew(certPath, made->second, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH); !r) {
            QFile::remove(keyPath);
            return r.error();
        }
    }
    // Someone else who can write the key could swap in a key they know; one who can read it
    // could impersonate the hub. Either refuses it.
    const QFile::Permissions keyPermissions = QFile::permissions(keyPath);
    if (keyPermissions &
        (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther))
        return makeError("tls.key_exposed", keyPath.toStdString() + " has permissions " +
                                                permissionText(keyPermissions) +
                                                ", so other users may read or replace it; run "
                                                "'chmod 600 " +
                                                keyPath.toStdString() + "'");
    QFile keyFile(keyPath), certFile(certPath);
    if (!keyFile.open(QIODevice::ReadOnly) || !certFile.open(QIODevice::ReadOnly))
        return makeError("tls.read", "cannot read the TLS identity in " + directory.toStdString());
    const QByteArray keyPem = keyFile.readAll();
    const QByteArray certPem = certFile.readAll();
    TlsIdentity identity;
    identity.key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    identity.certificate = QSslCertificate(certPem, QSsl::Pem);
    if (identity.key.isNull() || identity.certificate.isNull())
        return makeError("tls.damaged",
                         "the TLS key or certificate in " + directory.toStdString() +
                             " is damaged or cut short; restore both from a backup, or move both "
                             "away to make a new TLS identity (invites with the old pin stop "
                             "working)");
    if (!keyMatchesCertificate(keyPem, certPem))
        return makeError("tls.mismatch", "the TLS key in " + directory.toStdString() +
                                             " does not belong to its certificate; restore the "
                                             "pair from a backup");
    auto pin = spkiSha256(identity.certificate);
    if (!pin)
        return pin.error();
    identity.spkiPin = *pin;
    return identity;
}

} // namespace conclave::tls
