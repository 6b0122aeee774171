// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "tls/TlsIdentity.h"

#include <QObject>

class QWebSocketServer;

namespace conclave::hubtest {

/// A bare TLS WebSocket server that sends every binary message straight back: the baseline a
/// hub is measured against (same TLS, same WebSocket library, no meeting logic). Meant to
/// live in its own thread: create it, move it there, then call listen() in that thread.
class EchoServer : public QObject {
public:
    explicit EchoServer(tls::TlsIdentity identity) : m_identity(std::move(identity)) {}

    /// Listens on 127.0.0.1 (a free port); 0 when it cannot.
    quint16 listen();

private:
    tls::TlsIdentity m_identity;
    QWebSocketServer* m_server = nullptr;
};

} // namespace conclave::hubtest
