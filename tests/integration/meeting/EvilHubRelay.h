// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Ed25519.h"
#include "tls/TlsIdentity.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>
#include <QWebSocketServer>

#include <memory>
#include <vector>

class QWebSocket;

namespace conclave::testsupport {

/// A malicious hub operator, for tests only: it holds the TLS key the clients pin (so it *is*
/// their hub) and relays to a real hub behind it, tampering with what it forwards to members.
/// Modes: "forge-commit" (injects a COMMIT signed by its own key, naming a hidden member),
/// "replay-commit" (delivers every COMMIT twice), "alter-marking" (rewrites marking changes),
/// "drop-chair" (drops every other chair control message).
class EvilHubRelay : public QObject {
    Q_OBJECT

public:
    EvilHubRelay(tls::TlsIdentity identity, QUrl innerHub, QSet<QString> modes,
                 QObject* parent = nullptr);
    bool listen();
    QUrl url() const;

private:
    struct Link {
        QWebSocket* front = nullptr;
        QWebSocket* back = nullptr;
        QList<QByteArray> pending;
        bool chair = false;
        int controls = 0;
    };

    void accept();
    QList<QByteArray> tamper(Link& link, const QByteArray& frame);

    tls::TlsIdentity m_identity;
    QUrl m_innerHub;
    QSet<QString> m_modes;
    QWebSocketServer m_server;
    crypto::Ed25519SigningKey m_ownKey;
    std::vector<std::unique_ptr<Link>> m_links;
};

} // namespace conclave::testsupport
