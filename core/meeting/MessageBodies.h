// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "meeting/ChairCommand.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace conclave::meeting {

// The bodies of the signed envelopes (docs/protocol.md §3), one small struct each with exact
// encoding and strict decoding. These are the schema; meaning lives in the sessions and the hub.

struct CreateBody {
    QByteArray descriptor;   ///< signed MeetingDescriptor
    QByteArray announcement; ///< chair's signed ephemeral-key announcement
    QByteArray encode() const;
    static Result<CreateBody> decode(const QByteArray& body);
};

struct KnockBody {
    QByteArray invite; ///< signed InviteToken, or empty for an uninvited knock
    QString name;
    QByteArray announcement; ///< knocker's signed ephemeral-key announcement
    QByteArray proof;        ///< the invite's redeem signature over `announcement`, with an invite
    QByteArray encode() const;
    static Result<KnockBody> decode(const QByteArray& body);
};

/// admit, deny, remove, ask-unmute: one member named by identity key, and a reason to show.
struct TargetBody {
    crypto::Ed25519PublicKey target;
    QString reason;
    QByteArray encode() const;
    static Result<TargetBody> decode(const QByteArray& body);
};

enum class ControlAction {
    Lock,
    Unlock,
    MuteAll,
    Mute,
    StopVideo,
    AllowShare,
    RevokeShare,
    AllowChat,
    DisableChat,
    Suspend,
    Resume,
    End,
    ToLobby ///< back to the waiting room, not banned; needs a target
};
std::string_view toString(ControlAction action);

struct ControlBody {
    ControlAction action = ControlAction::Lock;
    std::optional<crypto::Ed25519PublicKey> target; ///< one member, or everyone when absent
    QByteArray encode() const;
    static Result<ControlBody> decode(const QByteArray& body);
};

/// A co-chair's request to the chair, which holds the key and so carries it out: one of the
/// chair commands the table (meeting/ChairCommand) lets a co-chair ask for, by its name.
struct RequestBody {
    ChairCommand command; ///< action, direction, target and reason only
    QByteArray encode() const;
    static Result<RequestBody> decode(const QByteArray& body);
};

/// A co-chair taking over: the original chair's signed delegation naming it, and its signed
/// chair-change COMMIT.
struct TakeoverBody {
    QByteArray delegation;
    QByteArray commit;
    QByteArray encode() const;
    static Result<TakeoverBody> decode(const QByteArray& body);
};

/// commit, descriptor, delegate: one signed blob.
struct BlobBody {
    static constexpr qsizetype kMaxBlob = 200 * 1024;
    QByteArray blob;
    QByteArray encode() const;
    static Result<BlobBody> decode(const QByteArray& body);
};

/// ack and heartbeat: the epoch the sender holds.
struct EpochBody {
    uint64_t epoch = 0;
    QByteArray encode() const;
    static Result<EpochBody> decode(const QByteArray& body);
};

struct ChatBody {
    static constexpr qsizetype kMaxCiphertext = 16 * 1024;
    uint64_t epoch = 0;
    QByteArray nonce; ///< 24 bytes
    QByteArray ciphertext;
    QByteArray encode() const;
    static Result<ChatBody> decode(const QByteArray& body);
};

/// Media signalling to one member (SDP or ICE), sealed under the epoch's chat key so the hub
/// learns neither descriptions nor addresses (meeting/SealedSignal); the hub routes by `to`.
struct SignalBody {
    static constexpr qsizetype kMaxPayload = 64 * 1024; ///< plaintext
    crypto::Ed25519PublicKey to;
    uint64_t epoch = 0;
    QByteArray nonce; ///< 24 bytes
    QByteArray ciphertext;
    QByteArray encode() const;
    static Result<SignalBody> decode(const QByteArray& body);
};

/// The chair to one member that asked to catch up (`resume`): the current epoch as a signed
/// Resync (docs/e2ee.md §3), the signed descriptor in force, and the room's state - its
/// switches and who may share - which the member takes as it is instead of the controls it
/// missed.
struct ResyncBody {
    static constexpr qsizetype kMaxDescriptor = 64 * 1024;
    static constexpr qsizetype kMaxSharers = 4096;
    crypto::Ed25519PublicKey to;
    QByteArray resync;     ///< crypto::Commit of kind Resync, encoded
    QByteArray descriptor; ///< the chair-signed descriptor in force
    bool locked = false;
    bool suspended = false;
    bool chat = false;
    std::vector<crypto::Ed25519PublicKey> sharers; ///< on the wire: their 32-byte keys, joined
    QByteArray encode() const;
    static Result<ResyncBody> decode(const QByteArray& body);
};

} // namespace conclave::meeting
