// SPDX-License-Identifier: GPL-3.0-or-later
#include "PrivateNetwork.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cerrno>
#include <cstring>
#include <sched.h>
#include <unistd.h>

namespace conclave::testsupport {

namespace {

/// Runs `program args...` with `input` on its standard input: its standard output, or an
/// error message in `error`.
QByteArray run(const QString& program, const QStringList& args, QString& error,
               const QByteArray& input = {})
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted(5000)) {
        error = QStringLiteral("`%1` did not start: %2").arg(program, p.errorString());
        return {};
    }
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        error = QStringLiteral("`%1 %2` failed: %3")
                    .arg(program, args.join(' '),
                         QString::fromLocal8Bit(p.readAllStandardError()).trimmed());
    return p.readAllStandardOutput();
}

} // namespace

QString enterOwnNetworkNamespace()
{
    if (::geteuid() != 0)
        return QStringLiteral("This test needs root: it makes a network namespace of its own "
                              "(unshare) with nftables rules; run it as root, as CI does.");
    if (::unshare(CLONE_NEWNET) != 0)
        return QStringLiteral("unshare(CLONE_NEWNET) failed: %1")
            .arg(QString::fromLocal8Bit(std::strerror(errno)));
    return runIp({"link", "set", "lo", "up"});
}

QString runIp(const QStringList& args)
{
    QString error;
    run(QStringLiteral("ip"), args, error);
    return error;
}

QString applyNftables(const QString& ruleset)
{
    QString error;
    run(QStringLiteral("nft"), {"-f", "-"}, error, ruleset.toUtf8());
    if (!error.isEmpty())
        error += QStringLiteral(" (is Debian's nftables package installed?)");
    return error;
}

qint64 nftCounterPackets(const QString& table, const QString& counter)
{
    QString error;
    const QByteArray out =
        run(QStringLiteral("nft"), {"-j", "list", "counter", "inet", table, counter}, error);
    if (!error.isEmpty())
        return -1;
    // {"nftables": [{"metainfo": ...}, {"counter": {..., "packets": N, "bytes": M}}]}
    for (const QJsonValue item : QJsonDocument::fromJson(out).object()["nftables"].toArray())
        if (const QJsonObject c = item.toObject()["counter"].toObject(); !c.isEmpty())
            return c["packets"].toInteger(-1);
    return -1;
}

} // namespace conclave::testsupport
