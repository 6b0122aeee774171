// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "storage/Statement.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;

namespace conclave::storage {

/// One connection to the device's SQLite database (WAL, foreign keys on, schema migrated),
/// or to another Conclave SQLite file that keeps its own tables (Schema::None).
///
/// open() never resets, repairs or overwrites an existing file: anything it does not
/// recognise as a healthy Conclave database of a version it knows is refused with an error
/// that names the file and says what to do, and the file is left byte-for-byte as it was.
/// A connection belongs to one thread at a time.
class Database {
public:
    /// PRAGMA application_id of every Conclave database: "CNCL".
    static constexpr int32_t kApplicationId = 0x434E434C;
    static constexpr int kBusyTimeoutMs = 5000;

    /// The tables open() creates and keeps migrated.
    enum class Schema {
        /// The device's tables (storage::Migrations): identity, policy state, audit log ...
        Device,
        /// None: the caller keeps its own tables and their versions, in a file that is still a
        /// Conclave database (application id, permissions, checks), as the hub's saved state.
        /// user_version is left alone; a file that has the device tables keeps them.
        None,
    };

    /// Opens (creating with 0600 permissions if absent) and migrates to the newest schema.
    static Result<std::unique_ptr<Database>> open(const std::string& path,
                                                  Schema schema = Schema::Device);

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::string& path() const { return m_path; }

    /// Runs one or more SQL statements that return no rows.
    Result<void> exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    /// Reads an integer pragma such as user_version or application_id.
    Result<int64_t> pragmaInt(std::string_view name);
    /// Copies the write-ahead log into the main file and empties the log (backups, tests).
    Result<void> checkpoint();

    /// Turns an SQLite result code into an Error that names this file and the failed action.
    Error errorFor(int sqliteResult, const std::string& action) const;

private:
    Database(std::string path, sqlite3* handle);
    Result<void> configure();

    std::string m_path;
    sqlite3* m_db = nullptr;
};

} // namespace conclave::storage
