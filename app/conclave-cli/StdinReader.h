// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QSocketNotifier>

namespace conclave::app {

/// Reads JSON-lines commands from standard input without blocking the event loop. A line
/// that is not a JSON object is reported (invalidLine) and skipped; end of input is reported.
class StdinReader : public QObject {
    Q_OBJECT

public:
    explicit StdinReader(QObject* parent = nullptr);

signals:
    void command(const QJsonObject& command);
    void invalidLine(const QString& reason);
    void endOfInput();

private:
    void readAvailable();

    QSocketNotifier m_notifier;
    QByteArray m_buffer;
};

} // namespace conclave::app
