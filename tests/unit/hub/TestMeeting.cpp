// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestMeeting.h"

#include "crypto/EphemeralAnnouncement.h"
#include "crypto/EphemeralKeyPair.h"
#include "meeting/Delegation.h"
#include "meeting/InviteToken.h"

#include <QRandomGenerator>

#include <map>
#include <memory>

namespace conclave::hubtest {
namespace {

using protocol::MessageType;

QByteArray randomBytes(qsizetype n)
{
    QByteArray out(n, '\0');
    for (char& c : out)
        c = char(QRandomGenerator::system()->generate() & 0xff);
    return out;
}

const QByteArray kAnnouncement(48, 'a'); // opaque to the hub

/// Each test invite's redeem key, by signed invite: what the invitee's link would carry.
std::map<QByteArray, std::shared_ptr<const crypto::Ed25519SigningKey>>& redeemKeys()
{
    static std::map<QByteArray, std::shared_ptr<const crypto::Ed25519SigningKey>> keys;
    return keys;
}

} // namespace

TestMeeting::TestMeeting(QString hubPin, meeting::MeetingOptions options, QString marking)
    : id(randomBytes(16))
{
    descriptor.meetingId = id;
    descriptor.title = QStringLiteral("Select committee: evidence session");
    descriptor.marking = std::move(marking);
    descriptor.schemeId = QStringLiteral("uk-gsc-2023");
    descriptor.backendId = QStringLiteral("this-computer");
    descriptor.hubPin = std::move(hubPin);
    descriptor.chair = chair.key().publicKey();
    descriptor.chairEphemeral = randomBytes(32);
    descriptor.created = now();
    descriptor.cipherSuite = 0x0005;
    descriptor.options = options;
}

TimePoint TestMeeting::now()
{
    return TimePoint(std::chrono::seconds(1800000000));
}

QByteArray TestMeeting::signedDescriptor() const
{
    return descriptor.sign(chair.key()).encode();
}

QByteArray TestMeeting::create()
{
    return chair.envelope(MessageType::Create, id,
                          meeting::CreateBody{signedDescriptor(), kAnnouncement}.encode());
}

QByteArray TestMeeting::invite(const TestPerson* boundTo, TimePoint expires,
                               const crypto::Ed25519SigningKey* signer,
                               const QByteArray& forMeeting) const
{
    meeting::InviteToken t;
    t.meetingId = forMeeting.isEmpty() ? id : forMeeting;
    t.inviteId = randomBytes(16);
    t.name = QStringLiteral("Invited Witness");
    if (boundTo)
        t.identity = boundTo->key().publicKey();
    t.expires = expires;
    t.hubUrl = QStringLiteral("wss://127.0.0.1:8443");
    t.hubPin = descriptor.hubPin;
    auto redeem =
        std::make_shared<const crypto::Ed25519SigningKey>(crypto::Ed25519SigningKey::generate());
    t.redeemKey = redeem->publicKey();
    const QByteArray signedInvite = t.sign(signer ? *signer : chair.key()).encode();
    redeemKeys()[signedInvite] = redeem;
    return signedInvite;
}

QByteArray TestMeeting::announcementOf(const TestPerson& who, const QByteArray& meetingId)
{
    // A real signed announcement by `who` of an ephemeral key: the hub checks that a knock
    // with an invite announces the sender's own key. For malformed meeting ids (refusal tests)
    // any bytes do.
    auto id = crypto::MeetingId::fromBytes(crypto::ByteView(
        reinterpret_cast<const uint8_t*>(meetingId.constData()), size_t(meetingId.size())));
    if (!id)
        return kAnnouncement;
    crypto::X25519PublicKey ephemeral; // opaque to the hub: any key will do
    ephemeral.bytes.fill(0x5e);
    const auto encoded = crypto::EphemeralAnnouncement::create(who.key(), *id, ephemeral).encode();
    return QByteArray(reinterpret_cast<const char*>(encoded.data()), qsizetype(encoded.size()));
}

QByteArray TestMeeting::proofFor(const QByteArray& signedInvite, const QByteArray& announcement)
{
    const auto key = redeemKeys().find(signedInvite);
    auto token = meeting::InviteToken::fromSigned(signedInvite);
    if (key == redeemKeys().end() || !token)
        return {};
    return meeting::InviteToken::prove(*key->second, token->first.inviteId, announcement);
}

QByteArray TestMeeting::knock(TestPerson& who, const QByteArray& meetingId,
                              const QByteArray& signedInvite, const QString& name)
{
    const QByteArray announcement = announcementOf(who, meetingId);
    return knockWith(who, meetingId, signedInvite, announcement,
                     proofFor(signedInvite, announcement), name);
}

QByteArray TestMeeting::knockWith(TestPerson& who, const QByteArray& meetingId,
                                  const QByteArray& signedInvite, const QByteArray& announcement,
                                  const QByteArray& proof, const QString& name)
{
    return who.envelope(MessageType::Knock, meetingId,
                        meeting::KnockBody{signedInvite, name, announcement, proof}.encode());
}

QByteArray TestMeeting::target(const TestPerson& who, const QString& reason) const
{
    return meeting::TargetBody{who.key().publicKey(), reason}.encode();
}

QByteArray TestMeeting::admit(const TestPerson& who)
{
    return chair.envelope(MessageType::Admit, id, target(who, QStringLiteral("welcome")));
}

QByteArray TestMeeting::deny(const TestPerson& who, const QString& reason)
{
    return chair.envelope(MessageType::Deny, id, target(who, reason));
}

QByteArray TestMeeting::remove(const TestPerson& who, const QString& reason)
{
    return chair.envelope(MessageType::Remove, id, target(who, reason));
}

QByteArray TestMeeting::control(meeting::ControlAction action)
{
    return chair.envelope(MessageType::Control, id, meeting::ControlBody{action, {}}.encode());
}

QByteArray TestMeeting::toLobby(const TestPerson& who)
{
    return chair.envelope(
        MessageType::Control, id,
        meeting::ControlBody{meeting::ControlAction::ToLobby, who.key().publicKey()}.encode());
}

QByteArray TestMeeting::heartbeat(uint64_t epoch)
{
    return chair.envelope(MessageType::Heartbeat, id, meeting::EpochBody{epoch}.encode());
}

QByteArray TestMeeting::commit(const QByteArray& blob)
{
    return chair.envelope(MessageType::Commit, id, meeting::BlobBody{blob}.encode());
}

QByteArray TestMeeting::delegation(const TestPerson& who, bool granted) const
{
    // A withdrawal orders after the grant it ends; the same statement signs the same bytes.
    return meeting::Delegation{
        id, who.key().publicKey(), QStringLiteral("Co-chair"), now(), granted, granted ? 1u : 2u, 1}
        .sign(chair.key())
        .encode();
}

QByteArray TestMeeting::delegate(const TestPerson& who, bool granted)
{
    return chair.envelope(MessageType::Delegate, id,
                          meeting::BlobBody{delegation(who, granted)}.encode());
}

QByteArray TestMeeting::request(TestPerson& coChair, meeting::ChairCommand command,
                                const TestPerson* target)
{
    if (target)
        command.target = target->key().publicKey();
    return coChair.envelope(MessageType::Request, id, meeting::RequestBody{command}.encode());
}

QByteArray TestMeeting::takeover(TestPerson& coChair, const QByteArray& delegationBlob)
{
    // The hub cannot read a COMMIT; any blob stands in for it here.
    return coChair.envelope(MessageType::Takeover, id,
                            meeting::TakeoverBody{delegationBlob, QByteArray(64, 'k')}.encode());
}

QByteArray TestMeeting::ack(TestPerson& who, uint64_t epoch)
{
    return who.envelope(MessageType::Ack, id, meeting::EpochBody{epoch}.encode());
}

QByteArray TestMeeting::resume(TestPerson& who, uint64_t epoch)
{
    return who.envelope(MessageType::Resume, id, meeting::EpochBody{epoch}.encode());
}

QByteArray TestMeeting::chat(TestPerson& who)
{
    return who.envelope(MessageType::Chat, id,
                        meeting::ChatBody{1, QByteArray(24, 'n'), QByteArray(40, 'x')}.encode());
}

QByteArray TestMeeting::signal(TestPerson& from, const TestPerson& to)
{
    return from.envelope(MessageType::Signal, id,
                         meeting::SignalBody{to.key().publicKey(), 1, QByteArray(24, 'n'),
                                             QByteArray(48, 's')} // sealed: opaque to the hub
                             .encode());
}

QByteArray TestMeeting::leave(TestPerson& who)
{
    return who.envelope(MessageType::Leave, id, meeting::EpochBody{1}.encode());
}

} // namespace conclave::hubtest
