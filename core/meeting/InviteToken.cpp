// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/InviteToken.h"

#include "common/Iso8601.h"
#include "meeting/DisplayName.h"
#include "protocol/CborReader.h"

#include <QCborMap>
#include <QStringList>

#include <chrono>
#include <optional>

namespace conclave::meeting {
namespace {

constexpr const char* kKind = "invite";
constexpr const char* kLinkPrefix = "conclave:invite:";
constexpr const char* kProofContext = "conclave invite redeem v1";
constexpr qsizetype kMaxLinkChars = 4096;

crypto::Bytes proofMessage(const QByteArray& inviteId, const QByteArray& announcement)
{
    const QByteArray message = QByteArray(kProofContext) + inviteId + announcement;
    return crypto::Bytes(message.begin(), message.end());
}

std::optional<QByteArray> fromBase64Url(const QString& text)
{
    auto decoded = QByteArray::fromBase64Encoding(
        text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

QString toBase64Url(const QByteArray& bytes)
{
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

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
    m.insert(QStringLiteral("redeem"),
             QByteArray(reinterpret_cast<const char*>(redeemKey.bytes.data()), 32));
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
    r.expectKeys({"meeting", "invite", "name", "identity", "expires", "hub", "hub_pin", "redeem"});
    InviteToken t;
    t.meetingId = r.exactBytes("meeting", 16);
    t.inviteId = r.exactBytes("invite", 16);
    t.name = r.text("name", 128);
    const QByteArray identity = r.bytes("identity", 0, 32);
    t.expires = TimePoint(std::chrono::seconds(r.unsignedInt("expires", uint64_t{1} << 40)));
    t.hubUrl = r.text("hub", 256);
    t.hubPin = r.text("hub_pin", 64);
    const QByteArray redeem = r.exactBytes("redeem", 32);
    if (r.error())
        return *r.error();
    std::copy(redeem.begin(), redeem.end(), t.redeemKey.bytes.begin());
    if (!identity.isEmpty() && identity.size() != 32)
        return makeError("protocol.invalid", "invite: 'identity' is empty or 32 bytes");
    if (!identity.isEmpty()) {
        crypto::Ed25519PublicKey key;
        std::copy(identity.begin(), identity.end(), key.bytes.begin());
        t.identity = key;
    }
    if (auto name = checkDisplayName(t.name, "the invitee's name"); !name)
        return makeError("protocol.invalid", "invite: " + name.error().message);
    if (!t.hubUrl.startsWith(QLatin1String("wss://")))
        return makeError("protocol.invalid", "invite: the hub address must start with wss://");
    return std::make_pair(t, object->signer);
}

QString InviteToken::toLink(const SignedObject& signedInvite,
                            const crypto::Ed25519SigningKey& redeem)
{
    const crypto::SecureBuffer seed = redeem.seed();
    return QString::fromLatin1(kLinkPrefix) + toBase64Url(signedInvite.encode()) +
           QLatin1Char('.') +
           toBase64Url(
               QByteArray(reinterpret_cast<const char*>(seed.data()), qsizetype(seed.size())));
}

Result<InviteLink> InviteToken::parseLink(const QString& link)
{
    const QString trimmed = link.trimmed();
    if (trimmed.size() > kMaxLinkChars)
        return makeError("invite.malformed", "the invite is longer than any Conclave invite");
    if (!trimmed.startsWith(QLatin1String(kLinkPrefix)))
        return makeError("invite.malformed",
                         "this is not a Conclave invite (it should start with 'conclave:invite:')");
    const QStringList parts = trimmed.mid(qsizetype(strlen(kLinkPrefix))).split(QLatin1Char('.'));
    if (parts.size() != 2 || parts[1].isEmpty())
        return makeError("invite.incomplete",
                         "the invite link is incomplete: the secret part after the '.' is "
                         "missing, so it cannot be redeemed; copy the whole link");
    const auto signedInvite = fromBase64Url(parts[0]);
    const auto secret = fromBase64Url(parts[1]);
    if (!signedInvite || !secret)
        return makeError(
            "invite.malformed",
            "the invite is damaged (it is not valid base64url); copy it again in full");
    if (secret->size() != qsizetype(crypto::Ed25519SigningKey::kSeedSize))
        return makeError("invite.incomplete",
                         "the invite link's secret part is damaged (it is not 32 bytes); copy "
                         "the whole link again");
    InviteLink parsed{*signedInvite, crypto::SecureBuffer::copyOf(crypto::ByteView(
                                         reinterpret_cast<const uint8_t*>(secret->constData()),
                                         size_t(secret->size())))};
    return parsed;
}

QByteArray InviteToken::prove(const crypto::Ed25519SigningKey& redeem, const QByteArray& inviteId,
                              const QByteArray& announcement)
{
    const crypto::Bytes signature = redeem.sign(proofMessage(inviteId, announcement));
    return QByteArray(reinterpret_cast<const char*>(signature.data()), qsizetype(signature.size()));
}

Result<void> InviteToken::checkProof(const QByteArray& proof, const QByteArray& announcement) const
{
    const auto refused = [] {
        return makeError("invite.no_proof",
                         "the knock does not prove it holds this invite's link (only the invite "
                         "itself was shown - it may have been copied by whoever relayed it); "
                         "the invitee must knock with the whole link the chair sent");
    };
    if (proof.size() != qsizetype(crypto::kEd25519SignatureSize))
        return refused();
    const crypto::Bytes message = proofMessage(inviteId, announcement);
    if (!crypto::verifyEd25519(
            redeemKey, message,
            crypto::ByteView(reinterpret_cast<const uint8_t*>(proof.constData()), 64)))
        return refused();
    return {};
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
