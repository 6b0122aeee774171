// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/ChatKeyRing.h"

namespace conclave::meeting {

void ChatKeyRing::install(uint64_t epoch, crypto::SecureBuffer key, TimePoint now)
{
    if (m_current && m_current->epoch == epoch)
        return;
    if (m_current) {
        m_current->retiredAt = now;
        m_previous = std::move(m_current);
    }
    m_current = Entry{epoch, std::move(key), TimePoint::max()};
}

const crypto::SecureBuffer* ChatKeyRing::keyFor(uint64_t epoch, TimePoint now) const
{
    if (m_current && m_current->epoch == epoch)
        return &m_current->key;
    if (m_previous && m_previous->epoch == epoch && now - m_previous->retiredAt <= kGrace)
        return &m_previous->key;
    return nullptr;
}

void ChatKeyRing::clear()
{
    m_current.reset();
    m_previous.reset();
}

} // namespace conclave::meeting
