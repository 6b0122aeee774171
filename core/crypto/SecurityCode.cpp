// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SecurityCode.h"

#include "crypto/Blake2b.h"
#include "crypto/Fingerprint.h"
#include "crypto/ScheduleWire.h"

namespace conclave::crypto::security_code {

std::string meetingCode(const MeetingId& meetingId, const Ed25519PublicKey& chairIdentity,
                        const X25519PublicKey& chairEphemeral)
{
    const Bytes digest = Blake2b(32)
                             .update(asBytes("conclave meeting code v1"))
                             .update(meetingId.view())
                             .update(chairIdentity.view())
                             .update(chairEphemeral.view())
                             .finish();
    return groupedDigits(digest, 4);
}

std::string epochCode(const MeetingId& meetingId, uint64_t epoch, const RosterHash& rosterHash)
{
    Bytes epochBytes;
    schedule_wire::putU64(epochBytes, epoch);
    const Bytes digest = Blake2b(32)
                             .update(asBytes("conclave epoch code v1"))
                             .update(meetingId.view())
                             .update(epochBytes)
                             .update(rosterHash)
                             .finish();
    return groupedDigits(digest, 6);
}

} // namespace conclave::crypto::security_code
