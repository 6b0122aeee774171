// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"

#include <span>
#include <string_view>

namespace conclave::storage {

class Database;

/// One schema step. `version` is the PRAGMA user_version the database has after it.
struct Migration {
    int version = 0;
    std::string_view description;
    std::string_view sql;
};

/// The ordered schema history, tracked by PRAGMA user_version. Each step runs in its own
/// IMMEDIATE transaction together with the version bump, so a database is always exactly at
/// some version; a failed step changes nothing. Released steps are never edited: a schema
/// change is a new step at the end (see docs/storage.md).
class Migrations {
public:
    static std::span<const Migration> all();
    static int latestVersion();

    /// Brings the database up to latestVersion().
    static Result<void> apply(Database& db);
    /// Same with an explicit list (tests use it to exercise a failing step). The list must be
    /// numbered 1, 2, 3 ... in order.
    static Result<void> apply(Database& db, std::span<const Migration> steps);
};

} // namespace conclave::storage
