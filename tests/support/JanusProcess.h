// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "VethNamespace.h"

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace conclave::testsupport {

/// A real Janus (Debian's `janus`) for one test, isolated from the machine: its own network
/// namespace `conclave-janus-<random>` reached through a veth pair (10.77.<n>.1 host side,
/// 10.77.<n>.2 inside), a config folder generated into a temporary directory with only the
/// VideoRoom plugin and the WebSockets transport (never /etc/janus, whose demo rooms have
/// known secrets), a random admin key and (unless turned off) API secret, ICE limited to the veth,
/// wss with a fresh self-signed key per fixture (its pin from spkiPin()) and plain ws beside it.
/// Everything - process, veth, namespace - is removed when the object goes, also when a test fails.
/// Needs root (ip netns) and /usr/bin/janus; `start()` says plainly which is missing.
/// docs/scaling.md "Janus rooms (hub side)".
class JanusProcess {
public:
    struct Options {
        /// Janus's session timeout in seconds (short in tests, so keepalives are exercised).
        int sessionTimeoutSeconds = 10;
        /// Janus's `api_secret` (random). Members' clients never hold one (they must work
        /// against an instance without it); tests of the hub's room control keep it on.
        bool apiSecret = true;
    };

    JanusProcess();
    explicit JanusProcess(Options options);
    ~JanusProcess();
    JanusProcess(const JanusProcess&) = delete;
    JanusProcess& operator=(const JanusProcess&) = delete;

    /// Makes the namespace and config and starts Janus; waits until its WebSocket port
    /// answers. An empty string on success, otherwise what went wrong and what to do.
    QString start();
    /// SIGKILL: the instance dies the way a crashed machine's would.
    void kill();
    /// SIGSTOP / SIGCONT: the instance hangs with its sockets open, then resumes.
    void freeze();
    void thaw();

    /// Plain ws (tests that show plain is refused, or that pass allowPlainForTests).
    QUrl wsUrl() const;
    /// TLS, with this fixture's own fresh self-signed key: what clients and the hub use.
    QUrl wssUrl() const;
    /// The SPKI pin (base64 SHA-256) of the key wss presents, as the policy would list it.
    QString spkiPin() const { return m_spkiPin; }
    /// Janus's process id (0 when not running): for CPU measurements.
    qint64 pid() const { return m_process.processId(); }
    /// This machine's end of the veth: the one address a client's ICE needs towards Janus.
    QString hostAddress() const { return m_net.hostAddress(); }
    QString adminKey() const { return m_adminKey; }
    /// Empty when Options::apiSecret is off (the instance then asks for none).
    QString apiSecret() const { return m_apiSecret; }
    QString logPath() const;
    QString namespaceName() const { return m_net.name(); }
    /// The last lines of Janus's log, for failure messages.
    QString logTail(int lines = 40) const;

private:
    QString writeConfig();

    Options m_options;
    VethNamespace m_net;
    QTemporaryDir m_dir;
    QProcess m_process;
    QString m_adminKey;
    QString m_apiSecret;
    QString m_spkiPin;
};

} // namespace conclave::testsupport
