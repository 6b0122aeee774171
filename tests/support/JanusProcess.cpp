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

#include <csignal>
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

bool writeFile(const QString& path, const QString& text)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(text.toUtf8()) == text.toUtf8().size();
}

} // namespace

JanusProcess::JanusProcess() : JanusProcess(Options{}) {}

JanusProcess::JanusProcess(Options options)
    : m_options(options), m_net(QStringLiteral("janus"), 77, QStringLiteral("cj")),
      m_adminKey(randomSecret())
{
    if (m_options.apiSecret)
        m_apiSecret = randomSecret();
}

JanusProcess::~JanusProcess()
{
    kill();
}

QUrl JanusProcess::wsUrl() const
{
    return QUrl(QStringLiteral("ws://%1:%2/").arg(m_net.innerAddress()).arg(kWsPort));
}

QUrl JanusProcess::wssUrl() const
{
    return QUrl(QStringLiteral("wss://%1:%2/").arg(m_net.innerAddress()).arg(kWssPort));
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
                 m_net.innerInterface(), m_net.innerAddress());
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
            .arg(m_net.innerAddress())
            .arg(kWssPort)
            .arg(root.filePath(QStringLiteral("tls/hub-cert.pem")),
                 root.filePath(QStringLiteral("tls/hub-key.pem")));
    if (!writeFile(conf + "/janus.jcfg", general) ||
        !writeFile(conf + "/janus.plugin.videoroom.jcfg", videoroom) ||
        !writeFile(conf + "/janus.transport.websockets.jcfg", websockets))
        return QStringLiteral("Cannot write Janus configuration into %1").arg(conf);
    return {};
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
    if (QString e = m_net.setUp(); !e.isEmpty())
        return e;
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.start(QStringLiteral("ip"),
                    {"netns", "exec", m_net.name(), QString::fromLatin1(kJanus), "--configs-folder",
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
        probe.connectToHost(m_net.innerAddress(), kWsPort);
        secure.connectToHost(m_net.innerAddress(), kWssPort);
        if (probe.waitForConnected(200) && secure.waitForConnected(200))
            return {};
        QThread::msleep(100);
    }
    return QStringLiteral("Janus's WebSocket ports %1:%2 and %3 did not answer within 15 s. "
                          "Log:\n%4")
        .arg(m_net.innerAddress())
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
