// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QByteArray>

#include <string>

namespace conclave::protocol {

/// How much structure one CBOR message may have. Conclave's messages are small maps of
/// scalars and byte strings (nested bodies travel as byte strings and are decoded on their
/// own), so a few dozen items at depth two or three is all an honest sender ever writes.
struct CborBounds {
    int maxDepth = 8;
    qsizetype maxItems = 1024;
};

/// Walks the heads of the first CBOR item in `bytes` without building anything: refuses more
/// than `bounds.maxDepth` nested containers or `bounds.maxItems` data items
/// ("protocol.too_complex"), indefinite lengths ("protocol.non_canonical"), and lengths or
/// counts that cannot fit in what is left ("protocol.malformed"). It costs one pass over at
/// most maxItems heads, so a crafted message is refused before QCborValue::fromCbor spends
/// time and memory on it.
Result<void> preScanCbor(const QByteArray& bytes, const std::string& what, CborBounds bounds = {});

} // namespace conclave::protocol
