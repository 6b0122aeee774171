// SPDX-License-Identifier: GPL-3.0-or-later
#include "media/SignalMessage.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace conclave::media {
namespace {

Error bad(const std::string& why)
{
    return makeError("media.bad_signal", "a media set-up message from a peer was refused: " + why);
}

} // namespace

QByteArray SignalMessage::encode() const
{
    QJsonObject o;
    switch (type) {
    case Type::Offer:
    case Type::Answer:
        o.insert(QStringLiteral("type"),
                 type == Type::Offer ? QStringLiteral("offer") : QStringLiteral("answer"));
        o.insert(QStringLiteral("sdp"), sdp);
        break;
    case Type::Ice:
        o.insert(QStringLiteral("type"), QStringLiteral("ice"));
        o.insert(QStringLiteral("mline"), mline);
        o.insert(QStringLiteral("candidate"), candidate);
        break;
    case Type::Restart:
        o.insert(QStringLiteral("type"), QStringLiteral("restart"));
        break;
    }
    if (link > 0)
        o.insert(QStringLiteral("link"), qint64(link));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<SignalMessage> SignalMessage::decode(const QByteArray& bytes)
{
    if (bytes.size() > kMaxBytes)
        return bad("it is larger than any session description");
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return bad("it is not a JSON object");
    QJsonObject o = doc.object();
    const QString type = o.value(QStringLiteral("type")).toString();
    SignalMessage m;
    if (o.contains(QStringLiteral("link"))) {
        const QJsonValue link = o.take(QStringLiteral("link"));
        const double g = link.toDouble(-1);
        if (!link.isDouble() || g < 1 || g > 1e6 || g != double(uint32_t(g)))
            return bad("the link number is not a whole number from 1 to 1000000");
        m.link = uint32_t(g);
    }
    if (type == QLatin1String("restart")) {
        if (o.size() != 1)
            return bad("a restart request has only 'type' (and 'link')");
        m.type = Type::Restart;
        return m;
    }
    if (type == QLatin1String("offer") || type == QLatin1String("answer")) {
        if (o.size() != 2 || !o.value(QStringLiteral("sdp")).isString())
            return bad("an offer or answer has exactly 'type' and 'sdp'");
        m.type = type == QLatin1String("offer") ? Type::Offer : Type::Answer;
        m.sdp = o.value(QStringLiteral("sdp")).toString();
        if (!m.sdp.startsWith(QLatin1String("v=0")))
            return bad("the session description does not start with v=0");
        return m;
    }
    if (type == QLatin1String("ice")) {
        const QJsonValue mline = o.value(QStringLiteral("mline"));
        if (o.size() != 3 || !mline.isDouble() || !o.value(QStringLiteral("candidate")).isString())
            return bad("an ICE candidate has exactly 'type', 'mline' and 'candidate'");
        const double index = mline.toDouble();
        if (index < 0 || index > 15 || index != double(int(index)))
            return bad("the m-line index is not a small whole number");
        m.type = Type::Ice;
        m.mline = int(index);
        m.candidate = o.value(QStringLiteral("candidate")).toString();
        if (m.candidate.size() > 1024 || m.candidate.contains(QLatin1Char('\n')))
            return bad("the ICE candidate is not one line");
        return m;
    }
    return bad("unknown type '" + type.toStdString() + "'");
}

} // namespace conclave::media
