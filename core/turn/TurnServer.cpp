// SPDX-License-Identifier: GPL-3.0-or-later
#include "turn/TurnServer.h"

#include <QUrl>

namespace conclave::turn {

namespace {

constexpr int kDefaultTurnPort = 3478;

Error urlError(const QString& url, const char* why)
{
    return makeError("media.turn_url",
                     QStringLiteral("The TURN server address \"%1\" cannot be used: %2. Write it "
                                    "as turn:<host>[:<port>][?transport=udp|tcp].")
                         .arg(url, QLatin1String(why))
                         .toStdString(),
                     ErrorCategory::InvalidInput);
}

bool isHostName(QStringView host)
{
    if (host.isEmpty() || host.size() > 253 || host.startsWith(u'.') || host.startsWith(u'-'))
        return false;
    for (QChar c : host)
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != u'.' && c != u'-')
            return false;
    return true;
}

bool isBracketedIpv6(QStringView host)
{
    if (host.size() < 4 || !host.startsWith(u'[') || !host.endsWith(u']'))
        return false;
    for (QChar c : host.mid(1, host.size() - 2))
        if (!(c.isDigit() || (c.toLower() >= u'a' && c.toLower() <= u'f') || c == u':' ||
              c == u'.'))
            return false;
    return host.contains(u':');
}

} // namespace

Result<TurnAddress> parseTurnUrl(const QString& url)
{
    const qsizetype colon = url.indexOf(u':');
    if (colon <= 0)
        return urlError(url, "it has no scheme");
    const QString scheme = url.left(colon).toLower();
    if (scheme == QLatin1String("turns"))
        return makeError(
            "media.turns_unsupported",
            QStringLiteral("The TURN server \"%1\" asks for TURN over TLS (turns:), which this "
                           "client cannot do: its ICE library (libnice 0.1.21) opens a plain TCP "
                           "connection for it and never does TLS. Use TURN over TCP instead, on "
                           "port 443 where only that port is open (turn:<host>:443?transport="
                           "tcp): media stays DTLS-SRTP- and SFrame-encrypted end to end, the "
                           "TURN server sees only addresses and encrypted packets.")
                .arg(url)
                .toStdString(),
            ErrorCategory::InvalidInput);
    if (scheme != QLatin1String("turn"))
        return urlError(url, "only turn: servers are supported");
    QString rest = url.mid(colon + 1);
    if (rest.startsWith(QLatin1String("//")))
        return urlError(url, "a TURN address has no \"//\" after the scheme");

    QString transport;
    if (const qsizetype query = rest.indexOf(u'?'); query >= 0) {
        const QString parameters = rest.mid(query + 1);
        rest.truncate(query);
        if (parameters == QLatin1String("transport=udp"))
            transport = QStringLiteral("udp");
        else if (parameters == QLatin1String("transport=tcp"))
            transport = QStringLiteral("tcp");
        else
            return urlError(url, "the only parameter allowed is transport=udp or transport=tcp");
    }

    QString host = rest;
    QString portText;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u']');
        if (close < 0)
            return urlError(url, "its IPv6 address has no closing \"]\"");
        host = rest.left(close + 1);
        const QString after = rest.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':'))
                return urlError(url, "something follows its IPv6 address that is not a port");
            portText = after.mid(1);
        }
        if (!isBracketedIpv6(host))
            return urlError(url, "its IPv6 address is malformed");
    } else {
        if (const qsizetype portColon = rest.indexOf(u':'); portColon >= 0) {
            host = rest.left(portColon);
            portText = rest.mid(portColon + 1);
        }
        if (!isHostName(host))
            return urlError(url, "its host is missing or not a host name or IP address");
    }
    int port = kDefaultTurnPort;
    if (!portText.isNull()) {
        bool number = false;
        port = portText.toInt(&number);
        if (!number || port < 1 || port > 65535 || !portText.front().isDigit())
            return urlError(url, "its port is not a number from 1 to 65535");
    }
    return TurnAddress{host, port, transport};
}

Result<QString> webrtcbinTurnUri(const TurnServer& server)
{
    const QString& url = server.url;
    auto address = parseTurnUrl(url);
    if (!address)
        return address.error();

    if (server.username.isEmpty() || server.credential.isEmpty())
        return makeError("media.turn_credentials",
                         QStringLiteral("The TURN server \"%1\" has no username or credential; "
                                        "a TURN server relays only for those it can "
                                        "authenticate.")
                             .arg(url)
                             .toStdString(),
                         ErrorCategory::InvalidInput);

    // Joined, not QString::arg: the encoded text holds '%' sequences arg would replace.
    QString uri = QStringLiteral("turn://") +
                  QString::fromLatin1(QUrl::toPercentEncoding(server.username)) + u':' +
                  QString::fromLatin1(QUrl::toPercentEncoding(server.credential)) + u'@' +
                  address->host + u':' + QString::number(address->port);
    if (!address->transport.isEmpty())
        uri += QStringLiteral("?transport=") + address->transport;
    return uri;
}

Result<void> checkTurnServers(const std::vector<TurnServer>& servers, bool relayOnly)
{
    for (const TurnServer& server : servers)
        if (auto uri = webrtcbinTurnUri(server); !uri)
            return uri.error();
    if (relayOnly && servers.empty())
        return makeError("media.turn_required",
                         "Media is to go only through a TURN relay, but no TURN server was "
                         "given: no media could flow. Give this member a TURN server (with its "
                         "credentials) or allow direct connections.",
                         ErrorCategory::InvalidInput);
    return {};
}

} // namespace conclave::turn
