// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestPaths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QtGlobal>

namespace conclave::testsupport {

QString testDataDir()
{
    return QStringLiteral(CONCLAVE_TEST_DATA_DIR);
}

QString binDir()
{
    const QString fromEnvironment = qEnvironmentVariable("CONCLAVE_BIN_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    // Run by hand (benchmarks, a test started outside CTest): build/<dir>/x -> build/bin.
    QDir dir(QCoreApplication::applicationDirPath());
    while (!dir.exists(QStringLiteral("bin/conclave-cli")) && dir.cdUp()) {
    }
    return dir.filePath(QStringLiteral("bin"));
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("cannot read %s: %s", qPrintable(path), qPrintable(file.errorString()));
        return {};
    }
    return file.readAll();
}

} // namespace conclave::testsupport
