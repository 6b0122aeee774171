// SPDX-License-Identifier: GPL-3.0-or-later
#include "CliProcess.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QThread>

namespace conclave::testsupport {

CliProcess::CliProcess(const QString& program, const QStringList& args)
{
    m_process.start(program, args);
    m_process.waitForStarted(10000);
}

CliProcess::~CliProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

void CliProcess::poll()
{
    m_process.waitForReadyRead(0); // moves what the pipe holds into QProcess's buffer
    drain();
}

void CliProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

void CliProcess::send(const QJsonObject& command)
{
    m_process.write(QJsonDocument(command).toJson(QJsonDocument::Compact) + '\n');
    m_process.waitForBytesWritten(5000);
}

void CliProcess::drain()
{
    m_pending.append(m_process.readAllStandardOutput());
    m_stderr.append(m_process.readAllStandardError());
    for (qsizetype end; (end = m_pending.indexOf('\n')) >= 0;) {
        const QByteArray line = m_pending.left(end);
        m_pending.remove(0, end + 1);
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (!o.isEmpty())
            m_lines << o;
    }
}

QJsonObject CliProcess::waitFor(const QString& event, int timeoutMs,
                                const std::function<bool(const QJsonObject&)>& predicate)
{
    QElapsedTimer timer;
    timer.start();
    qsizetype checked = 0;
    while (timer.elapsed() < timeoutMs) {
        drain();
        for (; checked < m_lines.size(); ++checked) {
            const QJsonObject& o = m_lines[checked];
            if (o.value(QStringLiteral("event")).toString() == event &&
                (!predicate || predicate(o)))
                return o;
        }
        if (m_process.state() == QProcess::NotRunning && m_process.bytesAvailable() == 0)
            break;
        m_process.waitForReadyRead(100);
    }
    qWarning("no '%s' event; transcript:\n%s", qPrintable(event), qPrintable(transcript()));
    return {};
}

bool CliProcess::has(const QString& event) const
{
    for (const auto& o : m_lines)
        if (o.value(QStringLiteral("event")).toString() == event)
            return true;
    return false;
}

int CliProcess::waitForExit(int timeoutMs)
{
    m_process.closeWriteChannel();
    if (!m_process.waitForFinished(timeoutMs)) {
        qWarning("process did not exit; transcript:\n%s", qPrintable(transcript()));
        return -1;
    }
    drain();
    if (m_process.exitStatus() != QProcess::NormalExit) {
        qWarning("process crashed; transcript:\n%s", qPrintable(transcript()));
        return -1;
    }
    return m_process.exitCode();
}

QString CliProcess::stderrText()
{
    drain();
    return QString::fromUtf8(m_stderr);
}

QString CliProcess::transcript() const
{
    QString out;
    for (const auto& o : m_lines)
        out +=
            QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) + QLatin1Char('\n');
    return out + QStringLiteral("stderr: ") + QString::fromUtf8(m_stderr);
}

} // namespace conclave::testsupport
