// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for every meeting-level decoder a hub or a peer can feed us: signed objects
// (descriptors, invites, meeting links, co-chair delegations), message bodies, invite links, hub
// notices. Any input must give a value or an Error; accepted canonical forms must re-encode to the
// same bytes.
#include "hub/HubNotice.h"
#include "meeting/Delegation.h"
#include "meeting/InviteToken.h"
#include "meeting/MeetingDescriptor.h"
#include "meeting/MeetingLink.h"
#include "meeting/MessageBodies.h"
#include "meeting/SignedObject.h"

#include <cstddef>
#include <cstdint>

using namespace conclave;
using namespace conclave::meeting;

namespace {

template <typename Body>
void roundTrip(const QByteArray& bytes)
{
    auto body = Body::decode(bytes);
    if (body && body->encode() != bytes)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    for (const char* kind : {"descriptor", "invite", "meeting-link", "delegation"}) {
        auto object = SignedObject::decode(bytes, QString::fromLatin1(kind));
        if (object && object->encode() != bytes)
            __builtin_trap();
        if (object && object->kind == QLatin1String("delegation"))
            (void)Delegation::verify(bytes, QByteArray(16, '\0'), object->signer);
    }
    (void)MeetingDescriptor::fromSigned(bytes);
    (void)InviteToken::fromSigned(bytes);
    const QString text = QString::fromLatin1(bytes);
    if (auto invite = InviteToken::parseLink(text))
        (void)InviteToken::fromSigned(invite->signedInvite);
    (void)MeetingLink::fromLink(text);
    roundTrip<CreateBody>(bytes);
    roundTrip<KnockBody>(bytes);
    roundTrip<TargetBody>(bytes);
    roundTrip<ControlBody>(bytes);
    roundTrip<BlobBody>(bytes);
    roundTrip<EpochBody>(bytes);
    roundTrip<ChatBody>(bytes);
    roundTrip<SignalBody>(bytes);
    roundTrip<RequestBody>(bytes);
    roundTrip<TakeoverBody>(bytes);
    if (hub::HubNotice::isNotice(bytes)) {
        auto notice = hub::HubNotice::decode(bytes);
        if (notice && notice->encode() != bytes)
            __builtin_trap();
    }
    return 0;
}
