// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <QString>

#include <string>

namespace conclave::app {

/// Reads a whole file, refusing (before reading it all) files larger than maxBytes.
/// Errors: "file.missing", "file.unreadable", "file.too_large" with the path in the message.
Result<std::string> readFileLimited(const QString& path, qint64 maxBytes);

/// Writes a new file and refuses to replace an existing one ("file.exists"), so that no
/// key or signature is ever overwritten by accident. `ownerOnly` creates it 0600.
Result<void> writeNewFile(const QString& path, const std::string& content, bool ownerOnly);

} // namespace conclave::app
