// SPDX-License-Identifier: GPL-3.0-or-later
#include "hub/HubNotice.h"

#include "protocol/CborReader.h"

#include <QCborMap>

#include <array>
#include <utility>

namespace conclave::hub {
namespace {

using protocol::CborReader;

constexpr std::array<std::pair<HubNotice::Kind, std::string_view>, 15> kNames{{
    {HubNotice::Kind::Lobby, "lobby"},
    {HubNotice::Kind::Refused, "refused"},
    {HubNotice::Kind::Denied, "denied"},
    {HubNotice::Kind::Removed, "removed"},
    {HubNotice::Kind::Admitted, "admitted"},
    {HubNotice::Kind::Ended, "ended"},
    {HubNotice::Kind::Error, "error"},
    {HubNotice::Kind::Created, "created"},
    {HubNotice::Kind::Left, "left"},
    {HubNotice::Kind::Revised, "revised"},
    {HubNotice::Kind::MediaRoom, "media_room"},
    {HubNotice::Kind::Resumed, "resumed"},
    {HubNotice::Kind::Away, "away"},
    {HubNotice::Kind::Back, "back"},
    {HubNotice::Kind::TurnCredentials, "turn_credentials"},
}};

constexpr uint8_t kVersion = 1;

/// One row of the hub code table: `code` names one code, or a family when it ends in '.'.
struct CodeCategory {
    std::string_view code;
    ErrorCategory category;
};

/// docs/protocol.md §6. Exact codes first where a family says otherwise.
constexpr std::array<CodeCategory, 37> kHubCodes{{
    // The hub's policy (DescriptorGate, with the ApprovalEngine's decision codes).
    {"policy.", ErrorCategory::PolicyRefusal},
    {"marking.", ErrorCategory::PolicyRefusal},
    {"marking_not_approved", ErrorCategory::PolicyRefusal},
    {"jurisdiction_not_allowed", ErrorCategory::PolicyRefusal},
    {"no_signed_policy", ErrorCategory::PolicyRefusal},
    {"backend_mismatch", ErrorCategory::PolicyRefusal},
    {"unknown_backend", ErrorCategory::PolicyRefusal},
    {"unknown_server", ErrorCategory::PolicyRefusal},
    {"server_key_mismatch", ErrorCategory::PolicyRefusal},
    {"embedded_host_not_listed", ErrorCategory::PolicyRefusal},
    {"options_not_allowed", ErrorCategory::PolicyRefusal},
    {"lowering_needs_confirmation", ErrorCategory::PolicyRefusal},
    // Connection limits, the wire, and a create this hub does not take from this chair.
    {"connections.", ErrorCategory::ConnectionOrIdentity},
    {"protocol.", ErrorCategory::ConnectionOrIdentity},
    {"tls.", ErrorCategory::ConnectionOrIdentity},
    {"hub.", ErrorCategory::ConnectionOrIdentity},
    {"meeting.not_chair", ErrorCategory::ConnectionOrIdentity},
    {"meeting.bad_signature", ErrorCategory::ConnectionOrIdentity},
    {"meeting.id_mismatch", ErrorCategory::ConnectionOrIdentity},
    {"meeting.wrong_hub", ErrorCategory::ConnectionOrIdentity},
    {"meeting.exists", ErrorCategory::ConnectionOrIdentity},
    // A knock (or a returning chair) turned away.
    {"rate_limited", ErrorCategory::DeniedOrRemoved},
    {"meeting.unknown", ErrorCategory::DeniedOrRemoved},
    {"meeting.chair_absent", ErrorCategory::DeniedOrRemoved},
    {"meeting.chair_silent", ErrorCategory::DeniedOrRemoved},
    {"meeting.chair_changed", ErrorCategory::DeniedOrRemoved},
    {"meeting.locked", ErrorCategory::DeniedOrRemoved},
    {"meeting.banned", ErrorCategory::DeniedOrRemoved},
    {"meeting.already_member", ErrorCategory::DeniedOrRemoved},
    {"lobby.", ErrorCategory::DeniedOrRemoved},
    {"invite.", ErrorCategory::DeniedOrRemoved},
    // Dropped messages a member may see in `error` notices: not a turn-away.
    {"meeting.suspended", ErrorCategory::Unspecified},
    {"meeting.chat_disabled", ErrorCategory::Unspecified},
    {"meeting.chair_present", ErrorCategory::Unspecified},
    {"meeting.not_original_chair", ErrorCategory::Unspecified},
    {"descriptor.", ErrorCategory::Unspecified},
    {"delegation.", ErrorCategory::Unspecified},
}};

/// Cuts UTF-8 text to `maxBytes` without splitting a character, so a long reason from
/// elsewhere (a policy refusal, say) can never make the hub emit a notice it would refuse.
QString bounded(const QString& text, qsizetype maxBytes)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= maxBytes)
        return text;
    qsizetype cut = maxBytes;
    while (cut > 0 && (uchar(utf8[cut]) & 0xc0) == 0x80)
        --cut;
    utf8.truncate(cut);
    return QString::fromUtf8(utf8);
}

