// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QDeadlineTimer>
#include <QTest>

#include <memory>
#include <optional>

namespace conclave::testsupport {

/// Runs an asynchronous request that reports a Result<T> to a callback (`start(done)`), letting
/// the event loop run until it answers or `timeoutMs` pass (then `test.timeout`).
template <typename T, typename Start>
Result<T> awaitResult(Start start, int timeoutMs = 15000)
{
    auto out = std::make_shared<std::optional<Result<T>>>();
    start([out](Result<T> r) { out->emplace(std::move(r)); });
    QDeadlineTimer deadline(timeoutMs);
    while (!out->has_value() && !deadline.hasExpired())
        QTest::qWait(10);
    if (!out->has_value())
        return Error{"test.timeout", "the request did not complete within the test's timeout"};
    return std::move(**out);
}

} // namespace conclave::testsupport
