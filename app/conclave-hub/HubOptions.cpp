// SPDX-License-Identifier: GPL-3.0-or-later
#include "HubOptions.h"

#include "CommandParser.h"
#include "ExitCode.h"

#include <QFile>

#include <cmath>

namespace conclave::app {
namespace {

struct Numeric {
    const char* name;
    const char* help;
    double min;
    double max;
    bool whole;
};

constexpr Numeric kNumbers[] = {
    {"max-lobby", "Knockers that may wait per meeting (default 50).", 1, 100000, true},
    {"knock-rate", "Knocks per second allowed per source address (default 10).", 0.01, 1e6, false},
    {"knock-burst", "Knocks a source may send at once before the rate applies (default 20).", 1,
     1e6, false},
    {"max-connections-per-source", "Concurrent connections per source address (default 64).", 1,
     1000000, true},
    {"max-connections", "Concurrent connections in total (default 1000).", 1, 1000000, true},
    {"max-meetings", "Meetings hosted at once (default 1000).", 1, 1000000, true},
    {"max-pending-per-source",
     "Connections per source address still in the TLS or WebSocket handshake (default 16).", 1,
     1000000, true},
    {"max-pending", "Connections still in the TLS or WebSocket handshake in total (default 512).",
     1, 1000000, true},
    {"knocker-timeout", "Seconds a knock may wait unanswered (default 300).", 1, 86400, true},
    {"message-rate-scale",
     "Multiplies every per-type message rate and burst (docs/protocol.md §6; default 1), e.g. "
     "for load tests.",
     0.1, 1e6, false},
};

/// "127.0.0.1:8443", "[::1]:0", "localhost:8443" -> host text, address, port.
bool parseListen(const QString& text, HubOptions& options)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return false;
    options.host = host;
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    options.address = host == QLatin1String("localhost") ? QHostAddress(QHostAddress::LocalHost)
                                                         : QHostAddress(host);
    options.port = quint16(port);
    return !options.address.isNull();
}

void applyNumber(HubOptions& o, const QString& name, double v)
{
    auto& l = o.limits;
    if (name == QLatin1String("max-lobby"))
        l.maxLobby = int(v);
    else if (name == QLatin1String("knock-rate"))
        l.knockRate = v;
    else if (name == QLatin1String("knock-burst"))
        l.knockBurst = v;
    else if (name == QLatin1String("max-connections-per-source"))
        l.maxConnectionsPerSource = int(v);
    else if (name == QLatin1String("max-connections"))
        l.maxConnections = int(v);
    else if (name == QLatin1String("max-meetings"))
        l.maxMeetings = int(v);
    else if (name == QLatin1String("max-pending-per-source"))
        l.maxPendingPerSource = int(v);
    else if (name == QLatin1String("max-pending"))
        l.maxPending = int(v);
    else if (name == QLatin1String("knocker-timeout"))
        l.knockerTimeout = std::chrono::seconds(qint64(v));
    else if (name == QLatin1String("message-rate-scale"))
        for (size_t t = 0; t < hub::MessageRates::kTypes; ++t) {
            const auto type = protocol::MessageType(t);
            const hub::MessageRate r = l.messageRates[type];
            l.messageRates.set(type, {r.perSecond * v, r.burst * v});
        }
}

} // namespace

