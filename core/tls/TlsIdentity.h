// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QSslCertificate>
#include <QSslKey>
#include <QString>

namespace conclave::tls {

/// A hub's TLS key and self-signed certificate, made on first run and kept in its data
/// directory (hub-key.pem mode 0600, hub-cert.pem). Nobody vouches for the certificate: clients
/// trust the key only through its SPKI pin, carried in chair-signed invites and in the policy.
struct TlsIdentity {
    QSslKey key;
    QSslCertificate certificate;
    QString spkiPin;

    /// Loads DIR/hub-key.pem and DIR/hub-cert.pem, or makes them (ECDSA P-256, self-signed,
    /// valid 10 years) when neither exists. Both are written atomically (temporary file, fsync,
    /// rename), so a full disk leaves no partial file; an empty file (left by older versions)
    /// counts as absent. One without the other, an unreadable or mismatched pair, or a key file
    /// readable or writable by others is an error - never replaced.
    static Result<TlsIdentity> loadOrCreate(const QString& directory, const QString& commonName);
};

} // namespace conclave::tls
