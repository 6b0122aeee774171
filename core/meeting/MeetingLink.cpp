// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/MeetingLink.h"

#include "protocol/CborReader.h"

#include <QCborMap>

#include <chrono>

namespace conclave::meeting {
namespace {

constexpr const char* kKind = "meeting-link";
constexpr const char* kPrefix = "conclave:meeting:";

} // namespace

QString MeetingLink::toLink(const crypto::Ed25519SigningKey& chairKey) const
{
    QCborMap m;
    m.insert(QStringLiteral("meeting"), meetingId);
    m.insert(QStringLiteral("hub"), hubUrl);
    m.insert(QStringLiteral("hub_pin"), hubPin);
    m.insert(
        QStringLiteral("expires"),
        qint64(
            std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count()));
    const SignedObject signedLink =
        SignedObject::sign(QString::fromLatin1(kKind), QCborValue(m).toCbor(), chairKey);
    return QString::fromLatin1(kPrefix) +
           QString::fromLatin1(signedLink.encode().toBase64(QByteArray::Base64UrlEncoding |
                                                            QByteArray::OmitTrailingEquals));
}

Result<std::pair<MeetingLink, crypto::Ed25519PublicKey>> MeetingLink::fromLink(const QString& link)
{
    const QString trimmed = link.trimmed();
    if (!trimmed.startsWith(QLatin1String(kPrefix)) || trimmed.size() > 4096)
        return makeError(
            "link.malformed",
            "this is not a Conclave meeting link (it should start with 'conclave:meeting:')");
    const auto bytes = QByteArray::fromBase64Encoding(
        trimmed.mid(qsizetype(strlen(kPrefix))).toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes)
        return makeError("link.malformed", "the meeting link is damaged; copy it again in full");
    auto object = SignedObject::decode(*bytes, QString::fromLatin1(kKind));
    if (!object)
        return object.error();
    if (!object->verify())
        return makeError("link.bad_signature",
                         "the meeting link was altered after the chair signed it");
    auto map =
        protocol::decodeCanonicalMap(object->body, SignedObject::kMaxBytes, "the meeting link");
    if (!map)
        return map.error();
    protocol::CborReader r(*map, "meeting-link");
    r.expectKeys({"meeting", "hub", "hub_pin", "expires"});
    MeetingLink l;
    l.meetingId = r.exactBytes("meeting", 16);
    l.hubUrl = r.text("hub", 256);
    l.hubPin = r.text("hub_pin", 64);
    l.expires = TimePoint(std::chrono::seconds(r.unsignedInt("expires", uint64_t{1} << 40)));
    if (r.error())
        return *r.error();
    if (!l.hubUrl.startsWith(QLatin1String("wss://")))
        return makeError("protocol.invalid",
                         "meeting-link: the hub address must start with wss://");
    return std::make_pair(l, object->signer);
}

} // namespace conclave::meeting
