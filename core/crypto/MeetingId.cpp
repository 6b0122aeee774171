// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/MeetingId.h"

#include "crypto/Sodium.h"

#include <sodium.h>

#include <algorithm>
#include <string>

namespace conclave::crypto {

MeetingId MeetingId::random()
{
    ensureSodium();
    MeetingId id;
    randombytes_buf(id.bytes.data(), id.bytes.size());
    return id;
}

Result<MeetingId> MeetingId::fromBytes(ByteView data)
{
    if (data.size() != kSize)
        return makeError("keys.bad_meeting_id",
                         "a meeting id is 16 bytes, not " + std::to_string(data.size()));
    MeetingId id;
    std::copy(data.begin(), data.end(), id.bytes.begin());
    return id;
}

} // namespace conclave::crypto