QString fromView(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

HubNotice make(HubNotice::Kind kind)
{
    HubNotice n;
    n.kind = kind;
    return n;
}

} // namespace

std::string_view toString(HubNotice::Kind kind)
{
    for (const auto& [k, name] : kNames)
        if (k == kind)
            return name;
    return "unknown";
}

std::optional<HubNotice::Kind> noticeKindFromString(std::string_view name)
{
    for (const auto& [k, n] : kNames)
        if (n == name)
            return k;
    return std::nullopt;
}

HubNotice HubNotice::lobbyNotice(const QByteArray& signedDescriptor, const QByteArray& succession)
{
    HubNotice n = make(Kind::Lobby);
    n.descriptor = signedDescriptor;
    n.succession = succession;
    return n;
}

HubNotice HubNotice::refused(std::string_view code, std::string_view reason)
{
    HubNotice n = make(Kind::Refused);
    n.code = fromView(code);
    n.reason = fromView(reason);
    return n;
}

HubNotice HubNotice::denied(const QString& reason)
{
    HubNotice n = make(Kind::Denied);
    n.reason = reason;
    return n;
}

HubNotice HubNotice::removed(const QString& reason)
{
    HubNotice n = make(Kind::Removed);
    n.reason = reason;
    return n;
}

HubNotice HubNotice::admitted()
{
    return make(Kind::Admitted);
}

HubNotice HubNotice::ended()
{
    return make(Kind::Ended);
}

HubNotice HubNotice::error(std::string_view code, std::string_view reason)
{
    HubNotice n = make(Kind::Error);
    n.code = fromView(code);
    n.reason = fromView(reason);
    return n;
}

HubNotice HubNotice::created()
{
    return make(Kind::Created);
}

HubNotice HubNotice::revised(const QByteArray& signedDescriptor)
{
    HubNotice n = make(Kind::Revised);
    n.descriptor = signedDescriptor;
    return n;
}

HubNotice HubNotice::mediaRoom(const QString& endpoint, uint64_t room, const QString& token)
{
    HubNotice n = make(Kind::MediaRoom);
    n.endpoint = endpoint;
    n.room = room;
    n.token = token;
    return n;
}

HubNotice HubNotice::resumed()
{
    return make(Kind::Resumed);
}

HubNotice HubNotice::away(const QByteArray& identity)
{
    HubNotice n = make(Kind::Away);
    n.identity = identity;
    return n;
}

HubNotice HubNotice::back(const QByteArray& identity)
{
    HubNotice n = make(Kind::Back);
    n.identity = identity;
    return n;
}

HubNotice HubNotice::turnCredentials(const QString& username, const QString& credential,
                                     uint64_t expires)
{
    HubNotice n = make(Kind::TurnCredentials);
    n.turnUsername = username;
    n.turnCredential = credential;
    n.turnExpires = expires;
    return n;
}

HubNotice HubNotice::left(const QByteArray& identity, bool fromLobby, std::string_view reason)
{
    HubNotice n = make(Kind::Left);
    n.identity = identity;
    n.lobby = fromLobby;
    n.reason = fromView(reason);
    return n;
}

QByteArray HubNotice::encode() const
{
    QCborMap body;
    switch (kind) {
    case Kind::Lobby:
        body.insert(QStringLiteral("descriptor"), descriptor);
        body.insert(QStringLiteral("succession"), succession);
        break;
    case Kind::Revised:
        body.insert(QStringLiteral("descriptor"), descriptor);
        break;
    case Kind::Refused:
    case Kind::Error:
        body.insert(QStringLiteral("code"), bounded(code, kMaxCodeBytes));
        body.insert(QStringLiteral("reason"), bounded(reason, kMaxReasonBytes));
        break;
    case Kind::Denied:
    case Kind::Removed:
        body.insert(QStringLiteral("reason"), bounded(reason, kMaxReasonBytes));
        break;
    case Kind::Left:
        body.insert(QStringLiteral("identity"), identity);
        body.insert(QStringLiteral("lobby"), lobby);
        body.insert(QStringLiteral("reason"), bounded(reason, kMaxReasonBytes));
        break;
    case Kind::MediaRoom:
        body.insert(QStringLiteral("endpoint"), endpoint);
        body.insert(QStringLiteral("room"), qint64(room));
        body.insert(QStringLiteral("token"), token);
        break;
    case Kind::TurnCredentials:
        body.insert(QStringLiteral("username"), turnUsername);
        body.insert(QStringLiteral("credential"), turnCredential);
        body.insert(QStringLiteral("expires"), qint64(turnExpires));
        break;
    case Kind::Away:
    case Kind::Back:
        body.insert(QStringLiteral("identity"), identity);
        break;
    case Kind::Admitted:
    case Kind::Ended:
    case Kind::Created:
    case Kind::Resumed:
        break;
    }
    QCborMap m;
    m.insert(QStringLiteral("v"), kVersion);
    m.insert(QStringLiteral("notice"), fromView(toString(kind)));
    m.insert(QStringLiteral("body"), QCborValue(body).toCbor());
    return QCborValue(m).toCbor();
}

