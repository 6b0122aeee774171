// SPDX-License-Identifier: GPL-3.0-or-later
#include "CoturnProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QThread>
#include <QUdpSocket>

#include <unistd.h>

namespace conclave::testsupport {

namespace {

constexpr auto kTurnserver = "/usr/bin/turnserver";
constexpr auto kSchema = "/usr/share/coturn/schema.sql";
constexpr int kMinRelayPort = 49152;
constexpr int kMaxRelayPort = 49251;
/// The members' addresses on the test's side: 10.78.<n>.11, .12, ...
constexpr int kFirstClient = 11;

QByteArray randomHex(int bytes)
{
    QByteArray raw(bytes, '\0');
    for (auto& b : raw)
        b = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return raw.toHex();
}

/// A STUN Binding request (RFC 5389 §6: type 0x0001, no attributes, the magic cookie, a
/// random transaction id): coturn answers it on every plain listener.
QByteArray stunBindingRequest()
{
    QByteArray request = QByteArray::fromHex("000100002112a442");
    for (int i = 0; i < 12; ++i)
        request.append(static_cast<char>(QRandomGenerator::global()->bounded(256)));
    return request;
}

} // namespace

CoturnProcess::CoturnProcess() : CoturnProcess(Options{}) {}

CoturnProcess::CoturnProcess(Options options)
    : m_options(options), m_net(QStringLiteral("turn"), 78, QStringLiteral("ct")),
      m_secret(randomHex(32))
{
}

CoturnProcess::~CoturnProcess()
{
    stop();
}

QString CoturnProcess::clientAddress(int i) const
{
    return m_net.address(kFirstClient + i);
}

QString CoturnProcess::url(const QString& transport) const
{
    return QStringLiteral("turn:%1:%2?transport=%3")
        .arg(m_net.innerAddress())
        .arg(m_options.port)
        .arg(transport);
}

QString CoturnProcess::writeConfig()
{
    QStringList lines{
        QStringLiteral("listening-ip=") + m_net.innerAddress(),
        QStringLiteral("relay-ip=") + m_net.innerAddress(),
        QStringLiteral("listening-port=%1").arg(m_options.port),
        // TURN REST credentials only: username "<expiry>:<id>", HMAC-SHA1 of it as password.
        QStringLiteral("use-auth-secret"),
        QStringLiteral("static-auth-secret=") + QString::fromLatin1(m_secret),
        QStringLiteral("realm=") + realm(),
        QStringLiteral("no-tls"),
        QStringLiteral("no-dtls"),
        QStringLiteral("no-cli"),
        QStringLiteral("no-rfc5780"),
        QStringLiteral("no-software-attribute"),
        QStringLiteral("no-multicast-peers"),
        QStringLiteral("min-port=%1").arg(kMinRelayPort),
        QStringLiteral("max-port=%1").arg(kMaxRelayPort),
        // Relays to nobody but the members and its own relay addresses (relay to relay).
        QStringLiteral("denied-peer-ip=0.0.0.0-255.255.255.255"),
        QStringLiteral("denied-peer-ip=::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        QStringLiteral("allowed-peer-ip=") + m_net.innerAddress(),
        // Everything in the temporary directory: no database, pid file or log elsewhere.
        QStringLiteral("userdb=") + m_dir.filePath(QStringLiteral("turndb")),
        QStringLiteral("pidfile=") + m_dir.filePath(QStringLiteral("turnserver.pid")),
        QStringLiteral("no-dynamic-ip-list"),
        QStringLiteral("no-dynamic-realms"),
        QStringLiteral("no-auth-pings"),
        // Sessions and allocations are logged (allocations() reads them), to standard output.
        QStringLiteral("verbose"),
        QStringLiteral("log-file=stdout"),
    };
    for (int i = 0; i < m_options.clients; ++i)
        lines << QStringLiteral("allowed-peer-ip=") + clientAddress(i);
    if (!m_options.udp)
        lines << QStringLiteral("no-udp");
    if (!m_options.tcp)
        lines << QStringLiteral("no-tcp");
    // coturn 4.6.1 reads its SQLite database even with a static secret, and makes the tables
    // when a thread first opens it: two requests at once then fail with "database is locked"
    // and a valid credential gets a 401. Made beforehand from coturn's own (empty) schema.
    QProcess sqlite;
    sqlite.setStandardInputFile(QString::fromLatin1(kSchema));
    sqlite.start(QStringLiteral("sqlite3"), {m_dir.filePath(QStringLiteral("turndb"))});
    if (!sqlite.waitForFinished(10000) || sqlite.exitStatus() != QProcess::NormalExit ||
        sqlite.exitCode() != 0)
        return QStringLiteral("Cannot make coturn's database with `sqlite3` from %1: %2 (are "
                              "Debian's coturn and sqlite3 installed?)")
            .arg(QString::fromLatin1(kSchema),
                 sqlite.errorString() + QString::fromLocal8Bit(sqlite.readAllStandardError()));
    QFile config(m_dir.filePath(QStringLiteral("turnserver.conf")));
    if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        !config.setPermissions(QFile::ReadOwner | QFile::WriteOwner) ||
        config.write((lines.join('\n') + '\n').toUtf8()) < 0)
        return QStringLiteral("Cannot write coturn's configuration into %1").arg(m_dir.path());
    return {};
}

QString CoturnProcess::start()
{
    if (::geteuid() != 0)
        return QStringLiteral("The TURN tests need root (they make a network namespace with "
                              "`ip netns`); run them as root, as CI does.");
    if (!QFileInfo(QString::fromLatin1(kTurnserver)).isExecutable())
        return QStringLiteral("%1 is missing: install Debian's `coturn` package "
                              "(scripts/dev installs it).")
            .arg(QString::fromLatin1(kTurnserver));
    if (!m_dir.isValid())
        return QStringLiteral("Cannot make a temporary directory for coturn's configuration.");
    if (QString e = writeConfig(); !e.isEmpty())
        return e;
    QList<int> clients;
    for (int i = 0; i < m_options.clients; ++i)
        clients << kFirstClient + i;
    if (QString e = m_net.setUp(clients); !e.isEmpty())
        return e;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_dir.filePath(QStringLiteral("turnserver.log")));
    // -c: this configuration only (never /etc/turnserver.conf). stdbuf: coturn's standard
    // output is a file here, which libc would buffer in 4 KiB blocks - the log would lag.
    m_process.start(QStringLiteral("ip"), {"netns", "exec", m_net.name(), "stdbuf", "-oL", "-eL",
                                           QString::fromLatin1(kTurnserver), "-c",
                                           m_dir.filePath(QStringLiteral("turnserver.conf"))});
    if (!m_process.waitForStarted(5000))
        return QStringLiteral("coturn did not start: %1").arg(m_process.errorString());
    return waitUntilListening();
}

