// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"

#include <QJsonObject>

#include <cstdio>

namespace conclave::app {

/// Writes one compact JSON object per line and flushes, so a driving process can read events
/// as they happen. Failures are also written to stderr in plain words for people.
class JsonLineWriter {
public:
    explicit JsonLineWriter(std::FILE* out = stdout, std::FILE* err = stderr)
        : m_out(out), m_err(err)
    {
    }

    void write(const QJsonObject& object) const;
    /// {"event": event, "code": ..., "reason": ...} on stdout and the reason on stderr.
    void writeFailure(const char* event, const Error& error) const;

private:
    std::FILE* m_out;
    std::FILE* m_err;
};

} // namespace conclave::app
