// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the envelope decoder: any input gives an Envelope or an Error; an
// accepted envelope re-encodes to exactly the input (one value, one encoding).
#include "protocol/Envelope.h"

#include <cstddef>
#include <cstdint>

using namespace conclave;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    auto envelope = protocol::Envelope::decode(bytes);
    if (!envelope) {
        if (envelope.error().message.empty())
            __builtin_trap();
        return 0;
    }
    if (envelope->encode() != bytes)
        __builtin_trap();
    (void)envelope->verify();
    return 0;
}
