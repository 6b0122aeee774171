// SPDX-License-Identifier: GPL-3.0-or-later
#include "protocol/CborReader.h"

#include "protocol/CborPreScan.h"

#include <QSet>

namespace conclave::protocol {

Result<QCborMap> decodeCanonicalMap(const QByteArray& bytes, qsizetype maxBytes,
                                    const std::string& what)
{
    if (bytes.size() > maxBytes)
        return makeError("protocol.too_large", what + " is " + std::to_string(bytes.size()) +
                                                   " bytes; the limit is " +
                                                   std::to_string(maxBytes));
    // Shape first: a crafted message of many tiny or deeply nested items must not get as far
    // as building a QCborValue, which would hold the hub's one thread for a long time.
    if (auto shape = preScanCbor(bytes, what); !shape)
        return shape.error();
    QCborParserError parseError;
    const QCborValue value = QCborValue::fromCbor(bytes, &parseError);
    if (parseError.error != QCborError::NoError)
        return makeError("protocol.malformed",
                         what + " is not valid CBOR: " + parseError.errorString().toStdString());
    if (!value.isMap())
        return makeError("protocol.malformed", what + " must be a CBOR map");
    // One value, one encoding: what we would write must be exactly what we read.
    if (value.toCbor() != bytes)
        return makeError("protocol.non_canonical",
                         what + " is not in canonical form (trailing bytes, indefinite lengths "
                                "or non-minimal numbers)");
    const QCborMap map = value.toMap();
    QSet<QString> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it.key().isString())
            return makeError("protocol.malformed", what + " has a key that is not text");
        const QString key = it.key().toString();
        if (seen.contains(key))
            return makeError("protocol.malformed",
                             what + " has the key '" + key.toStdString() + "' twice");
        seen.insert(key);
    }
    return map;
}

CborReader::CborReader(const QCborMap& map, std::string path) : m_map(map), m_path(std::move(path))
{
}

void CborReader::fail(const std::string& message)
{
    if (!m_error)
        m_error = Error{"protocol.invalid", m_path + ": " + message};
}

void CborReader::expectKeys(std::initializer_list<const char*> keys)
{
    if (m_map.size() != qsizetype(keys.size())) {
        fail("has " + std::to_string(m_map.size()) + " fields; expected " +
             std::to_string(keys.size()));
        return;
    }
    auto it = m_map.begin();
    for (const char* key : keys) {
        if (it.key().toString() != QLatin1String(key)) {
            fail("field '" + it.key().toString().toStdString() + "' where '" + key +
                 "' was expected (fields are in a fixed order)");
            return;
        }
        ++it;
    }
}

QCborValue CborReader::value(const char* key)
{
    if (m_error)
        return {};
    const QCborValue v = m_map.value(QLatin1String(key));
    if (v.isUndefined())
        fail(std::string("missing field '") + key + "'");
    return v;
}

QByteArray CborReader::bytes(const char* key, qsizetype minSize, qsizetype maxSize)
{
    const QCborValue v = value(key);
    if (m_error)
        return {};
    if (!v.isByteArray()) {
        fail(std::string("'") + key + "' must be a byte string");
        return {};
    }
    const QByteArray b = v.toByteArray();
    if (b.size() < minSize || b.size() > maxSize) {
        fail(std::string("'") + key + "' is " + std::to_string(b.size()) + " bytes; expected " +
             (minSize == maxSize ? std::to_string(minSize)
                                 : std::to_string(minSize) + " to " + std::to_string(maxSize)));
        return {};
    }
    return b;
}

QString CborReader::text(const char* key, qsizetype maxBytes)
{
    const QCborValue v = value(key);
    if (m_error)
        return {};
    if (!v.isString()) {
        fail(std::string("'") + key + "' must be a text string");
        return {};
    }
    const QString s = v.toString();
    if (s.toUtf8().size() > maxBytes) {
        fail(std::string("'") + key + "' is longer than " + std::to_string(maxBytes) + " bytes");
        return {};
    }
    return s;
}

uint64_t CborReader::unsignedInt(const char* key, uint64_t max)
{
    const QCborValue v = value(key);
    if (m_error)
        return 0;
    if (!v.isInteger() || v.toInteger() < 0 || uint64_t(v.toInteger()) > max) {
        fail(std::string("'") + key + "' must be a whole number from 0 to " + std::to_string(max));
        return 0;
    }
    return uint64_t(v.toInteger());
}

bool CborReader::boolean(const char* key)
{
    const QCborValue v = value(key);
    if (m_error)
        return false;
    if (!v.isBool()) {
        fail(std::string("'") + key + "' must be true or false");
        return false;
    }
    return v.toBool();
}

QCborMap CborReader::map(const char* key)
{
    const QCborValue v = value(key);
    if (m_error)
        return {};
    if (!v.isMap()) {
        fail(std::string("'") + key + "' must be a map");
        return {};
    }
    return v.toMap();
}

} // namespace conclave::protocol
