// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/Blake2b.h"

#include "crypto/Sodium.h"

#include <array>

namespace conclave::crypto {

Blake2b::Blake2b(size_t outputSize) : m_outputSize(outputSize)
{
    ensureSodium();
    crypto_generichash_init(&m_state, nullptr, 0, m_outputSize);
}

Blake2b& Blake2b::update(ByteView data)
{
    crypto_generichash_update(&m_state, data.data(), data.size());
    return *this;
}

Blake2b& Blake2b::updateField(ByteView data)
{
    std::array<uint8_t, 8> length{};
    uint64_t n = data.size();
    for (int i = 7; i >= 0; --i, n >>= 8)
        length[static_cast<size_t>(i)] = static_cast<uint8_t>(n & 0xff);
    update(length);
    return update(data);
}

Bytes Blake2b::finish()
{
    Bytes out(m_outputSize);
    crypto_generichash_final(&m_state, out.data(), out.size());
    return out;
}

Bytes Blake2b::hash(ByteView data, size_t outputSize)
{
    return Blake2b(outputSize).update(data).finish();
}

} // namespace conclave::crypto
