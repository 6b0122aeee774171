// SPDX-License-Identifier: GPL-3.0-or-later
#include "StorageTestHelpers.h"

#include <QDir>
#include <QFile>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

namespace conclave::storage::test {

QString rawExec(const QString& path, const QString& sql)
{
    sqlite3* db = nullptr;
    const QByteArray file = QFile::encodeName(path);
    if (sqlite3_open_v2(file.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK) {
        const QString message = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_close(db);
        return message.isEmpty() ? QStringLiteral("cannot open") : message;
    }
    sqlite3_busy_timeout(db, 5000);
    char* error = nullptr;
    const QByteArray text = sql.toUtf8();
    const int rc = sqlite3_exec(db, text.constData(), nullptr, nullptr, &error);
    QString message;
    if (rc != SQLITE_OK)
        message = error ? QString::fromUtf8(error) : QStringLiteral("error %1").arg(rc);
    sqlite3_free(error);
    sqlite3_close(db);
    return message;
}

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFileBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(bytes) == bytes.size();
}

QStringList filesIn(const QString& dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

QString asAnotherUser(const std::function<QString()>& work)
{
    if (::geteuid() != 0)
        return work();
    int fds[2];
    if (::pipe(fds) != 0)
        return QStringLiteral("pipe failed");
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(fds[0]);
        QByteArray out = "setuid failed";
        if (::setgid(65534) == 0 && ::setuid(65534) == 0)
            out = work().toUtf8();
        (void)!::write(fds[1], out.constData(), size_t(out.size()));
        ::_exit(0);
    }
    ::close(fds[1]);
    QByteArray got;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
        got.append(buf, n);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(child, &status, 0);
    return QString::fromUtf8(got);
}

} // namespace conclave::storage::test