QString CoturnProcess::waitUntilListening()
{
    QDeadlineTimer deadline(15000);
    bool udpUp = !m_options.udp;
    bool tcpUp = !m_options.tcp;
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning)
            return QStringLiteral("coturn exited at start (code %1). Log:\n%2")
                .arg(m_process.exitCode())
                .arg(logText().right(4000));
        if (!udpUp) {
            QUdpSocket probe;
            probe.writeDatagram(stunBindingRequest(), QHostAddress(m_net.innerAddress()),
                                quint16(m_options.port));
            udpUp = probe.waitForReadyRead(200) && probe.hasPendingDatagrams();
        }
        if (!tcpUp) {
            QTcpSocket probe;
            probe.connectToHost(m_net.innerAddress(), quint16(m_options.port));
            tcpUp = probe.waitForConnected(200);
        }
        if (udpUp && tcpUp)
            return {};
        QThread::msleep(100);
    }
    return QStringLiteral("coturn's listeners on %1:%2 (%3%4) did not answer within 15 s. Log:\n%5")
        .arg(m_net.innerAddress())
        .arg(m_options.port)
        .arg(udpUp ? QString() : QStringLiteral("UDP "), tcpUp ? QString() : QStringLiteral("TCP"))
        .arg(logText().right(4000));
}

void CoturnProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // `ip netns exec` execs stdbuf, which execs turnserver: this pid is coturn itself.
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString CoturnProcess::logText() const
{
    QFile f(m_dir.filePath(QStringLiteral("turnserver.log")));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("(no coturn log in %1)").arg(m_dir.path());
    return QString::fromUtf8(f.readAll());
}

int CoturnProcess::allocations(const QString& username) const
{
    const QString user = QStringLiteral("user <%1>").arg(username);
    int count = 0;
    for (const QString& line : logText().split('\n'))
        if (line.contains(QLatin1String("ALLOCATE processed, success")) &&
            (username.isEmpty() || line.contains(user)))
            ++count;
    return count;
}

int CoturnProcess::refusedCredentials() const
{
    return int(logText().count(QLatin1String("Cannot find credentials of user")));
}

} // namespace conclave::testsupport
