// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/EnvelopeGuard.h"

#include "crypto/Fingerprint.h"
#include "protocol/SenderRoles.h"

namespace conclave::meeting {

using protocol::MessageType;

EnvelopeGuard::EnvelopeGuard(QByteArray meetingId, crypto::Ed25519PublicKey chair)
    : m_meetingId(std::move(meetingId)), m_chair(chair)
{
}

bool EnvelopeGuard::chairOnly(MessageType type)
{
    return protocol::chairOnly(type); // the table the hub reads too
}

EnvelopeGuard::Verdict EnvelopeGuard::check(const protocol::Envelope& envelope)
{
    const std::string type(protocol::toString(envelope.type));
    if (envelope.meetingId != m_meetingId)
        return {Error{"envelope.wrong_meeting", "a '" + type +
                                                    "' message for another meeting "
                                                    "was delivered here; it was dropped"},
                std::nullopt};
    if (!envelope.verify())
        return {Error{"envelope.bad_signature",
                      "a '" + type + "' message claiming to be from " +
                          crypto::publicKeyId(envelope.sender.view()) +
                          " has a signature that does not verify: it was forged or altered on "
                          "the way (the hub or the network may be tampering); it was dropped"},
                std::nullopt};
    if (chairOnly(envelope.type) && !(envelope.sender == m_chair))
        return {Error{"envelope.not_chair",
                      "a '" + type + "' message signed by " +
                          crypto::publicKeyId(envelope.sender.view()) +
                          " claims the chair's authority, but only the chair (" +
                          crypto::publicKeyId(m_chair.view()) + ") may send it; it was dropped"},
                std::nullopt};
    const protocol::SequenceStream stream = protocol::sequenceStreamOf(envelope.type);
    const uint64_t before = m_sequences.lastSeen(m_meetingId, envelope.sender, stream);
    if (auto accepted = m_sequences.accept(envelope); !accepted)
        return {accepted.error(), std::nullopt};
    Verdict verdict;
    // Only the chair's messages to every member are all seen here: a gap among them is
    // messages dropped on the way. Its messages to others (media set-up) are not ours to see.
    if (envelope.sender == m_chair && stream == protocol::SequenceStream::Everyone && before != 0 &&
        envelope.seq > before + 1)
        verdict.chairMessagesLost = envelope.seq - before - 1;
    return verdict;
}

} // namespace conclave::meeting
