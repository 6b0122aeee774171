// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Ed25519.h"
#include "protocol/Envelope.h"
#include "protocol/SequenceTracker.h"

#include <QByteArray>

#include <optional>

namespace conclave::meeting {

/// The checks every client runs on every envelope before acting on it, whatever the hub says:
/// it belongs to this meeting, its signature verifies, chair-only types come from the chair's
/// key, and it is not a replay. It also notices gaps in the chair's sequence numbers - the sign
/// of a hub dropping the chair's messages selectively.
class EnvelopeGuard {
public:
    EnvelopeGuard(QByteArray meetingId, crypto::Ed25519PublicKey chair);

    struct Verdict {
        std::optional<Error> refusal;              ///< set: drop the envelope, show the reason
        std::optional<uint64_t> chairMessagesLost; ///< how many chair messages never arrived
    };
    Verdict check(const protocol::Envelope& envelope);

    /// Types only the chair may send, from protocol::senderRule - the table the hub reads (a
    /// co-chair's `request` and `takeover` are checked by the sessions against its delegation).
    static bool chairOnly(protocol::MessageType type);
    const crypto::Ed25519PublicKey& chair() const { return m_chair; }
    /// After a verified takeover, chair-only types come from the new chair.
    void setChair(const crypto::Ed25519PublicKey& chair) { m_chair = chair; }

private:
    QByteArray m_meetingId;
    crypto::Ed25519PublicKey m_chair;
    protocol::SequenceTracker m_sequences;
};

} // namespace conclave::meeting
