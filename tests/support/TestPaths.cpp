// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestPaths.h"

#include <QDir>
#include <QFile>
#include <QtGlobal>

namespace conclave::testsupport {

QString testDataDir()
{
    return qEnvironmentVariable("CONCLAVE_TEST_DATA");
}

QString sharedDir()
{
    const QString dir = qEnvironmentVariable("CONCLAVE_SHARED_DIR");
    return (!dir.isEmpty() && QDir(dir).exists()) ? QDir(dir).canonicalPath() : QString();
}

QString binDir()
{
    return qEnvironmentVariable("CONCLAVE_BIN_DIR");
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