std::variant<HubOptions, int> HubOptions::parse(const QStringList& args, const JsonLineWriter& out)
{
    CommandParser cmd(QStringLiteral("conclave-hub"),
                      QStringLiteral("The Conclave meeting hub: a WebSocket server over TLS that "
                                     "keeps the waiting room and relays signed meeting messages. "
                                     "Prints one JSON object per line; the first is "
                                     "{\"event\":\"listening\",\"url\":...,\"spki\":...}."),
                      out);
    cmd.addOption({QStringLiteral("listen"),
                   QStringLiteral("Address and port to listen on (port 0 picks one)."),
                   QStringLiteral("HOST:PORT")});
    cmd.addOption({QStringLiteral("data"),
                   QStringLiteral("Directory for the hub's TLS key and certificate (made on "
                                  "first run)."),
                   QStringLiteral("DIR")});
    cmd.addOption({QStringLiteral("config"),
                   QStringLiteral("Policy and trust-anchor directory; with --backend the hub "
                                  "hosts only markings the policy approves on that backend."),
                   QStringLiteral("DIR")});
    cmd.addOption({QStringLiteral("backend"),
                   QStringLiteral("This hub's backend id in the policy."), QStringLiteral("ID")});
    cmd.addOption({QStringLiteral("janus"),
                   QStringLiteral("For a hub+janus backend: a JSON file listing the Janus "
                                  "instances (wss URL, pin, admin key and API secret files) on "
                                  "which the hub makes each meeting's media room "
                                  "(docs/operations.md)."),
                   QStringLiteral("FILE")});
    cmd.addOption({QStringLiteral("turn-secret-file"),
                   QStringLiteral("A file (chmod 600) holding the static-auth-secret this hub "
                                  "shares with the backend's TURN servers (coturn "
                                  "use-auth-secret): members get short-lived TURN credentials "
                                  "for the servers the policy lists (docs/operations.md)."),
                   QStringLiteral("FILE")});
    cmd.addOption({QStringLiteral("allow-chair"),
                   QStringLiteral("A chair who may open meetings on this hub: the identity "
                                  "fingerprint `conclave-cli identity` prints (quote the "
                                  "spaces) or the identity key in hex. Repeat for more."),
                   QStringLiteral("FINGERPRINT")});
    cmd.addOption({QStringLiteral("allow-chairs"),
                   QStringLiteral("A file of chairs who may open meetings, one fingerprint or "
                                  "identity key a line ('#' starts a comment)."),
                   QStringLiteral("FILE")});
    cmd.addOption({QStringLiteral("allow-any-chair"),
                   QStringLiteral("For test laboratories only: any correctly signed chair may "
                                  "open meetings here.")});
    for (const Numeric& n : kNumbers)
        cmd.addOption({QLatin1String(n.name), QLatin1String(n.help), QStringLiteral("N")});
    if (auto stop = cmd.parse(args, 0))
        return *stop;
    if (auto stop = cmd.requireOptions({QStringLiteral("listen"), QStringLiteral("data")}))
        return *stop;
    const auto usage = [&](const QString& message) {
        out.writeFailure(
            "error", Error{"usage", "conclave-hub: " + message.toStdString() + " (see --help)"});
        return int(kExitInvalidInput);
    };
    const QCommandLineParser& p = cmd.parser();
    HubOptions o;
    if (!parseListen(p.value(QStringLiteral("listen")), o))
        return usage(QStringLiteral("--listen must be HOST:PORT with an IP address (or "
                                    "localhost) and a port from 0 to 65535"));
    o.dataDir = p.value(QStringLiteral("data"));
    o.configDir = p.value(QStringLiteral("config"));
    o.backendId = p.value(QStringLiteral("backend"));
    o.janusInstances = p.value(QStringLiteral("janus"));
    o.turnSecretFile = p.value(QStringLiteral("turn-secret-file"));
    if (o.configDir.isEmpty() != o.backendId.isEmpty())
        return usage(QStringLiteral("--config and --backend go together"));
    QStringList chairs = p.values(QStringLiteral("allow-chair"));
    if (p.isSet(QStringLiteral("allow-chairs"))) {
        QFile file(p.value(QStringLiteral("allow-chairs")));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            return usage(QStringLiteral("cannot read --allow-chairs %1: %2")
                             .arg(file.fileName(), file.errorString()));
        for (const QByteArray& raw : file.readAll().split('\n')) {
            const QString line = QString::fromUtf8(raw).section(QLatin1Char('#'), 0, 0).trimmed();
            if (!line.isEmpty())
                chairs << line;
        }
    }
    for (const QString& chair : chairs)
        if (auto added = o.limits.allowedChairs.add(chair); !added)
            return usage(QString::fromStdString(added.error().message));
    o.limits.allowAnyChair = p.isSet(QStringLiteral("allow-any-chair"));
    for (const Numeric& n : kNumbers) {
        const QString name = QLatin1String(n.name);
        if (!p.isSet(name))
            continue;
        bool ok = false;
        const double v = p.value(name).toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < n.min || v > n.max || (n.whole && v != std::floor(v)))
            return usage(
                QStringLiteral("--%1 must be a %2 from %3 to %4")
                    .arg(name, n.whole ? QStringLiteral("whole number") : QStringLiteral("number"))
                    .arg(n.min)
                    .arg(n.max));
        applyNumber(o, name, v);
    }
    return o;
}

} // namespace conclave::app
