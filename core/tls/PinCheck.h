// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#include <QString>
#include <QStringList>

namespace conclave::tls {

/// How a client checks a server whose key is pinned (a hub, a Janus instance): trust comes from
/// the SPKI pin in the invite or the policy, never from certificate authorities. One copy of
/// this check for every pinned connection (HubClient, janus::JanusConnection).
///
/// Use: open the socket with pinnedClientConfiguration(); on its sslErrors signal, ignore the
/// errors only if checkPin(presentedCertificate(...)) matches; once connected, check again
/// (a certificate a CA vouches for raises no errors); on a mismatch abort before sending.
QSslConfiguration pinnedClientConfiguration();

/// The certificate a TLS peer presented: the session's peer certificate, or during the
/// handshake the one the first SSL error is about.
QSslCertificate presentedCertificate(const QSslConfiguration& session,
                                     const QList<QSslError>& errors = {});

struct PinCheck {
    bool matches = false;
    /// The presented key's pin (base64 SHA-256 of its SPKI), or "(none)" when the peer presented
    /// no readable certificate: for the refusal message.
    QString presented;
};

/// Whether `certificate`'s key is one of `expected` (several during a key rotation).
PinCheck checkPin(const QSslCertificate& certificate, const QStringList& expected);

} // namespace conclave::tls
