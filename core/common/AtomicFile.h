// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <string>
#include <string_view>
#include <sys/types.h>

namespace conclave {

/// Writes whole files so that `path` only ever holds the old content or the complete new one:
/// the bytes go to a temporary file beside it (created with `mode`), are flushed to the disk,
/// and only then renamed over `path`. A full disk or a crash part way leaves no empty or
/// half-written file under `path`, and the temporary file is removed on failure.
class AtomicFile {
public:
    /// Replaces `path` (or creates it). `mode` is the new file's permissions (e.g. 0600).
    static Result<void> write(const std::string& path, std::string_view content, mode_t mode);
    /// Like write(), but refuses (code "file.exists") if `path` already exists, and never
    /// replaces it: the link into place is made with link(2), which fails if the name is taken.
    static Result<void> create(const std::string& path, std::string_view content, mode_t mode);

private:
    static Result<std::string> writeTemporary(const std::string& path, std::string_view content,
                                              mode_t mode);
    static void syncDirectoryOf(const std::string& path);
};

} // namespace conclave
