// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QSslCertificate>
#include <QString>

namespace conclave::tls {

/// The pin of a TLS key as invites and policies carry it: base64 of the SHA-256 of the
/// certificate's DER SubjectPublicKeyInfo (the same value HPKP used). Pinning the key, not the
/// certificate, lets a hub renew its certificate without breaking invites.
Result<QString> spkiSha256(const QSslCertificate& certificate);

} // namespace conclave::tls
