// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/SecureBuffer.h"

#include "crypto/Sodium.h"

#include <sodium.h>

#include <cstring>
#include <new>
#include <utility>

namespace conclave::crypto {

SecureBuffer::SecureBuffer(size_t size) : m_size(size)
{
    ensureSodium();
    if (size == 0)
        return;
    m_data = static_cast<uint8_t*>(sodium_malloc(size));
    if (!m_data)
        throw std::bad_alloc();
    sodium_memzero(m_data, size);
}

SecureBuffer SecureBuffer::random(size_t size)
{
    SecureBuffer buffer(size);
    randombytes_buf(buffer.data(), size);
    return buffer;
}

SecureBuffer SecureBuffer::copyOf(ByteView bytes)
{
    SecureBuffer buffer(bytes.size());
    if (!bytes.empty())
        std::memcpy(buffer.data(), bytes.data(), bytes.size());
    return buffer;
}

SecureBuffer::~SecureBuffer()
{
    release();
}

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
{
}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept
{
    if (this != &other) {
        release();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

void SecureBuffer::release()
{
    if (m_data)
        sodium_free(m_data); // sodium_free wipes before unmapping
    m_data = nullptr;
    m_size = 0;
}

} // namespace conclave::crypto
