// SPDX-License-Identifier: GPL-3.0-or-later
#include "JanusProcess.h"

#include "tls/TlsIdentity.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStringList>
#include <QTcpSocket>
#include <QThread>

#include <cerrno>
#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace conclave::testsupport {

namespace {

constexpr auto kJanus = "/usr/bin/janus";
constexpr auto kLibDir = "/usr/lib/x86_64-linux-gnu/janus";
constexpr int kWsPort = 8188;
constexpr int kWssPort = 8989;

QString randomHex(int bytes)
{
    QByteArray raw(bytes, '\0');
    for (auto& b : raw)
        b = static_cast<char>(QRandomGenerator::system()->bounded(256));
    return QString::fromLatin1(raw.toHex());
}

QString randomSecret()
{
    return randomHex(32);
}

/// Runs `ip ...`; an empty string on success, otherwise the command and its error output.
QString ip(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral("ip"), args);
    if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral("`ip %1` failed: %2")
            .arg(args.join(' '), QString::fromLocal8Bit(p.readAllStandardError()).trimmed());
    return {};
}

bool writeFile(const QString& path, const QString& text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(text.toUtf8()) == text.toUtf8().size();
}

} // namespace

JanusProcess::JanusProcess() : JanusProcess(Options{}) {}

JanusProcess::JanusProcess(Options options) : m_options(options)
{
    const QString tag = randomHex(3);
    m_namespace = QStringLiteral("conclave-janus-") + tag;
    m_hostVeth = QStringLiteral("cjh") + tag; // interface names: at most 15 characters
    m_nsVeth = QStringLiteral("cjn") + tag;
    // A 10.77.<n>.0/24 this machine does not use yet (a real network, or another fixture's
    // that is up) and that no other fixture has claimed (made, not yet started: two made at
    // once, in one test or two, would otherwise pick alike now and then).
    QProcess addrs;
    addrs.start(QStringLiteral("ip"), {"-o", "-4", "addr", "show"});
    addrs.waitForFinished(5000);
    const QString inUse = QString::fromLocal8Bit(addrs.readAllStandardOutput());
    int subnet = 0;
    for (int attempt = 0; attempt < 100; ++attempt) {
        subnet = static_cast<int>(QRandomGenerator::system()->bounded(1, 255));
        if (!inUse.contains(QStringLiteral(" 10.77.%1.").arg(subnet)) && claimSubnet(subnet))
            break;
    }
    m_hostAddress = QStringLiteral("10.77.%1.1").arg(subnet);
    m_nsAddress = QStringLiteral("10.77.%1.2").arg(subnet);
    m_adminKey = randomSecret();
    if (m_options.apiSecret)
        m_apiSecret = randomSecret();
}

JanusProcess::~JanusProcess()
{
    kill();
    tearDownNetwork();
    if (!m_claim.isEmpty())
        QFile::remove(m_claim);
}

