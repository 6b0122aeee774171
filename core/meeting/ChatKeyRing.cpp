// SPDX-License-Identifier: GPL-3.0-or-later
#include "meeting/ChatKeyRing.h"

namespace conclave::meeting {

void ChatKeyRing::install(uint64_t epoch, crypto::SecureBuffer key, TimePoint now)
{
    if (m_current && m_current->epoch == epoch)
        return;
    if (m_current) {
        m_current->retiredAt = now;
        m_retired.push_back(std::move(*m_current));
    }
    m_current = Entry{epoch, std::move(key), TimePoint::max()};
    while (!m_retired.empty() &&
           (now - m_retired.front().retiredAt > kGrace || m_retired.size() > kMaxRetired))
        m_retired.pop_front(); // wiped
}

const crypto::SecureBuffer* ChatKeyRing::keyFor(uint64_t epoch, TimePoint now) const
{
    if (m_current && m_current->epoch == epoch)
        return &m_current->key;
    for (const Entry& e : m_retired)
        if (e.epoch == epoch && now - e.retiredAt <= kGrace)
            return &e.key;
    return nullptr;
}

void ChatKeyRing::clear()
{
    m_current.reset();
    m_retired.clear();
}

} // namespace conclave::meeting
