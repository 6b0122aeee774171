// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/MessageBodies.h"

#include "meeting/DisplayName.h"
#include "meeting/SignedObject.h"
#include "protocol/CborReader.h"
#include "protocol/Envelope.h"

#include <QCborMap>

#include <array>

namespace conclave::meeting {
namespace {

using protocol::CborReader;

QByteArray keyBytes(const crypto::Ed25519PublicKey& key)
{
    return QByteArray(reinterpret_cast<const char*>(key.bytes.data()), 32);
}

crypto::Ed25519PublicKey keyFrom(const QByteArray& bytes)
{
    crypto::Ed25519PublicKey key;
    std::copy(bytes.begin(), bytes.end(), key.bytes.begin());
    return key;
}

QByteArray encode(const QCborMap& map)
{
    return QCborValue(map).toCbor();
}

/// Decodes a body map and hands a reader to `read`; returns read's result or the first error.
template <typename T, typename F>
Result<T> decodeWith(const QByteArray& body, const char* what, F read)
{
    auto map = protocol::decodeCanonicalMap(body, protocol::Envelope::kMaxBodyBytes, what);
    if (!map)
        return map.error();
    CborReader r(*map, what);
    T value = read(r);
    if (r.error())
        return *r.error();
    return value;
}

constexpr std::array<std::pair<ControlAction, std::string_view>, 13> kActions{{
    {ControlAction::Lock, "lock"},
    {ControlAction::Unlock, "unlock"},
    {ControlAction::MuteAll, "mute-all"},
    {ControlAction::Mute, "mute"},
    {ControlAction::StopVideo, "stop-video"},
    {ControlAction::AllowShare, "allow-share"},
    {ControlAction::RevokeShare, "revoke-share"},
    {ControlAction::AllowChat, "allow-chat"},
    {ControlAction::DisableChat, "disable-chat"},
    {ControlAction::Suspend, "suspend"},
    {ControlAction::Resume, "resume"},
    {ControlAction::End, "end"},
    {ControlAction::ToLobby, "to-lobby"},
}};

} // namespace

std::string_view toString(ControlAction action)
{
    for (const auto& [a, name] : kActions)
        if (a == action)
            return name;
    return "unknown";
}

QByteArray CreateBody::encode() const
{
    QCborMap m;
    m.insert(QStringLiteral("descriptor"), descriptor);
    m.insert(QStringLiteral("announcement"), announcement);
    return meeting::encode(m);
}

Result<CreateBody> CreateBody::decode(const QByteArray& body)
{
    return decodeWith<CreateBody>(body, "create", [](CborReader& r) {
        r.expectKeys({"descriptor", "announcement"});
        return CreateBody{r.bytes("descriptor", 1, 64 * 1024), r.bytes("announcement", 1, 1024)};
    });
}

QByteArray KnockBody::encode() const
{
    QCborMap m;
    m.insert(QStringLiteral("invite"), invite);
    m.insert(QStringLiteral("name"), name);
    m.insert(QStringLiteral("announcement"), announcement);
    m.insert(QStringLiteral("proof"), proof);
    return meeting::encode(m);
}

Result<KnockBody> KnockBody::decode(const QByteArray& body)
{
    return decodeWith<KnockBody>(body, "knock", [](CborReader& r) {
        r.expectKeys({"invite", "name", "announcement", "proof"});
        KnockBody k{r.bytes("invite", 0, 64 * 1024), r.text("name", 128),
                    r.bytes("announcement", 1, 1024), r.bytes("proof", 0, 64)};
        if (!r.error())
            if (auto name = checkDisplayName(k.name, "the knocker's name"); !name)
                r.fail(name.error().message);
        return k;
    });
}

QByteArray TargetBody::encode() const
{
    QCborMap m;
    m.insert(QStringLiteral("target"), keyBytes(target));
    m.insert(QStringLiteral("reason"), reason);
    return meeting::encode(m);
}

Result<TargetBody> TargetBody::decode(const QByteArray& body)
{
    return decodeWith<TargetBody>(body, "target", [](CborReader& r) {
        r.expectKeys({"target", "reason"});
        const QByteArray target = r.exactBytes("target", 32);
        return TargetBody{keyFrom(target.isEmpty() ? QByteArray(32, '\0') : target),
                          r.text("reason", 200)};
    });
}

namespace {

} // namespace

QByteArray RequestBody::encode() const
{
    QCborMap m;
    const std::string_view name = command.name();
    m.insert(QStringLiteral("action"), QString::fromLatin1(name.data(), qsizetype(name.size())));
    m.insert(QStringLiteral("target"), command.target ? keyBytes(*command.target) : QByteArray());
    m.insert(QStringLiteral("reason"), command.reason);
    return meeting::encode(m);
}

Result<RequestBody> RequestBody::decode(const QByteArray& body)
{
    return decodeWith<RequestBody>(body, "request", [](CborReader& r) {
        r.expectKeys({"action", "target", "reason"});
        RequestBody b;
        const QString name = r.text("action", 32);
        const QByteArray target = r.bytes("target", 0, 32);
        b.command.reason = r.text("reason", 200);
        if (r.error())
            return b;
        const ChairCommandRule* rule = chairCommandNamed(name.toStdString());
        const bool needsTarget = rule && rule->target != CommandTarget::Meeting;
        if (!rule || !rule->coChairMayAsk)
            r.fail("'" + name.toStdString() + "' is not something a co-chair may ask for (" +
                   coChairRequestNames() + ")");
        else if (!target.isEmpty() && target.size() != 32)
            r.fail("'target' is empty or 32 bytes");
        else if (needsTarget != !target.isEmpty())
            r.fail("'" + name.toStdString() + (needsTarget ? "' needs" : "' takes no") + " target");
        else {
            b.command.action = rule->action;
            b.command.on = rule->on;
            if (!target.isEmpty())
                b.command.target = keyFrom(target);
        }
        return b;
    });
}

QByteArray TakeoverBody::encode() const
{
    QCborMap m;
    m.insert(QStringLiteral("delegation"), delegation);
    m.insert(QStringLiteral("commit"), commit);
    return meeting::encode(m);
}

Result<TakeoverBody> TakeoverBody::decode(const QByteArray& body)
{
    return decodeWith<TakeoverBody>(body, "takeover", [](CborReader& r) {
        r.expectKeys({"delegation", "commit"});
        TakeoverBody b;
        b.delegation = r.bytes("delegation", 1, SignedObject::kMaxBytes);
        b.commit = r.bytes("commit", 1, BlobBody::kMaxBlob);
        return b;
    });
}

QByteArray ControlBody::encode() const
{
    QCborMap m;
    m.insert(QStringLiteral("action"),
             QString::fromLatin1(toString(action).data(), qsizetype(toString(action).size())));
    m.insert(QStringLiteral("target"), target ? keyBytes(*target) : QByteArray());
    return meeting::encode(m);
}

Result<ControlBody> ControlBody::decode(const QByteArray& body)
{
    return decodeWith<ControlBody>(body, "control", [](CborReader& r) {
        r.expectKeys({"action", "target"});
        ControlBody c;
        const QString name = r.text("action", 32);
        const QByteArray target = r.bytes("target", 0, 32);
        if (r.error())
            return c;
        bool known = false;
        for (const auto& [a, n] : kActions)
            if (name == QLatin1String(n.data(), qsizetype(n.size()))) {
                c.action = a;
                known = true;
            }
        if (!known)
            r.fail("unknown control action '" + name.toStdString() + "'");
        else if (!target.isEmpty() && target.size() != 32)
            r.fail("'target' is empty or 32 bytes");
        else if (target.isEmpty() && c.action == ControlAction::ToLobby)
            r.fail("'to-lobby' needs a target");
        else if (!target.isEmpty())
            c.target = keyFrom(target);
        return c;
    });
}

QByteArray BlobBody::encode() const
{
    QCborMap m;
    m.insert(QStringLiteral("blob"), blob);
    return meeting::encode(m);
}

Result<BlobBody> BlobBody::decode(const QByteArray& body)
{
    return decodeWith<BlobBody>(body, "blob", [](CborReader& r) {
        r.expectKeys({"blob"});
        return BlobBody{r.bytes("blob", 1, kMaxBlob)};
    });
}

QByteArray EpochBody::encode() const
{
    QCborMap m;
    m.insert(QStringLiteral("epoch"), qint64(epoch));
    return meeting::encode(m);
}

Result<EpochBody> EpochBody::decode(const QByteArray& body)
{
    return decodeWith<EpochBody>(body, "epoch", [](CborReader& r) {
        r.expectKeys({"epoch"});
        return EpochBody{r.unsignedInt("epoch", uint64_t{1} << 53)};
    });
}

QByteArray ChatBody::encode() const
{
    QCborMap m;
    m.insert(QStringLiteral("epoch"), qint64(epoch));
    m.insert(QStringLiteral("nonce"), nonce);
    m.insert(QStringLiteral("ciphertext"), ciphertext);
    return meeting::encode(m);
}

Result<ChatBody> ChatBody::decode(const QByteArray& body)
{
    return decodeWith<ChatBody>(body, "chat", [](CborReader& r) {
        r.expectKeys({"epoch", "nonce", "ciphertext"});
        return ChatBody{r.unsignedInt("epoch", uint64_t{1} << 53), r.exactBytes("nonce", 24),
                        r.bytes("ciphertext", 16, kMaxCiphertext)};
    });
}

QByteArray SignalBody::encode() const
{
    QCborMap m;
    m.insert(QStringLiteral("to"), keyBytes(to));
    m.insert(QStringLiteral("epoch"), qint64(epoch));
    m.insert(QStringLiteral("nonce"), nonce);
    m.insert(QStringLiteral("ciphertext"), ciphertext);
    return meeting::encode(m);
}

Result<SignalBody> SignalBody::decode(const QByteArray& body)
{
    return decodeWith<SignalBody>(body, "signal", [](CborReader& r) {
        r.expectKeys({"to", "epoch", "nonce", "ciphertext"});
        const QByteArray to = r.exactBytes("to", 32);
        SignalBody b;
        b.to = keyFrom(to.isEmpty() ? QByteArray(32, '\0') : to);
        b.epoch = r.unsignedInt("epoch", uint64_t{1} << 53);
        b.nonce = r.exactBytes("nonce", 24);
        b.ciphertext = r.bytes("ciphertext", 17, kMaxPayload + 16);
        return b;
    });
}

QByteArray ResyncBody::encode() const
{
    QByteArray joined;
    for (const auto& key : sharers)
        joined += keyBytes(key);
    QCborMap m;
    m.insert(QStringLiteral("to"), keyBytes(to));
    m.insert(QStringLiteral("resync"), resync);
    m.insert(QStringLiteral("descriptor"), descriptor);
    m.insert(QStringLiteral("locked"), locked);
    m.insert(QStringLiteral("suspended"), suspended);
    m.insert(QStringLiteral("chat"), chat);
    m.insert(QStringLiteral("sharers"), joined);
    return meeting::encode(m);
}

Result<ResyncBody> ResyncBody::decode(const QByteArray& body)
{
    bool wholeKeys = true;
    auto decoded = decodeWith<ResyncBody>(body, "resync", [&](CborReader& r) {
        r.expectKeys({"to", "resync", "descriptor", "locked", "suspended", "chat", "sharers"});
        const QByteArray to = r.exactBytes("to", 32);
        ResyncBody b;
        b.to = keyFrom(to.isEmpty() ? QByteArray(32, '\0') : to);
        b.resync = r.bytes("resync", 1, BlobBody::kMaxBlob);
        b.descriptor = r.bytes("descriptor", 1, kMaxDescriptor);
        b.locked = r.boolean("locked");
        b.suspended = r.boolean("suspended");
        b.chat = r.boolean("chat");
        const QByteArray joined = r.bytes("sharers", 0, kMaxSharers * 32);
        wholeKeys = joined.size() % 32 == 0;
        for (qsizetype at = 0; at + 32 <= joined.size(); at += 32)
            b.sharers.push_back(keyFrom(joined.mid(at, 32)));
        return b;
    });
    if (decoded && !wholeKeys)
        return makeError("protocol.invalid", "resync: the sharers are not whole 32-byte keys");
    return decoded;
}

} // namespace conclave::meeting
