// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <optional>
#include <string_view>

namespace conclave::hub {

/// What the hub itself tells a client (docs/protocol.md §5): CBOR {v: 1, notice: text,
/// body: bytes} where body is the exact CBOR encoding of the notice's own map. Notices are
/// NOT signed: they are the hub's word, informational only. Nothing a client trusts - who is
/// in the meeting, who is chair, which key to use - ever rests on a notice; those come in
/// chair-signed envelopes.
struct HubNotice {
    static constexpr qsizetype kMaxBytes = 72 * 1024;
    static constexpr qsizetype kMaxCodeBytes = 64;
    static constexpr qsizetype kMaxReasonBytes = 1024;
    static constexpr qsizetype kMaxEndpointBytes = 512;
    static constexpr qsizetype kMaxTokenBytes = 128;
    static constexpr qsizetype kMaxTurnFieldBytes = 128;
    /// Janus room ids stay below 2^53 so that every JSON parser reads them exactly.
    static constexpr uint64_t kMaxRoom = (uint64_t(1) << 53) - 1;

    enum class Kind {
        Lobby,     ///< {descriptor, succession}: the knock is queued; the signed descriptor to
                   ///< show, and the delegation of the co-chair now chairing (or empty)
        Refused,   ///< {code, reason}: the create or knock was refused; the hub closes
        Denied,    ///< {reason}: the chair turned the knocker away; the hub closes
        Removed,   ///< {reason}: the chair removed this member; the hub closes
        Admitted,  ///< {}: the chair let this knocker in; meeting traffic follows
        Ended,     ///< {}: the chair ended the meeting; the hub closes
        Error,     ///< {code, reason}: one message was dropped
        Created,   ///< {}: the hub registered the chair's meeting
        Left,      ///< {identity, lobby, reason}: a member (or, to the chair, a knocker) went
        Revised,   ///< {descriptor}: the hub took the chair's descriptor revision; it is in force
        MediaRoom, ///< {endpoint, room, token}: where this member's media goes on a hub+janus
                   ///< backend - the Janus instance (a URL the policy must list, with its pin),
                   ///< the VideoRoom and this member's own token; again after a move
        Resumed,   ///< {}: the hub took this member's signed resume; it is in the room again
        Away,      ///< {identity}: a member's connection went; its place is kept for a while
        Back,      ///< {identity}: a member that was away (or reconnected) is back
        TurnCredentials, ///< {username, credential, expires}: short-lived TURN REST
                         ///< credentials for the TURN servers the *policy* lists - never a
                         ///< server; again before they expire
    };

    Kind kind = Kind::Error;
    QString code;             ///< refused, error
    QString reason;           ///< refused, denied, removed, error, left
    QByteArray descriptor;    ///< lobby, revised: the chair-signed descriptor
    QByteArray succession;    ///< lobby: the delegation a co-chair took the chair over with
    QByteArray identity;      ///< left, away, back: 32-byte identity key
    bool lobby = false;       ///< left: true when a knocker (not a member) went
    QString endpoint;         ///< media_room: the Janus instance's URL
    uint64_t room = 0;        ///< media_room: the VideoRoom id (below 2^53)
    QString token;            ///< media_room: this member's single-admission Janus token
    QString turnUsername;     ///< turn_credentials: "<expiry>:<id>" (coturn's REST scheme)
    QString turnCredential;   ///< turn_credentials: base64 HMAC-SHA1 of the username
    uint64_t turnExpires = 0; ///< turn_credentials: Unix seconds, as in the username

    static HubNotice lobbyNotice(const QByteArray& signedDescriptor,
                                 const QByteArray& succession = {});
    static HubNotice refused(std::string_view code, std::string_view reason);
    static HubNotice denied(const QString& reason);
    static HubNotice removed(const QString& reason);
    static HubNotice admitted();
    static HubNotice ended();
    static HubNotice error(std::string_view code, std::string_view reason);
    static HubNotice created();
    static HubNotice left(const QByteArray& identity, bool fromLobby, std::string_view reason);
    static HubNotice revised(const QByteArray& signedDescriptor);
    static HubNotice mediaRoom(const QString& endpoint, uint64_t room, const QString& token);
    static HubNotice resumed();
    static HubNotice away(const QByteArray& identity);
    static HubNotice back(const QByteArray& identity);
    static HubNotice turnCredentials(const QString& username, const QString& credential,
                                     uint64_t expires);

    /// Encodes; texts longer than their limit are cut at a character boundary.
    QByteArray encode() const;
    /// Strict decoding, as for envelopes: canonical CBOR, exact keys per kind.
    static Result<HubNotice> decode(const QByteArray& bytes);
    /// True when `bytes` looks like a notice rather than an envelope (second key "notice"),
    /// so a client knows which decoder to use without trying both.
    static bool isNotice(const QByteArray& bytes);

    /// A `refused` or `error` notice as the Error a client reports, with its category from
    /// categoryOfHubCode: a `refused` notice whose code is not a policy or connection code is
    /// the hub turning this connection away (DeniedOrRemoved); an `error` notice (one message
    /// dropped) is a policy refusal or Unspecified.
    Error toError() const;
};

/// What kind of failure a hub code is (docs/protocol.md §6): PolicyRefusal for the hub's
/// policy checks (`policy.*`, `marking.*`, the ApprovalEngine's codes, `options_not_allowed`),
/// ConnectionOrIdentity for connection limits, protocol faults and a create the hub does not
/// accept from this chair, DeniedOrRemoved for a knock turned away (locked, banned, spent
/// invite, full lobby ...), Unspecified for a code not in the table. The notice carries only
/// code and reason, so this table - the one place - is how a client knows; hubs of every
/// version are read the same way.
ErrorCategory categoryOfHubCode(std::string_view code);

std::string_view toString(HubNotice::Kind kind);
std::optional<HubNotice::Kind> noticeKindFromString(std::string_view name);

} // namespace conclave::hub