bool JanusProcess::claimSubnet(int subnet)
{
    // One file per subnet, made only if absent: the claim is atomic across processes. A claim
    // whose process is gone (a test killed) is taken over.
    const QString path =
        QDir::temp().filePath(QStringLiteral("conclave-janus-subnet-%1").arg(subnet));
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

QUrl JanusProcess::wsUrl() const
{
    return QUrl(QStringLiteral("ws://%1:%2/").arg(m_nsAddress).arg(kWsPort));
}

QUrl JanusProcess::wssUrl() const
{
    return QUrl(QStringLiteral("wss://%1:%2/").arg(m_nsAddress).arg(kWssPort));
}

QString JanusProcess::logPath() const
{
    return m_dir.filePath(QStringLiteral("janus.log"));
}

QString JanusProcess::logTail(int lines) const
{
    QFile f(logPath());
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("(no Janus log at %1)").arg(logPath());
    const QStringList all = QString::fromUtf8(f.readAll()).split('\n');
    return all.mid(std::max<qsizetype>(0, all.size() - lines)).join('\n');
}

QString JanusProcess::writeConfig()
{
    const QDir root(m_dir.path());
    for (const char* sub : {"conf", "plugins", "transports", "events", "loggers"})
        if (!root.mkpath(QString::fromLatin1(sub)))
            return QStringLiteral("Cannot make %1 in %2").arg(sub, root.path());
    // Only the two modules the hub uses: no other plugin or transport is even loadable.
    const QString lib = QString::fromLatin1(kLibDir);
    const QStringList links{QStringLiteral("plugins/libjanus_videoroom.so"),
                            QStringLiteral("transports/libjanus_websockets.so")};
    for (const QString& rel : links)
        if (!QFile::link(lib + '/' + rel, root.filePath(rel)))
            return QStringLiteral("Cannot link %1/%2 (is Debian's janus package installed?)")
                .arg(lib, rel);
    const QString conf = root.filePath(QStringLiteral("conf"));
    const QString general =
        QStringLiteral("general: {\n"
                       "  configs_folder = \"%1\"\n"
                       "  plugins_folder = \"%2\"\n"
                       "  transports_folder = \"%3\"\n"
                       "  events_folder = \"%4\"\n"
                       "  loggers_folder = \"%5\"\n"
                       "  debug_level = 4\n"
                       "  session_timeout = %6\n"
                       "%7"
                       "  server_name = \"conclave-test\"\n"
                       "  interface = \"%9\"\n"
                       "}\n"
                       "media: {\n  rtp_port_range = \"40000-40099\"\n}\n"
                       "nat: {\n  ice_enforce_list = \"%8\"\n  ignore_mdns = true\n}\n"
                       "plugins: {\n}\ntransports: {\n}\n"
                       "events: {\n  broadcast = false\n}\n")
            .arg(conf, root.filePath(QStringLiteral("plugins")),
                 root.filePath(QStringLiteral("transports")),
                 root.filePath(QStringLiteral("events")), root.filePath(QStringLiteral("loggers")))
            .arg(m_options.sessionTimeoutSeconds)
            .arg(m_apiSecret.isEmpty() ? QString()
                                       : QStringLiteral("  api_secret = \"%1\"\n").arg(m_apiSecret),
                 m_nsVeth, m_nsAddress);
    // No static rooms; only holders of the admin key may create rooms.
    const QString videoroom =
        QStringLiteral("general: {\n  admin_key = \"%1\"\n  lock_rtp_forward = true\n}\n")
            .arg(m_adminKey);
    // A fresh TLS key and self-signed certificate per fixture (the hub's kind: P-256), which
    // clients trust only through its pin, as they would a remote Janus listed in the policy.
    auto identity = tls::TlsIdentity::loadOrCreate(root.filePath(QStringLiteral("tls")),
                                                   QStringLiteral("conclave-test-janus"));
    if (!identity)
        return QStringLiteral("Cannot make Janus's TLS key: %1")
            .arg(QString::fromStdString(identity.error().message));
    m_spkiPin = identity->spkiPin;
    // wss and plain ws, bound to the namespace's own address: inside a private namespace only
    // this test can reach them (plain ws only for the tests that show it is refused). No admin
    // API.
    const QString websockets =
        QStringLiteral("general: {\n  json = \"compact\"\n  ws = true\n  ws_port = %1\n"
                       "  ws_ip = \"%2\"\n  wss = true\n  wss_port = %3\n  wss_ip = \"%2\"\n}\n"
                       "admin: {\n  admin_ws = false\n  admin_wss = false\n}\n"
                       "certificates: {\n  cert_pem = \"%4\"\n  cert_key = \"%5\"\n}\n")
            .arg(kWsPort)
            .arg(m_nsAddress)
            .arg(kWssPort)
            .arg(root.filePath(QStringLiteral("tls/hub-cert.pem")),
                 root.filePath(QStringLiteral("tls/hub-key.pem")));
    if (!writeFile(conf + "/janus.jcfg", general) ||
        !writeFile(conf + "/janus.plugin.videoroom.jcfg", videoroom) ||
        !writeFile(conf + "/janus.transport.websockets.jcfg", websockets))
        return QStringLiteral("Cannot write Janus configuration into %1").arg(conf);
    return {};
}

QString JanusProcess::setUpNetwork()
{
    if (QString e = ip({"netns", "add", m_namespace}); !e.isEmpty())
        return e;
    m_networkUp = true;
    const QString ns = m_namespace;
    const QList<QStringList> steps{
        {"link", "add", m_hostVeth, "type", "veth", "peer", "name", m_nsVeth},
        {"link", "set", m_nsVeth, "netns", ns},
        {"addr", "add", m_hostAddress + "/24", "dev", m_hostVeth},
        {"link", "set", m_hostVeth, "up"},
        {"netns", "exec", ns, "ip", "addr", "add", m_nsAddress + "/24", "dev", m_nsVeth},
        {"netns", "exec", ns, "ip", "link", "set", m_nsVeth, "up"},
        {"netns", "exec", ns, "ip", "link", "set", "lo", "up"},
    };
    for (const QStringList& step : steps)
        if (QString e = ip(step); !e.isEmpty())
            return e;
    return {};
}

void JanusProcess::tearDownNetwork()
{
    if (!m_networkUp)
        return;
    m_networkUp = false;
    (void)ip({"link", "del", m_hostVeth}); // removes its peer too
    (void)ip({"netns", "del", m_namespace});
}

QString JanusProcess::start()
{
    if (::geteuid() != 0)
        return QStringLiteral("The Janus tests need root (they make a network namespace with "
                              "`ip netns`); run them as root, as CI does.");
    if (!QFileInfo(QString::fromLatin1(kJanus)).isExecutable())
        return QStringLiteral("%1 is missing: install Debian's `janus` package "
                              "(./scripts/dev setup installs it).")
            .arg(kJanus);
    if (!m_dir.isValid())
        return QStringLiteral("Cannot make a temporary directory for Janus's configuration.");
    if (QString e = writeConfig(); !e.isEmpty())
        return e;
    if (QString e = setUpNetwork(); !e.isEmpty())
        return e;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.start(QStringLiteral("ip"),
                    {"netns", "exec", m_namespace, QString::fromLatin1(kJanus), "--configs-folder",
                     m_dir.filePath("conf"), "--config", m_dir.filePath("conf/janus.jcfg"),
                     "--plugins-folder", m_dir.filePath("plugins"), "--log-file", logPath(),
                     "--disable-stdout", "--disable-colors"});
    if (!m_process.waitForStarted(5000))
        return QStringLiteral("Janus did not start: %1").arg(m_process.errorString());
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (m_process.state() == QProcess::NotRunning)
            return QStringLiteral("Janus exited at start (code %1). Log:\n%2")
                .arg(m_process.exitCode())
                .arg(logTail());
        QTcpSocket probe, secure;
        probe.connectToHost(m_nsAddress, kWsPort);
        secure.connectToHost(m_nsAddress, kWssPort);
        if (probe.waitForConnected(200) && secure.waitForConnected(200))
            return {};
        QThread::msleep(100);
    }
    return QStringLiteral("Janus's WebSocket ports %1:%2 and %3 did not answer within 15 s. "
                          "Log:\n%4")
        .arg(m_nsAddress)
        .arg(kWsPort)
        .arg(kWssPort)
        .arg(logTail());
}

void JanusProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // `ip netns exec` execs janus, so this pid is Janus itself.
    m_process.kill();
    m_process.waitForFinished(5000);
}

void JanusProcess::freeze()
{
    if (m_process.state() == QProcess::Running)
        ::kill(static_cast<pid_t>(m_process.processId()), SIGSTOP);
}

void JanusProcess::thaw()
{
    if (m_process.state() == QProcess::Running)
        ::kill(static_cast<pid_t>(m_process.processId()), SIGCONT);
}

} // namespace conclave::testsupport
