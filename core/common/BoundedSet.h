// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/BoundedMap.h"

#include <cstddef>

namespace conclave {

/// A set that holds at most `capacity` keys, forgetting the one added longest ago (see
/// BoundedMap), with std::set's count/insert/erase so it can stand in for one.
template <typename Key>
class BoundedSet {
public:
    explicit BoundedSet(size_t capacity) : m_map(capacity) {}

    size_t count(const Key& key) const { return m_map.contains(key) ? 1 : 0; }
    void insert(const Key& key) { m_map[key] = true; }
    size_t erase(const Key& key) { return m_map.erase(key) ? 1 : 0; }
    size_t size() const { return m_map.size(); }

private:
    BoundedMap<Key, bool> m_map;
};

} // namespace conclave