bool HubNotice::isNotice(const QByteArray& bytes)
{
    // map(3) "v" 1 "notice": the fixed start of every notice; an envelope has "type" there.
    static const QByteArray prefix = QByteArrayLiteral("\xa3\x61v\x01\x66notice");
    return bytes.startsWith(prefix);
}

ErrorCategory categoryOfHubCode(std::string_view code)
{
    for (const auto& row : kHubCodes) {
        const bool family = !row.code.empty() && row.code.back() == '.';
        if (family ? code.substr(0, row.code.size()) == row.code : code == row.code)
            return row.category;
    }
    return ErrorCategory::Unspecified;
}

Error HubNotice::toError() const
{
    ErrorCategory category = categoryOfHubCode(code.toStdString());
    if (kind == Kind::Refused && category == ErrorCategory::Unspecified)
        category = ErrorCategory::DeniedOrRemoved; // turned away, for a reason new to us
    if (kind != Kind::Refused && category != ErrorCategory::PolicyRefusal)
        category = ErrorCategory::Unspecified; // one message dropped; nobody was turned away
    return Error{code.toStdString(), reason.toStdString(), category};
}

Result<HubNotice> HubNotice::decode(const QByteArray& bytes)
{
    auto outer = protocol::decodeCanonicalMap(bytes, kMaxBytes, "the hub notice");
    if (!outer)
        return outer.error();
    CborReader r(*outer, "notice");
    r.expectKeys({"v", "notice", "body"});
    const uint64_t version = r.unsignedInt("v", 255);
    const QString name = r.text("notice", 32);
    const QByteArray bodyBytes = r.bytes("body", 1, kMaxBytes);
    if (r.error())
        return *r.error();
    if (version != kVersion)
        return makeError("protocol.version", "the hub notice is protocol version " +
                                                 std::to_string(version) +
                                                 "; this Conclave speaks version 1");
    const auto kind = noticeKindFromString(name.toStdString());
    if (!kind)
        return makeError("protocol.invalid", "notice: unknown notice '" + name.toStdString() + "'");
    auto body = protocol::decodeCanonicalMap(bodyBytes, kMaxBytes, "the notice body");
    if (!body)
        return body.error();
    CborReader b(*body, "notice." + name.toStdString());
    HubNotice n = make(*kind);
    switch (*kind) {
    case Kind::Lobby:
        b.expectKeys({"descriptor", "succession"});
        n.descriptor = b.bytes("descriptor", 1, 64 * 1024);
        n.succession = b.bytes("succession", 0, 4 * 1024);
        break;
    case Kind::Revised:
        b.expectKeys({"descriptor"});
        n.descriptor = b.bytes("descriptor", 1, 64 * 1024);
        break;
    case Kind::Refused:
    case Kind::Error:
        b.expectKeys({"code", "reason"});
        n.code = b.text("code", kMaxCodeBytes);
        n.reason = b.text("reason", kMaxReasonBytes);
        break;
    case Kind::Denied:
    case Kind::Removed:
        b.expectKeys({"reason"});
        n.reason = b.text("reason", kMaxReasonBytes);
        break;
    case Kind::Left:
        b.expectKeys({"identity", "lobby", "reason"});
        n.identity = b.exactBytes("identity", 32);
        n.lobby = b.boolean("lobby");
        n.reason = b.text("reason", kMaxReasonBytes);
        break;
    case Kind::MediaRoom:
        b.expectKeys({"endpoint", "room", "token"});
        n.endpoint = b.text("endpoint", kMaxEndpointBytes);
        n.room = b.unsignedInt("room", kMaxRoom);
        n.token = b.text("token", kMaxTokenBytes);
        if (!b.error() && (n.endpoint.isEmpty() || n.token.isEmpty() || n.room == 0))
            return makeError("protocol.invalid",
                             "notice.media_room: the endpoint, room and token must all be set");
        break;
    case Kind::TurnCredentials:
        b.expectKeys({"username", "credential", "expires"});
        n.turnUsername = b.text("username", kMaxTurnFieldBytes);
        n.turnCredential = b.text("credential", kMaxTurnFieldBytes);
        n.turnExpires = b.unsignedInt("expires", kMaxRoom);
        // The username is "<expires>:<id>": a pair that disagrees is not what a hub issues.
        if (!b.error() && (n.turnCredential.isEmpty() ||
                           !n.turnUsername.startsWith(QString::number(n.turnExpires) + u':') ||
                           n.turnUsername.size() <= QString::number(n.turnExpires).size() + 1))
            return makeError("protocol.invalid",
                             "notice.turn_credentials: the username must be \"<expires>:<id>\" "
                             "and the credential must be set");
        break;
    case Kind::Away:
    case Kind::Back:
        b.expectKeys({"identity"});
        n.identity = b.exactBytes("identity", 32);
        break;
    case Kind::Admitted:
    case Kind::Ended:
    case Kind::Created:
    case Kind::Resumed:
        b.expectKeys({});
        break;
    }
    if (b.error())
        return *b.error();
    return n;
}

} // namespace conclave::hub
