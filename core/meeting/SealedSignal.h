// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Clock.h"
#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "crypto/SecureBuffer.h"
#include "meeting/ChatKeyRing.h"
#include "meeting/MessageBodies.h"
#include "protocol/Envelope.h"

#include <QByteArray>

namespace conclave::meeting {

/// Media signalling (SDP offers and answers, ICE candidates - participants' addresses) sealed
/// for the hub to carry but not read: XChaCha20-Poly1305 under the epoch's chat key, with
/// AAD "conclave signal v1" ‖ meeting ‖ epoch ‖ from ‖ to, so a sealed signal opens only for
/// that pair in that epoch and never as a chat message.
class SealedSignal {
public:
    static SignalBody seal(const crypto::SecureBuffer& key, const QByteArray& meetingId,
                           uint64_t epoch, const crypto::Ed25519PublicKey& from,
                           const crypto::Ed25519PublicKey& to, const QByteArray& payload);
    /// The payload, or "chat.undecryptable" when the key, pair, epoch or any byte is wrong.
    static Result<QByteArray> open(const crypto::SecureBuffer& key, const QByteArray& meetingId,
                                   const SignalBody& body, const crypto::Ed25519PublicKey& from);
    /// A received `signal` envelope, as both sessions take it: for `self`, from a roster member
    /// (`fromMember`, null when the sender is none), opened with the key of its epoch.
    /// "media.signal_dropped" otherwise.
    static Result<QByteArray> receive(const ChatKeyRing& keys, TimePoint now,
                                      const QByteArray& meetingId,
                                      const protocol::Envelope& envelope, bool fromMember,
                                      const crypto::Ed25519PublicKey& self);
};

} // namespace conclave::meeting
