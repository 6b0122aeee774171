// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/InviteToken.h"

#include "common/Iso8601.h"
#include "protocol/CborReader.h"

#include <QCborMap>

#include <chrono>

namespace conclave::meeting {
namespace {

constexpr const char* kKind = "invite";
constexpr const char* kLinkPrefix = "conclave:invite:";
constexpr qsizetype kMaxLinkChars = 4096;

qint64 unixSeconds(TimePoint t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

} // namespace

SignedObject InviteToken::sign(const crypto::Ed25519SigningKey& chairKey) const
{
    QCborMap m;
    m.insert(QStringLiteral("meeting"), meetingId);
    m.insert(QStringLiteral("invite"), inviteId);
    m.insert(QStringLiteral("name"), name);
    m.insert(QStringLiteral("identity"),
             identity ? QByteArray(reinterpret_cast<const char*>(identity->bytes.data()), 32)
                      : QByteArray());
    m.insert(QStringLiteral("expires"), unixSeconds(expires));
    m.insert(QStringLiteral("hub"), hubUrl);
    m.insert(QStringLiteral("hub_pin"), hubPin);
    return SignedObject::sign(QString::fromLatin1(kKind), QCborValue(m).toCbor(), chairKey);
}

Result<std::pair<InviteToken, crypto::Ed25519PublicKey>>
InviteToken::fromSigned(const QByteArray& bytes)
{
    auto object = SignedObject::decode(bytes, QString::fromLatin1(kKind));
    if (!object)
        return object.error();
    if (!object->verify())
        return makeError("invite.bad_signature",
                         "the invite's signature does not verify: it was altered after the chair "
                         "signed it; ask the chair for a new invite");
    auto map = protocol::decodeCanonicalMap(object->body, SignedObject::kMaxBytes, "the invite");
    if (!map)
        return map.error();
    protocol::CborReader r(*map, "invite");
    r.expectKeys({"meeting", "invite", "name", "identity", "expires", "hub", "hub_pin"});
    InviteToken t;
    t.meetingId = r.exactBytes("meeting", 16);
    t.inviteId = r.exactBytes("invite", 16);
    t.name = r.text("name", 128);
    const QByteArray identity = r.bytes("identity", 0, 32);
    t.expires = TimePoint(std::chrono::seconds(r.unsignedInt("expires", uint64_t{1} << 40)));
    t.hubUrl = r.text("hub", 256);
    t.hubPin = r.text("hub_pin", 64);
    if (r.error())
        return *r.error();
    if (!identity.isEmpty() && identity.size() != 32)
        return makeError("protocol.invalid", "invite: 'identity' is empty or 32 bytes");
    if (!identity.isEmpty()) {
        crypto::Ed25519PublicKey key;
        std::copy(identity.begin(), identity.end(), key.bytes.begin());
        t.identity = key;
    }
    if (t.name.trimmed().isEmpty())
        return makeError("protocol.invalid", "invite: the invitee's name is empty");
    if (!t.hubUrl.startsWith(QLatin1String("wss://")))
        return makeError("protocol.invalid", "invite: the hub address must start with wss://");
    return std::make_pair(t, object->signer);
}

QString InviteToken::toLink(const SignedObject& signedInvite)
{
    return QString::fromLatin1(kLinkPrefix) +
           QString::fromLatin1(signedInvite.encode().toBase64(QByteArray::Base64UrlEncoding |
                                                              QByteArray::OmitTrailingEquals));
}

Result<QByteArray> InviteToken::bytesFromLink(const QString& link)
{
    const QString trimmed = link.trimmed();
    if (trimmed.size() > kMaxLinkChars)
        return makeError("invite.malformed", "the invite is longer than any Conclave invite");
    if (!trimmed.startsWith(QLatin1String(kLinkPrefix)))
        return makeError("invite.malformed",
                         "this is not a Conclave invite (it should start with 'conclave:invite:')");
    const auto decoded = QByteArray::fromBase64Encoding(
        trimmed.mid(qsizetype(strlen(kLinkPrefix))).toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return makeError(
            "invite.malformed",
            "the invite is damaged (it is not valid base64url); copy it again in full");
    return *decoded;
}

Result<void> InviteToken::checkUsable(const QByteArray& forMeeting, TimePoint now) const
{
    if (meetingId != forMeeting)
        return makeError("invite.wrong_meeting", "this invite is for a different meeting");
    if (now >= expires)
        return makeError("invite.expired", "this invite expired at " + formatUtcTimestamp(expires) +
                                               "; ask the chair for a new one");
    return {};
}

} // namespace conclave::meeting
