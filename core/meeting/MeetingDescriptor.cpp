// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/MeetingDescriptor.h"

#include "protocol/CborReader.h"

#include <QCborMap>

#include <chrono>

namespace conclave::meeting {
namespace {

constexpr const char* kKind = "descriptor";

QByteArray keyBytes(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), 32);
}

} // namespace

QByteArray MeetingDescriptor::encodeBody() const
{
    QCborMap o;
    o.insert(QStringLiteral("waiting_room"), options.waitingRoom);
    o.insert(QStringLiteral("invites_required"), options.invitesRequired);
    o.insert(QStringLiteral("open_knocking"), options.openKnocking);
    o.insert(QStringLiteral("chat"), options.chat);
    o.insert(QStringLiteral("share_by_all"), options.shareByAll);
    QCborMap m;
    m.insert(QStringLiteral("meeting"), meetingId);
    m.insert(QStringLiteral("revision"), qint64(revision));
    m.insert(QStringLiteral("title"), title);
    m.insert(QStringLiteral("marking"), marking);
    m.insert(QStringLiteral("scheme"), schemeId);
    m.insert(QStringLiteral("backend"), backendId);
    m.insert(QStringLiteral("hub_pin"), hubPin);
    m.insert(QStringLiteral("chair"), keyBytes(chair));
    m.insert(QStringLiteral("chair_eph"), chairEphemeral);
    m.insert(
        QStringLiteral("created"),
        qint64(
            std::chrono::duration_cast<std::chrono::seconds>(created.time_since_epoch()).count()));
    m.insert(QStringLiteral("suite"), cipherSuite);
    m.insert(QStringLiteral("options"), o);
    return QCborValue(m).toCbor();
}

Result<MeetingDescriptor> MeetingDescriptor::decodeBody(const QByteArray& body)
{
    auto map =
        protocol::decodeCanonicalMap(body, SignedObject::kMaxBytes, "the meeting descriptor");
    if (!map)
        return map.error();
    protocol::CborReader r(*map, "descriptor");
    r.expectKeys({"meeting", "revision", "title", "marking", "scheme", "backend", "hub_pin",
                  "chair", "chair_eph", "created", "suite", "options"});
    MeetingDescriptor d;
    d.meetingId = r.exactBytes("meeting", 16);
    d.revision = r.unsignedInt("revision", uint64_t{1} << 53);
    d.title = r.text("title", kMaxTitleBytes);
    d.marking = r.text("marking", 256);
    d.schemeId = r.text("scheme", 64);
    d.backendId = r.text("backend", 64);
    d.hubPin = r.text("hub_pin", 64);
    const QByteArray chair = r.exactBytes("chair", 32);
    d.chairEphemeral = r.exactBytes("chair_eph", 32);
    d.created = TimePoint(std::chrono::seconds(r.unsignedInt("created", uint64_t{1} << 40)));
    d.cipherSuite = uint16_t(r.unsignedInt("suite", 0xffff));
    const QCborMap options = r.map("options");
    if (r.error())
        return *r.error();
    protocol::CborReader o(options, "descriptor.options");
    o.expectKeys({"waiting_room", "invites_required", "open_knocking", "chat", "share_by_all"});
    d.options.waitingRoom = o.boolean("waiting_room");
    d.options.invitesRequired = o.boolean("invites_required");
    d.options.openKnocking = o.boolean("open_knocking");
    d.options.chat = o.boolean("chat");
    d.options.shareByAll = o.boolean("share_by_all");
    if (o.error())
        return *o.error();
    if (d.revision == 0)
        return makeError("protocol.invalid", "descriptor: revisions start at 1");
    if (d.title.trimmed().isEmpty() || d.marking.isEmpty())
        return makeError("protocol.invalid", "descriptor: a meeting needs a title and a marking");
    std::copy(chair.begin(), chair.end(), d.chair.bytes.begin());
    return d;
}

SignedObject MeetingDescriptor::sign(const crypto::Ed25519SigningKey& chairKey) const
{
    return SignedObject::sign(QString::fromLatin1(kKind), encodeBody(), chairKey);
}

Result<MeetingDescriptor> MeetingDescriptor::fromSigned(const QByteArray& signedBytes)
{
    auto object = SignedObject::decode(signedBytes, QString::fromLatin1(kKind));
    if (!object)
        return object.error();
    auto descriptor = decodeBody(object->body);
    if (!descriptor)
        return descriptor.error();
    if (!(object->signer == descriptor->chair))
        return makeError("meeting.not_chair",
                         "the meeting descriptor is signed by a key that is not its chair's");
    if (!object->verify())
        return makeError("meeting.bad_signature",
                         "the meeting descriptor's signature does not verify: it was altered");
    return descriptor;
}

} // namespace conclave::meeting
