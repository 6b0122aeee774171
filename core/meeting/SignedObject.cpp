// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/SignedObject.h"

#include "protocol/CborReader.h"

#include <QCborMap>

namespace conclave::meeting {
namespace {

QByteArray signedBytes(const QString& kind, const QByteArray& body)
{
    QByteArray out = "conclave " + kind.toUtf8() + " v1";
    out.append('\0');
    out.append(body);
    return out;
}

crypto::ByteView view(const QByteArray& b)
{
    return {reinterpret_cast<const uint8_t*>(b.constData()), size_t(b.size())};
}

} // namespace

SignedObject SignedObject::sign(const QString& kind, const QByteArray& body,
                                const crypto::Ed25519SigningKey& key)
{
    const crypto::Bytes sig = key.sign(view(signedBytes(kind, body)));
    return {kind, body, key.publicKey(),
            QByteArray(reinterpret_cast<const char*>(sig.data()), qsizetype(sig.size()))};
}

bool SignedObject::verify() const
{
    return crypto::verifyEd25519(signer, view(signedBytes(kind, body)), view(signature));
}

QByteArray SignedObject::encode() const
{
    QCborMap map;
    map.insert(QStringLiteral("kind"), kind);
    map.insert(QStringLiteral("body"), body);
    map.insert(QStringLiteral("signer"),
               QByteArray(reinterpret_cast<const char*>(signer.bytes.data()), 32));
    map.insert(QStringLiteral("sig"), signature);
    return QCborValue(map).toCbor();
}

Result<SignedObject> SignedObject::decode(const QByteArray& bytes, const QString& expectedKind)
{
    const std::string what = "the signed " + expectedKind.toStdString();
    auto map = protocol::decodeCanonicalMap(bytes, kMaxBytes, what);
    if (!map)
        return map.error();
    protocol::CborReader r(*map, expectedKind.toStdString());
    r.expectKeys({"kind", "body", "signer", "sig"});
    SignedObject o;
    o.kind = r.text("kind", 32);
    o.body = r.bytes("body", 1, kMaxBytes);
    const QByteArray signer = r.exactBytes("signer", 32);
    o.signature = r.exactBytes("sig", 64);
    if (r.error())
        return *r.error();
    if (o.kind != expectedKind)
        return makeError("protocol.invalid", what + " is a '" + o.kind.toStdString() +
                                                 "', not a '" + expectedKind.toStdString() + "'");
    std::copy(signer.begin(), signer.end(), o.signer.bytes.begin());
    return o;
}

} // namespace conclave::meeting
