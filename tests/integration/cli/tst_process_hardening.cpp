// SPDX-License-Identifier: GPL-3.0-or-later
// The programs that hold keys write no core dump and cannot be read by others: each one, as a
// real process, has a core file size limit of 0 (soft and hard) and is not dumpable. A
// non-dumpable process's /proc files belong to root, whoever runs it, which is what is checked:
// the program runs as an ordinary user (nobody, when the test runs as root) and its
// /proc/<pid>/status must be owned by root all the same.
#include "TestPaths.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr uid_t kNobody = 65534;

/// The line of /proc/<pid>/limits about core files, e.g. "Max core file size  0  0  bytes".
QString coreLimitOf(qint64 pid)
{
    QFile limits(QStringLiteral("/proc/%1/limits").arg(pid));
    if (!limits.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray& line : limits.readAll().split('\n'))
        if (line.startsWith("Max core file size"))
            return QString::fromUtf8(line).simplified();
    return {};
}

/// The real uid in /proc/<pid>/status.
long uidOf(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("Uid:"))
            return line.mid(4).simplified().split(' ').value(0).toLong();
    return -1;
}

} // namespace

class TestProcessHardening : public QObject {
    Q_OBJECT

    /// Starts `program` with `args` as an ordinary user, waits until it is listening (so main()
    /// is well past its start and holds its keys), and checks its core limit and dumpability.
    void check(const QString& program, const QStringList& args, const QString& home)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
        env.remove(QStringLiteral("XDG_RUNTIME_DIR"));
        process.setProcessEnvironment(env);
        if (geteuid() == 0)
            process.setChildProcessModifier([] {
                if (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 || setuid(kNobody) != 0)
                    _exit(126);
            });
        process.start(conclave::testsupport::binDir() + QLatin1Char('/') + program, args);
        QVERIFY2(process.waitForStarted(10000), qPrintable(process.errorString()));
        QByteArray out;
        const QDeadlineTimer deadline(20000);
        const QByteArray listening = QByteArrayLiteral("\"event\":\"listening\"");
        while (!out.contains(listening) && !deadline.hasExpired() &&
               process.state() == QProcess::Running) {
            process.waitForReadyRead(200);
            out += process.readAllStandardOutput();
        }
        QVERIFY2(process.state() == QProcess::Running,
                 qPrintable(program + QStringLiteral(" ended: ") + QString::fromUtf8(out) +
                            QString::fromUtf8(process.readAllStandardError())));
        QVERIFY2(
            out.contains(listening),
            qPrintable(program + QStringLiteral(" is not listening: ") + QString::fromUtf8(out)));
        const qint64 pid = process.processId();

        const QString core = coreLimitOf(pid);
        QVERIFY2(QRegularExpression(QStringLiteral("^Max core file size 0 0 bytes$"))
                     .match(core)
                     .hasMatch(),
                 qPrintable(program + QStringLiteral(": ") + core));

        const long uid = uidOf(pid);
        QVERIFY2(uid > 0, qPrintable(QStringLiteral("%1 runs as uid %2").arg(program).arg(uid)));
        struct stat st {};
        QCOMPARE(stat(QStringLiteral("/proc/%1/status").arg(pid).toLocal8Bit().constData(), &st),
                 0);
        // Dumpable: its own user's. Not dumpable: root's.
        QVERIFY2(st.st_uid == 0, qPrintable(QStringLiteral("%1 is dumpable (its /proc files "
                                                           "belong to uid %2)")
                                                .arg(program)
                                                .arg(st.st_uid)));
        process.terminate();
        if (!process.waitForFinished(10000))
            process.kill();
        process.waitForFinished(5000);
    }

    /// A directory the program's user may write to.
    QString ownedDir(const QTemporaryDir& dir, const char* name)
    {
        const QString path = dir.path() + QLatin1Char('/') + QLatin1String(name);
        QDir().mkpath(path);
        if (geteuid() == 0 && chown(path.toLocal8Bit().constData(), kNobody, kNobody) != 0)
            qWarning("chown %s failed", qPrintable(path));
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        if (geteuid() == 0)
            QCOMPARE(chmod(m_dir.path().toLocal8Bit().constData(), 0755), 0);
    }

    void hubWritesNoCoreAndIsNotDumpable()
    {
        const QString home = ownedDir(m_dir, "hub-home");
        check(QStringLiteral("conclave-hub"),
              {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data"),
               ownedDir(m_dir, "hub-data")},
              home);
    }

    void cliHostWritesNoCoreAndIsNotDumpable()
    {
        const QString home = ownedDir(m_dir, "cli-home");
        check(QStringLiteral("conclave-cli"),
              {QStringLiteral("host"), QStringLiteral("--title"), QStringLiteral("Hardening"),
               QStringLiteral("--marking"), QStringLiteral("OFFICIAL"), QStringLiteral("--data"),
               ownedDir(m_dir, "cli-data"), QStringLiteral("--config"),
               ownedDir(m_dir, "cli-config")},
              home);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestProcessHardening)
#include "tst_process_hardening.moc"
