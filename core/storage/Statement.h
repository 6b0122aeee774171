// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "crypto/Bytes.h"

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace conclave::storage {

class Database;

/// A prepared SQLite statement, finalized on destruction. Bind indexes are 1-based and column
/// indexes 0-based, as in the SQLite C API. A failed bind is remembered and reported by the
/// next step(), so binds can be chained without checking each one.
class Statement {
public:
    Statement(Database& db, sqlite3_stmt* stmt);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bindInt64(int index, int64_t value);
    Statement& bindText(int index, std::string_view value);
    Statement& bindBlob(int index, crypto::ByteView value);
    Statement& bindNull(int index);

    /// true: a row is available for the column accessors; false: the statement is done.
    Result<bool> step();
    /// Runs a statement that returns no rows (INSERT, UPDATE, DDL) to completion.
    Result<void> run();
    /// Makes the statement runnable again with fresh bindings.
    void reset();

    bool isNull(int column) const;
    int64_t columnInt64(int column) const;
    std::string columnText(int column) const;
    crypto::Bytes columnBlob(int column) const;

private:
    void release();
    void noteBindResult(int rc, int index);

    Database* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    int m_bindError = 0;
    int m_bindErrorIndex = 0;
};

} // namespace conclave::storage
