// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/Statement.h"

#include "storage/Database.h"

#include <sqlite3.h>

#include <utility>

namespace conclave::storage {

Statement::Statement(Database& db, sqlite3_stmt* stmt) : m_db(&db), m_stmt(stmt) {}

Statement::~Statement()
{
    release();
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_stmt(std::exchange(other.m_stmt, nullptr)),
      m_bindError(other.m_bindError), m_bindErrorIndex(other.m_bindErrorIndex)
{
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        release();
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_bindError = other.m_bindError;
        m_bindErrorIndex = other.m_bindErrorIndex;
    }
    return *this;
}

void Statement::release()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
}

void Statement::noteBindResult(int rc, int index)
{
    if (rc != SQLITE_OK && m_bindError == 0) {
        m_bindError = rc;
        m_bindErrorIndex = index;
    }
}

Statement& Statement::bindInt64(int index, int64_t value)
{
    noteBindResult(sqlite3_bind_int64(m_stmt, index, value), index);
    return *this;
}

Statement& Statement::bindText(int index, std::string_view value)
{
    noteBindResult(sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                       SQLITE_UTF8),
                   index);
    return *this;
}

Statement& Statement::bindBlob(int index, crypto::ByteView value)
{
    // A zero-length blob must still be a blob, not NULL: sqlite3_bind_blob64 treats a null
    // pointer as NULL, so point at something harmless.
    static const uint8_t kEmpty = 0;
    const void* data = value.empty() ? &kEmpty : value.data();
    noteBindResult(sqlite3_bind_blob64(m_stmt, index, data, value.size(), SQLITE_TRANSIENT), index);
    return *this;
}

Statement& Statement::bindNull(int index)
{
    noteBindResult(sqlite3_bind_null(m_stmt, index), index);
    return *this;
}

Result<bool> Statement::step()
{
    if (m_bindError != 0)
        return m_db->errorFor(m_bindError, "binding parameter " + std::to_string(m_bindErrorIndex) +
                                               " of \"" + std::string(sqlite3_sql(m_stmt)) + "\"");
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return m_db->errorFor(rc, "running \"" + std::string(sqlite3_sql(m_stmt)) + "\"");
}

Result<void> Statement::run()
{
    for (;;) {
        auto row = step();
        if (!row)
            return row.error();
        if (!*row)
            return {};
    }
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    m_bindError = 0;
    m_bindErrorIndex = 0;
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

int64_t Statement::columnInt64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

std::string Statement::columnText(int column) const
{
    const auto* text = sqlite3_column_text(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    if (!text)
        return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

crypto::Bytes Statement::columnBlob(int column) const
{
    const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(m_stmt, column));
    const int size = sqlite3_column_bytes(m_stmt, column);
    if (!data || size <= 0)
        return {};
    return crypto::Bytes(data, data + size);
}

} // namespace conclave::storage
