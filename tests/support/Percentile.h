// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The nearest-rank percentile of a set of measurements, for benchmarks and the fault suite
// (which report p50/p95 over repeated runs, never assert a timing). Header only.

#include <algorithm>
#include <vector>

namespace conclave::testsupport {

/// The p-th percentile (p in 0..1) of `values`, nearest rank; 0 for none.
inline double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = size_t(p * double(values.size() - 1) + 0.5);
    return values[std::min(values.size() - 1, rank)];
}

} // namespace conclave::testsupport
