// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/ChatCipher.h"
#include "crypto/Ed25519.h"
#include "meeting/MessageBodies.h"

#include <QByteArray>
#include <QString>

namespace conclave::meeting {

/// A chat line and the marking it was written under (every chat message carries the
/// meeting's classification), sealed with the epoch's chat key. The AAD binds meeting, epoch
/// and sender, so the hub cannot re-attribute or move a message between epochs.
struct ChatMessage {
    static constexpr qsizetype kMaxTextBytes = 8000;

    QString marking;
    QString text;

    ChatBody seal(const crypto::SecureBuffer& chatKey, const QByteArray& meetingId, uint64_t epoch,
                  const crypto::Ed25519PublicKey& sender) const;
    static Result<ChatMessage> open(const crypto::SecureBuffer& chatKey,
                                    const QByteArray& meetingId, const ChatBody& body,
                                    const crypto::Ed25519PublicKey& sender);
};

} // namespace conclave::meeting
