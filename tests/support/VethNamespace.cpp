// SPDX-License-Identifier: GPL-3.0-or-later
#include "VethNamespace.h"

#include "PrivateNetwork.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>

#include <cerrno>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace conclave::testsupport {

VethNamespace::VethNamespace(const QString& kind, int secondOctet, const QString& vethPrefix)
{
    QByteArray raw(3, '\0');
    for (auto& b : raw)
        b = static_cast<char>(QRandomGenerator::system()->bounded(256));
    const QString tag = QString::fromLatin1(raw.toHex());
    m_name = QStringLiteral("conclave-%1-%2").arg(kind, tag);
    m_hostVeth = vethPrefix + QLatin1Char('h') + tag;
    m_innerVeth = vethPrefix + QLatin1Char('n') + tag;
    // Not in use (a real network, or another fixture's that is up) and not claimed (made, not
    // yet set up: two made at once, in one test or two, would otherwise pick alike now and then).
    QProcess addrs;
    addrs.start(QStringLiteral("ip"), {"-o", "-4", "addr", "show"});
    addrs.waitForFinished(5000);
    const QString inUse = QString::fromLocal8Bit(addrs.readAllStandardOutput());
    int subnet = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
        subnet = static_cast<int>(QRandomGenerator::system()->bounded(1, 255));
        if (!inUse.contains(QStringLiteral(" 10.%1.%2.").arg(secondOctet).arg(subnet)) &&
            claimSubnet(kind, secondOctet, subnet))
            break;
    }
    m_prefix = QStringLiteral("10.%1.%2.").arg(secondOctet).arg(subnet);
}

VethNamespace::~VethNamespace()
{
    tearDown();
    if (!m_claim.isEmpty())
        QFile::remove(m_claim);
}

bool VethNamespace::claimSubnet(const QString& kind, int secondOctet, int subnet)
{
    const QString path = QDir::temp().filePath(
        QStringLiteral("conclave-%1-subnet-%2-%3").arg(kind).arg(secondOctet).arg(subnet));
    for (int attempt = 0; attempt < 2; ++attempt) {
        QFile claim(path);
        if (claim.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            claim.write(QByteArray::number(qint64(::getpid())));
            m_claim = path;
            return true;
        }
        QFile held(path);
        if (!held.open(QIODevice::ReadOnly))
            return false;
        const qint64 holder = held.readAll().trimmed().toLongLong();
        if (holder > 0 && (::kill(pid_t(holder), 0) == 0 || errno != ESRCH))
            return false;
        QFile::remove(path);
    }
    return false;
}

QString VethNamespace::setUp(const QList<int>& extraHostAddresses)
{
    if (QString e = runIp({"netns", "add", m_name}); !e.isEmpty())
        return e;
    m_up = true;
    const QString ns = m_name;
    QList<QStringList> steps{
        {"link", "add", m_hostVeth, "type", "veth", "peer", "name", m_innerVeth},
        {"link", "set", m_innerVeth, "netns", ns},
        {"addr", "add", hostAddress() + "/24", "dev", m_hostVeth},
        {"link", "set", m_hostVeth, "up"},
        {"netns", "exec", ns, "ip", "addr", "add", innerAddress() + "/24", "dev", m_innerVeth},
        {"netns", "exec", ns, "ip", "link", "set", m_innerVeth, "up"},
        {"netns", "exec", ns, "ip", "link", "set", "lo", "up"},
    };
    for (int host : extraHostAddresses)
        steps.append({"addr", "add", address(host) + "/24", "dev", m_hostVeth});
    for (const QStringList& step : steps)
        if (QString e = runIp(step); !e.isEmpty())
            return e;
    return {};
}

void VethNamespace::tearDown()
{
    if (!m_up)
        return;
    m_up = false;
    (void)runIp({"link", "del", m_hostVeth}); // removes its peer too
    (void)runIp({"netns", "del", m_name});
}

} // namespace conclave::testsupport
