// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace conclave::policy {

/// Strict reading of one JSON object of a policy. The first problem is kept (with its path,
/// e.g. "backends[1].max_marking") and later reads return defaults, so parsing code reads
/// straight through and checks error() once. Unknown keys are errors: a misspelt
/// "max_markng" must not silently fall back to a default.
class JsonFieldReader {
public:
    JsonFieldReader(const QJsonObject& object, std::string path, std::optional<Error>& error);

    std::string string(const char* key);
    std::vector<std::string> stringList(const char* key);
    bool boolean(const char* key);
    uint64_t positiveInteger(const char* key);
    QJsonArray array(const char* key);
    QJsonObject object(const char* key);
    bool has(const char* key) const { return m_object.contains(QLatin1String(key)); }
    std::string pathOf(const char* key) const;

    void rejectUnknownKeys(std::initializer_list<const char*> allowed);
    void fail(const std::string& message);
    bool failed() const { return m_error.has_value(); }

private:
    bool require(const char* key);

    const QJsonObject& m_object;
    std::string m_path;
    std::optional<Error>& m_error;
};

} // namespace conclave::policy
