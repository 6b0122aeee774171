// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/Envelope.h"

#include "protocol/CborReader.h"

#include <QCborMap>
#include <QtEndian>

namespace conclave::protocol {
namespace {

constexpr char kSignatureContext[] = "conclave envelope v1";

void appendBigEndian(QByteArray& out, uint64_t value, int bytes)
{
    for (int i = bytes - 1; i >= 0; --i)
        out.append(char((value >> (8 * i)) & 0xff));
}

QByteArray keyBytes(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), qsizetype(key.bytes.size()));
}

} // namespace

QByteArray Envelope::signedBytes() const
{
    const QByteArray typeName = QByteArray::fromStdString(std::string(toString(type)));
    QByteArray out(kSignatureContext, sizeof kSignatureContext); // includes the NUL separator
    appendBigEndian(out, kVersion, 1);
    appendBigEndian(out, uint64_t(typeName.size()), 1);
    out.append(typeName);
    out.append(meetingId);
    out.append(keyBytes(sender));
    appendBigEndian(out, seq, 8);
    appendBigEndian(out, uint64_t(body.size()), 4);
    out.append(body);
    return out;
}

Envelope Envelope::sign(MessageType type, const QByteArray& meetingId, uint64_t seq,
                        const QByteArray& body, const crypto::Ed25519SigningKey& key)
{
    Envelope e;
    e.type = type;
    e.meetingId = meetingId;
    e.sender = key.publicKey();
    e.seq = seq;
    e.body = body;
    const QByteArray message = e.signedBytes();
    const crypto::Bytes sig =
        key.sign({reinterpret_cast<const uint8_t*>(message.constData()), size_t(message.size())});
    e.signature = QByteArray(reinterpret_cast<const char*>(sig.data()), qsizetype(sig.size()));
    return e;
}

bool Envelope::verify() const
{
    const QByteArray message = signedBytes();
    return crypto::verifyEd25519(
        sender, {reinterpret_cast<const uint8_t*>(message.constData()), size_t(message.size())},
        {reinterpret_cast<const uint8_t*>(signature.constData()), size_t(signature.size())});
}

QByteArray Envelope::encode() const
{
    QCborMap map;
    map.insert(QStringLiteral("v"), kVersion);
    map.insert(QStringLiteral("type"),
               QString::fromLatin1(toString(type).data(), qsizetype(toString(type).size())));
    map.insert(QStringLiteral("meeting"), meetingId);
    map.insert(QStringLiteral("sender"), keyBytes(sender));
    map.insert(QStringLiteral("seq"), qint64(seq));
    map.insert(QStringLiteral("body"), body);
    map.insert(QStringLiteral("sig"), signature);
    return QCborValue(map).toCbor();
}

Result<Envelope> Envelope::decode(const QByteArray& bytes)
{
    auto map = decodeCanonicalMap(bytes, kMaxEnvelopeBytes, "the message");
    if (!map)
        return map.error();
    CborReader r(*map, "envelope");
    r.expectKeys({"v", "type", "meeting", "sender", "seq", "body", "sig"});
    const uint64_t version = r.unsignedInt("v", 255);
    if (!r.error() && version != kVersion)
        return makeError("protocol.version",
                         "the message is protocol version " + std::to_string(version) +
                             "; this Conclave speaks version 1 - update the older client");
    const QString typeName = r.text("type", 32);
    Envelope e;
    if (!r.error()) {
        const auto type = messageTypeFromString(typeName.toStdString());
        if (!type)
            r.fail("unknown message type '" + typeName.toStdString() + "'");
        e.type = type.value_or(MessageType::Heartbeat);
    }
    e.meetingId = r.exactBytes("meeting", kMeetingIdSize);
    const QByteArray sender = r.exactBytes("sender", 32);
    e.seq = r.unsignedInt("seq", kMaxSeq);
    e.body = r.bytes("body", 0, kMaxBodyBytes);
    e.signature = r.exactBytes("sig", 64);
    if (r.error())
        return *r.error();
    std::copy(sender.begin(), sender.end(), e.sender.bytes.begin());
    return e;
}

} // namespace conclave::protocol
