// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <utility>

namespace conclave {

/// A map that holds at most `capacity` entries: adding one more forgets the entry added
/// longest ago. For records about identities that a stranger can mint without end (denials,
/// bans by denial): keeping the most recent ones is worth more than running out of memory.
template <typename Key, typename Value>
class BoundedMap {
public:
    explicit BoundedMap(size_t capacity) : m_capacity(capacity < 1 ? 1 : capacity) {}

    /// The entry for `key`, added (value-initialised) if missing.
    Value& operator[](const Key& key)
    {
        const auto it = m_entries.find(key);
        if (it != m_entries.end())
            return it->second.first;
        while (m_entries.size() >= m_capacity)
            evictOldest();
        const uint64_t stamp = ++m_stamp;
        Value& value = m_entries.emplace(key, std::make_pair(Value{}, stamp)).first->second.first;
        m_order.emplace_back(key, stamp);
        compact();
        return value;
    }

    const Value* find(const Key& key) const
    {
        const auto it = m_entries.find(key);
        return it == m_entries.end() ? nullptr : &it->second.first;
    }
    bool contains(const Key& key) const { return m_entries.count(key) > 0; }
    bool erase(const Key& key) { return m_entries.erase(key) > 0; }
    size_t size() const { return m_entries.size(); }
    size_t capacity() const { return m_capacity; }

private:
    void evictOldest()
    {
        while (!m_order.empty()) {
            const auto [key, stamp] = m_order.front();
            m_order.pop_front();
            const auto it = m_entries.find(key);
            // Skip what was erased (or erased and added again) since it was queued.
            if (it != m_entries.end() && it->second.second == stamp) {
                m_entries.erase(it);
                return;
            }
        }
    }
    /// Erased entries leave their place in the queue behind; drop those now and then so the
    /// queue stays within a small multiple of the capacity.
    void compact()
    {
        if (m_order.size() <= 2 * m_capacity + 16)
            return;
        std::deque<std::pair<Key, uint64_t>> live;
        for (const auto& [key, stamp] : m_order) {
            const auto it = m_entries.find(key);
            if (it != m_entries.end() && it->second.second == stamp)
                live.emplace_back(key, stamp);
        }
        m_order = std::move(live);
    }

    size_t m_capacity;
    uint64_t m_stamp = 0;
    std::map<Key, std::pair<Value, uint64_t>> m_entries;
    std::deque<std::pair<Key, uint64_t>> m_order;
};

} // namespace conclave
