// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Error.h"
#include "common/Result.h"

#include <QByteArray>
#include <QCborMap>
#include <QCborValue>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

namespace conclave::protocol {

/// Decodes one CBOR item that must be a map, refusing anything that is not in the one
/// encoding Conclave writes: trailing bytes, indefinite lengths, non-minimal integers (all
/// caught by re-encoding and comparing), duplicate keys, or more than `maxBytes`.
Result<QCborMap> decodeCanonicalMap(const QByteArray& bytes, qsizetype maxBytes,
                                    const std::string& what);

/// Strict reading of one decoded map: keys must be exactly `keys`, in that order; every read
/// checks type and bounds. The first problem is kept (with its path) and later reads return
/// defaults, so decoders read straight through and check error() once.
class CborReader {
public:
    CborReader(const QCborMap& map, std::string path);

    void expectKeys(std::initializer_list<const char*> keys);
    QByteArray bytes(const char* key, qsizetype minSize, qsizetype maxSize);
    QByteArray exactBytes(const char* key, qsizetype size) { return bytes(key, size, size); }
    QString text(const char* key, qsizetype maxBytes);
    uint64_t unsignedInt(const char* key, uint64_t max);
    bool boolean(const char* key);
    QCborMap map(const char* key);

    void fail(const std::string& message);
    const std::optional<Error>& error() const { return m_error; }

private:
    QCborValue value(const char* key);

    const QCborMap& m_map;
    std::string m_path;
    std::optional<Error> m_error;
};

} // namespace conclave::protocol
