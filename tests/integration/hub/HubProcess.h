// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

namespace conclave::hubtest {

/// A real conclave-hub process on 127.0.0.1 with its own data directory. The destructor
/// always stops it (SIGTERM, then SIGKILL), so a failing test never leaves a hub behind.
class HubProcess {
public:
    HubProcess() = default;
    ~HubProcess();
    HubProcess(const HubProcess&) = delete;
    HubProcess& operator=(const HubProcess&) = delete;

    /// Starts `program` (default: conclave-hub in CONCLAVE_BIN_DIR) listening on an unused
    /// loopback port, and reads the first line. False with `error` set when it did not start.
    bool start(const QStringList& extraArgs, QString* error, const QString& program = QString());
    /// SIGTERM and wait; the exit code, or -1 if it crashed or had to be killed.
    int stop();
    /// SIGKILL and wait, as a crash or a power cut would end it: nothing more is saved.
    void kill();

    QString listeningLine() const { return m_listeningLine; }
    QUrl url() const { return m_url; }
    QString spki() const { return m_spki; }
    qint64 pid() const { return m_process.processId(); }
    /// The --data directory; kept across start() calls, so a start after a stop is a restart.
    QString dataDir() const { return m_data.path() + QStringLiteral("/hub"); }

    /// Every JSON line after the first one, read so far.
    QList<QJsonObject> events();
    /// How many events named `event` (with `code`, when given) were logged so far.
    int count(const QString& event, const QString& code = QString());

private:
    QProcess m_process;
    QTemporaryDir m_data;
    QByteArray m_pending;
    QList<QJsonObject> m_events;
    QString m_listeningLine;
    QUrl m_url;
    QString m_spki;
};

} // namespace conclave::hubtest
