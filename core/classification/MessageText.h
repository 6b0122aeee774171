// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace conclave::classification {

/// Joins message fragments (internal to MarkingParser). Used instead of chains of
/// `"literal" + std::string(...)`, which GCC 12 at -O3 flags with a false -Wrestrict
/// (GCC bug 105329) and which -Werror builds would then refuse.
inline std::string concat(std::initializer_list<std::string_view> parts)
{
    size_t size = 0;
    for (std::string_view part : parts)
        size += part.size();
    std::string out;
    out.reserve(size);
    for (std::string_view part : parts)
        out.append(part);
    return out;
}

} // namespace conclave::classification
