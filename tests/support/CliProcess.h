// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QStringList>

#include <functional>

namespace conclave::testsupport {

/// A conclave program run as a real process: JSON lines from stdout collected as they come,
/// commands written to stdin, and always killed when the test lets go of it.
class CliProcess {
public:
    CliProcess(const QString& program, const QStringList& args);
    ~CliProcess();
    CliProcess(const CliProcess&) = delete;
    CliProcess& operator=(const CliProcess&) = delete;

    void send(const QJsonObject& command);
    /// Waits until a line with "event" == `event` (and matching `predicate`) has arrived.
    QJsonObject waitFor(const QString& event, int timeoutMs = 20000,
                        const std::function<bool(const QJsonObject&)>& predicate = {});
    bool has(const QString& event) const;
    qint64 pid() const { return m_process.processId(); }
    /// Takes in whatever the process printed since the last look, without waiting.
    void poll();
    /// SIGKILL: the process vanishes without a word, as a crashed or unplugged machine would.
    void kill();
    /// Waits for the process to exit; returns its exit code, or -1 on timeout or crash.
    int waitForExit(int timeoutMs = 20000);
    const QList<QJsonObject>& lines() const { return m_lines; }
    QString stderrText();
    QString transcript() const;

private:
    void drain();

    QProcess m_process;
    QByteArray m_pending;
    QList<QJsonObject> m_lines;
    QByteArray m_stderr;
};

} // namespace conclave::testsupport
