// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "crypto/Bytes.h"

#include <cstddef>
#include <cstdint>

namespace conclave::crypto {

/// Secret bytes in guarded memory (sodium_malloc: guard pages, mlock, canary), wiped on
/// destruction. Move-only, so a secret has exactly one owner and never lingers in a copy.
class SecureBuffer {
public:
    SecureBuffer() = default;
    explicit SecureBuffer(size_t size);
    static SecureBuffer random(size_t size);
    static SecureBuffer copyOf(ByteView bytes);
    ~SecureBuffer();

    SecureBuffer(SecureBuffer&& other) noexcept;
    SecureBuffer& operator=(SecureBuffer&& other) noexcept;
    SecureBuffer(const SecureBuffer&) = delete;
    SecureBuffer& operator=(const SecureBuffer&) = delete;

    uint8_t* data() { return m_data; }
    const uint8_t* data() const { return m_data; }
    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    ByteView view() const { return {m_data, m_size}; }

private:
    void release();

    uint8_t* m_data = nullptr;
    size_t m_size = 0;
};

} // namespace conclave::crypto
