// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "CliProcess.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QString>
#include <QTest>

#include <functional>
#include <initializer_list>

namespace conclave::testsupport {

/// A command line for conclave-cli's stdin (docs/cli.md): {"cmd": name[, "who": who]}.
inline QJsonObject cliCommand(const char* name, const QString& who = {})
{
    QJsonObject o{{QStringLiteral("cmd"), QLatin1String(name)}};
    if (!who.isEmpty())
        o.insert(QStringLiteral("who"), who);
    return o;
}

/// Asks every process for media statistics once a second, reading their output, until
/// `done` holds or `ms` pass.
inline bool waitForMedia(const std::function<bool()>& done, std::initializer_list<CliProcess*> all,
                         int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < ms) {
        for (CliProcess* p : all)
            p->send(cliCommand("media-stats"));
        QTest::qWait(1000);
        for (CliProcess* p : all)
            p->poll();
        if (done())
            return true;
    }
    return false;
}

} // namespace conclave::testsupport
