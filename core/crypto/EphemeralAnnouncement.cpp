// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/EphemeralAnnouncement.h"

#include <algorithm>
#include <string_view>

namespace conclave::crypto {
namespace {

constexpr std::string_view kLabel = "conclave ephemeral v1";

} // namespace

Bytes EphemeralAnnouncement::signedMessage(const MeetingId& meetingId,
                                           const X25519PublicKey& ephemeral)
{
    Bytes message;
    message.reserve(kLabel.size() + MeetingId::kSize + X25519PublicKey::kSize);
    const ByteView label = asBytes(kLabel);
    message.insert(message.end(), label.begin(), label.end());
    message.insert(message.end(), meetingId.bytes.begin(), meetingId.bytes.end());
    message.insert(message.end(), ephemeral.bytes.begin(), ephemeral.bytes.end());
    return message;
}

EphemeralAnnouncement EphemeralAnnouncement::create(const Ed25519SigningKey& identity,
                                                    const MeetingId& meetingId,
                                                    const X25519PublicKey& ephemeral)
{
    EphemeralAnnouncement announcement;
    announcement.meetingId = meetingId;
    announcement.identity = identity.publicKey();
    announcement.ephemeral = ephemeral;
    const Bytes signature = identity.sign(signedMessage(meetingId, ephemeral));
    std::copy(signature.begin(), signature.end(), announcement.signature.begin());
    return announcement;
}

Result<void> EphemeralAnnouncement::verify(const MeetingId& expectedMeeting) const
{
    if (!(meetingId == expectedMeeting))
        return makeError("keys.wrong_meeting",
                         "the ephemeral key was announced for another meeting; the member must "
                         "announce a key for this meeting");
    if (!verifyEd25519(identity, signedMessage(meetingId, ephemeral), signature))
        return makeError("keys.bad_announcement",
                         "the ephemeral key announcement is not signed by the member's identity "
                         "key; it was altered or made by someone else");
    return {};
}

Bytes EphemeralAnnouncement::encode() const
{
    Bytes out;
    out.reserve(kEncodedSize);
    out.insert(out.end(), meetingId.bytes.begin(), meetingId.bytes.end());
    out.insert(out.end(), identity.bytes.begin(), identity.bytes.end());
    out.insert(out.end(), ephemeral.bytes.begin(), ephemeral.bytes.end());
    out.insert(out.end(), signature.begin(), signature.end());
    return out;
}

Result<EphemeralAnnouncement> EphemeralAnnouncement::decode(ByteView bytes)
{
    if (bytes.size() != kEncodedSize)
        return makeError("keys.bad_announcement",
                         "an ephemeral key announcement is 144 bytes, not " +
                             std::to_string(bytes.size()));
    EphemeralAnnouncement a;
    auto at = bytes.begin();
    std::copy_n(at, a.meetingId.bytes.size(), a.meetingId.bytes.begin());
    at += ptrdiff_t(a.meetingId.bytes.size());
    std::copy_n(at, a.identity.bytes.size(), a.identity.bytes.begin());
    at += ptrdiff_t(a.identity.bytes.size());
    std::copy_n(at, a.ephemeral.bytes.size(), a.ephemeral.bytes.begin());
    at += ptrdiff_t(a.ephemeral.bytes.size());
    std::copy_n(at, a.signature.size(), a.signature.begin());
    return a;
}

} // namespace conclave::crypto
