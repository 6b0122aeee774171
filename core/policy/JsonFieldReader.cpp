// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/JsonFieldReader.h"

#include <cmath>

namespace conclave::policy {

JsonFieldReader::JsonFieldReader(const QJsonObject& object, std::string path,
                                 std::optional<Error>& error)
    : m_object(object), m_path(std::move(path)), m_error(error)
{
}

std::string JsonFieldReader::pathOf(const char* key) const
{
    return m_path.empty() ? std::string(key) : m_path + "." + key;
}

void JsonFieldReader::fail(const std::string& message)
{
    if (!m_error)
        m_error = Error{"policy.invalid", message};
}

bool JsonFieldReader::require(const char* key)
{
    if (m_error)
        return false;
    if (!m_object.contains(QLatin1String(key))) {
        fail("the policy has no '" + pathOf(key) + "'; it is required");
        return false;
    }
    return true;
}

std::string JsonFieldReader::string(const char* key)
{
    if (!require(key))
        return {};
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (!v.isString()) {
        fail("'" + pathOf(key) + "' must be a string");
        return {};
    }
    return v.toString().toStdString();
}

std::vector<std::string> JsonFieldReader::stringList(const char* key)
{
    std::vector<std::string> out;
    const QJsonArray items = array(key);
    for (qsizetype i = 0; i < items.size() && !m_error; ++i) {
        if (!items[i].isString())
            fail("'" + pathOf(key) + "[" + std::to_string(i) + "]' must be a string");
        else
            out.push_back(items[i].toString().toStdString());
    }
    return out;
}

bool JsonFieldReader::boolean(const char* key)
{
    if (!require(key))
        return false;
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (!v.isBool()) {
        fail("'" + pathOf(key) + "' must be true or false");
        return false;
    }
    return v.toBool();
}

uint64_t JsonFieldReader::positiveInteger(const char* key)
{
    if (!require(key))
        return 0;
    const QJsonValue v = m_object.value(QLatin1String(key));
    // JSON numbers are doubles here: above 2^53 integers stop being exact.
    constexpr double kMaxExact = 9007199254740991.0;
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < 1 || d > kMaxExact || std::floor(d) != d) {
        fail("'" + pathOf(key) + "' must be a whole number from 1 to 9007199254740991");
        return 0;
    }
    return static_cast<uint64_t>(d);
}

QJsonArray JsonFieldReader::array(const char* key)
{
    if (!require(key))
        return {};
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (!v.isArray()) {
        fail("'" + pathOf(key) + "' must be a list");
        return {};
    }
    return v.toArray();
}

QJsonObject JsonFieldReader::object(const char* key)
{
    if (!require(key))
        return {};
    const QJsonValue v = m_object.value(QLatin1String(key));
    if (!v.isObject()) {
        fail("'" + pathOf(key) + "' must be an object");
        return {};
    }
    return v.toObject();
}

void JsonFieldReader::rejectUnknownKeys(std::initializer_list<const char*> allowed)
{
    if (m_error)
        return;
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        bool known = false;
        for (const char* a : allowed)
            known = known || it.key() == QLatin1String(a);
        if (!known) {
            fail("unknown key '" + pathOf(it.key().toStdString().c_str()) +
                 "' (check the spelling against docs/policy.md)");
            return;
        }
    }
}

} // namespace conclave::policy
