// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "VethNamespace.h"

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace conclave::testsupport {

/// A real TURN server (Debian's `coturn`, /usr/bin/turnserver) for one test, apart from the
/// machine: its own network namespace `conclave-turn-<random>` reached through a veth pair
/// (10.78.<n>.1 on the test's side, 10.78.<n>.2 inside, where it listens and relays), and
/// `clients` more addresses on the test's side (10.78.<n>.11, .12, ...) for the members. Its
/// whole configuration is generated into a temporary directory (never /etc/turnserver.conf):
/// TURN REST credentials only (`use-auth-secret` with a random `static-auth-secret`, realm
/// `conclave.test`), plain UDP and/or TCP listeners on the given port, no TLS or DTLS, no CLI,
/// no web admin, relaying only to the client addresses and its own (every other peer address
/// denied), logging to its standard output (kept in a file, logText()). Process, veth and
/// namespace are removed when the object goes, also when a test fails.
/// Needs root (ip netns) and /usr/bin/turnserver; `start()` says plainly which is missing.
/// docs/media.md "TURN".
class CoturnProcess {
public:
    struct Options {
        /// The listener port, UDP and TCP alike (443: the port a locked-down network leaves
        /// open).
        int port = 3478;
        bool udp = true;
        bool tcp = true;
        /// Addresses made on the test's side for members (clientAddress(0 .. clients-1)).
        int clients = 2;
    };

    CoturnProcess();
    explicit CoturnProcess(Options options);
    ~CoturnProcess();
    CoturnProcess(const CoturnProcess&) = delete;
    CoturnProcess& operator=(const CoturnProcess&) = delete;

    /// Makes the namespace and configuration and starts coturn; waits (at most 15 s) until its
    /// listeners answer (a STUN binding over UDP, a TCP connection). An empty string on
    /// success, otherwise what went wrong and what to do.
    QString start();
    /// Stops coturn (SIGTERM, then SIGKILL after 5 s); the destructor does it too.
    void stop();

    /// The static-auth-secret the server shares with whoever issues credentials.
    QByteArray secret() const { return m_secret; }
    QString realm() const { return QStringLiteral("conclave.test"); }
    /// Where it listens and relays from.
    QString serverAddress() const { return m_net.innerAddress(); }
    int port() const { return m_options.port; }
    /// `turn:<address>:<port>?transport=<transport>` ("udp" or "tcp").
    QString url(const QString& transport) const;
    /// The test side's own address, and the members' ones.
    QString hostAddress() const { return m_net.hostAddress(); }
    QString clientAddress(int i) const;
    QString namespaceName() const { return m_net.name(); }

    /// Everything coturn logged so far.
    QString logText() const;
    /// Allocations coturn made so far for `username` (empty: anyone's), from its log.
    int allocations(const QString& username = {}) const;
    /// Requests coturn refused for want of valid credentials so far (401 after a credential
    /// was given), from its log.
    int refusedCredentials() const;

private:
    QString writeConfig();
    QString waitUntilListening();

    Options m_options;
    VethNamespace m_net;
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_secret;
};

} // namespace conclave::testsupport
