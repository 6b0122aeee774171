// SPDX-License-Identifier: GPL-3.0-or-later
#include "StdinReader.h"

#include <QJsonDocument>

#include <unistd.h>

namespace conclave::app {

StdinReader::StdinReader(QObject* parent)
    : QObject(parent), m_notifier(STDIN_FILENO, QSocketNotifier::Read)
{
    connect(&m_notifier, &QSocketNotifier::activated, this, &StdinReader::readAvailable);
}

void StdinReader::readAvailable()
{
    char chunk[4096];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n <= 0) {
        m_notifier.setEnabled(false);
        emit endOfInput();
        return;
    }
    m_buffer.append(chunk, qsizetype(n));
    if (m_buffer.size() > 1024 * 1024) {
        m_buffer.clear();
        emit invalidLine(QStringLiteral("a command line longer than 1 MiB was discarded"));
        return;
    }
    for (qsizetype end; (end = m_buffer.indexOf('\n')) >= 0;) {
        const QByteArray line = m_buffer.left(end).trimmed();
        m_buffer.remove(0, end + 1);
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (!doc.isObject())
            emit invalidLine(
                QStringLiteral("not a JSON object: %1").arg(QString::fromUtf8(line.left(200))));
        else
            emit command(doc.object());
    }
}

} // namespace conclave::app
