// SPDX-License-Identifier: GPL-3.0-or-later
#include "HubProcess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QtGlobal>

namespace conclave::hubtest {

HubProcess::~HubProcess()
{
    stop();
}

bool HubProcess::start(const QStringList& extraArgs, QString* error, const QString& program)
{
    const QString binary = program.isEmpty() ? qEnvironmentVariable("CONCLAVE_BIN_DIR") +
                                                   QStringLiteral("/conclave-hub")
                                             : program;
    QStringList args{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                     QStringLiteral("--data"), dataDir()};
    args << extraArgs;
    // A restart (same data directory, so the same key) begins a fresh log.
    m_pending.clear();
    m_events.clear();
    // Test chairs are made per test; a test that is about the chair list passes its own.
    if (!extraArgs.contains(QStringLiteral("--allow-chair")) &&
        !extraArgs.contains(QStringLiteral("--allow-chairs")))
        args << QStringLiteral("--allow-any-chair");
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(binary, args);
    if (!m_process.waitForStarted(10000)) {
        *error = QStringLiteral("cannot start %1: %2").arg(binary, m_process.errorString());
        return false;
    }
    const QDeadlineTimer deadline(15000);
    while (!m_pending.contains('\n') && !deadline.hasExpired() &&
           m_process.state() == QProcess::Running) {
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        m_pending += m_process.readAllStandardOutput();
    }
    const qsizetype newline = m_pending.indexOf('\n');
    if (newline < 0) {
        *error = QStringLiteral("no listening line; stderr: %1")
                     .arg(QString::fromUtf8(m_process.readAllStandardError()));
        stop();
        return false;
    }
    m_listeningLine = QString::fromUtf8(m_pending.left(newline));
    m_pending.remove(0, newline + 1);
    const QJsonObject first = QJsonDocument::fromJson(m_listeningLine.toUtf8()).object();
    m_url = QUrl(first.value(QStringLiteral("url")).toString());
    m_spki = first.value(QStringLiteral("spki")).toString();
    if (first.value(QStringLiteral("event")).toString() != QLatin1String("listening") ||
        !m_url.isValid() || m_spki.isEmpty()) {
        *error = QStringLiteral("unexpected first line: %1").arg(m_listeningLine);
        stop();
        return false;
    }
    return true;
}

int HubProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        return -1;
    }
    events(); // keep what it said last
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

void HubProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10000);
    events();
}

QList<QJsonObject> HubProcess::events()
{
    m_pending += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = m_pending.left(newline);
        m_pending.remove(0, newline + 1);
        const auto doc = QJsonDocument::fromJson(line);
        if (!doc.isObject())
            qWarning("conclave-hub printed a line that is not a JSON object: %s", line.constData());
        m_events << doc.object();
    }
    return m_events;
}

int HubProcess::count(const QString& event, const QString& code)
{
    int n = 0;
    for (const QJsonObject& e : events())
        if (e.value(QStringLiteral("event")).toString() == event &&
            (code.isEmpty() || e.value(QStringLiteral("code")).toString() == code))
            ++n;
    return n;
}

} // namespace conclave::hubtest
