// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QDeadlineTimer>
#include <QTest>

#include <memory>
#include <optional>

namespace conclave::testsupport {

/// Runs an asynchronous request to completion (or a test timeout) and returns its result.
template <typename T, typename Start>
Result<T> await(Start start, int timeoutMs = 15000)
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

inline QString describe(const Error& e)
{
    return QString::fromStdString(e.code + ": " + e.message);
}

/// The error of a failed result, for a failure message (empty when it succeeded).
template <typename R>
QString why(const R& result)
{
    return result ? QString() : describe(result.error());
}

} // namespace conclave::testsupport
