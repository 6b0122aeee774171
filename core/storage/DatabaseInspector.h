// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <string>

namespace conclave::storage {

/// What an existing file turned out to be, judged without writing a single byte to it.
struct DatabaseInspection {
    bool isNew = false;  // empty: no tables, no application id; safe to initialise
    int userVersion = 0; // schema version of a Conclave database
};

/// The read-only checks Database::open makes before it will write anything: that this user may
/// read and write the file at all (a permission problem is named as one), the SQLite header
/// and file size are checked by hand (so garbage never reaches SQLite), then a read-only
/// connection reads application_id and user_version and runs PRAGMA quick_check.
class DatabaseInspector {
public:
    static Result<DatabaseInspection> inspect(const std::string& path, int newestKnownVersion);
    /// "storage.permission_denied" when this user may not enter the folder or read or write the
    /// file, naming the owner and mode; success otherwise (other problems are left to the
    /// checks that follow).
    static Result<void> checkAccess(const std::string& path);

    /// The sentence every refusal ends with: the file is untouched, and how to proceed.
    static std::string untouchedAdvice(const std::string& path);

private:
    static Result<void> checkHeader(const std::string& path);
    static Result<DatabaseInspection> inspectContent(const std::string& path,
                                                     int newestKnownVersion);
};

} // namespace conclave::storage
