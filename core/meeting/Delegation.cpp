// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/Delegation.h"

#include "protocol/CborReader.h"

#include <QCborMap>

#include <chrono>

namespace conclave::meeting {
namespace {

constexpr const char* kKind = "delegation";

} // namespace

SignedObject Delegation::sign(const crypto::Ed25519SigningKey& chairKey) const
{
    QCborMap m;
    m.insert(QStringLiteral("meeting"), meetingId);
    m.insert(QStringLiteral("delegate"),
             QByteArray(reinterpret_cast<const char*>(delegate.bytes.data()), 32));
    m.insert(QStringLiteral("name"), name);
    m.insert(
        QStringLiteral("issued"),
        qint64(
            std::chrono::duration_cast<std::chrono::seconds>(issued.time_since_epoch()).count()));
    m.insert(QStringLiteral("granted"), granted);
    m.insert(QStringLiteral("serial"), qint64(serial));
    m.insert(QStringLiteral("index"), qint64(index));
    return SignedObject::sign(QString::fromLatin1(kKind), QCborValue(m).toCbor(), chairKey);
}

Result<Delegation> Delegation::verify(const QByteArray& bytes, const QByteArray& meetingId,
                                      const crypto::Ed25519PublicKey& chair)
{
    auto object = SignedObject::decode(bytes, QString::fromLatin1(kKind));
    if (!object)
        return object.error();
    if (!(object->signer == chair))
        return makeError("delegation.not_chair",
                         "the co-chair delegation is not signed by this meeting's chair; only "
                         "the chair who created the meeting can name a co-chair");
    if (!object->verify())
        return makeError("delegation.bad_signature",
                         "the co-chair delegation's signature does not verify: it was altered");
    auto map =
        protocol::decodeCanonicalMap(object->body, SignedObject::kMaxBytes, "the delegation");
    if (!map)
        return map.error();
    protocol::CborReader r(*map, "delegation");
    r.expectKeys({"meeting", "delegate", "name", "issued", "granted", "serial", "index"});
    Delegation d;
    d.meetingId = r.exactBytes("meeting", 16);
    const QByteArray delegate = r.exactBytes("delegate", 32);
    d.name = r.text("name", 128);
    d.issued = TimePoint(std::chrono::seconds(r.unsignedInt("issued", uint64_t{1} << 40)));
    d.granted = r.boolean("granted");
    d.serial = r.unsignedInt("serial", uint64_t{1} << 53);
    d.index = uint32_t(r.unsignedInt("index", uint64_t{1} << 31));
    if (r.error())
        return *r.error();
    std::copy(delegate.begin(), delegate.end(), d.delegate.bytes.begin());
    if (d.meetingId != meetingId)
        return makeError("delegation.wrong_meeting",
                         "the co-chair delegation belongs to another meeting");
    if (d.delegate == chair)
        return makeError("delegation.self", "the chair cannot delegate to itself");
    return d;
}

} // namespace conclave::meeting
