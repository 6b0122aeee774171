// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/Database.h"

#include "storage/DatabaseInspector.h"
#include "storage/Migrations.h"
#include "storage/StorageLog.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace conclave::storage {
namespace {

// Creates the file ourselves so it is 0600 from its first moment (SQLite would use 0644 and
// the umask); the -wal and -shm files SQLite makes later copy the main file's permissions.
Result<void> createIfAbsent(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd >= 0) {
        ::close(fd);
        qCDebug(lcStorage, "created database file %s", path.c_str());
        return {};
    }
    if (errno == EEXIST)
        return {};
    if (errno == EACCES || errno == EPERM) {
        const int error = errno;
        if (auto access = DatabaseInspector::checkAccess(path); !access)
            return access.error(); // an existing file in a folder this user may not enter
        errno = error;
    }
    return makeError("storage.cannot_create", "Conclave could not create its database " + path +
                                                  " (" + std::strerror(errno) +
                                                  "). Check that the folder exists and that you "
                                                  "may write to it.");
}

} // namespace

Database::Database(std::string path, sqlite3* handle) : m_path(std::move(path)), m_db(handle) {}

Database::~Database()
{
    sqlite3_close_v2(m_db);
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path, Schema schema)
{
    if (auto created = createIfAbsent(path); !created)
        return created.error();
    auto inspection = DatabaseInspector::inspect(path, Migrations::latestVersion());
    if (!inspection)
        return inspection.error();

    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE, nullptr);
    std::unique_ptr<Database> db(new Database(path, raw));
    if (rc != SQLITE_OK)
        return db->errorFor(rc, "opening the database for writing");
    if (auto configured = db->configure(); !configured)
        return configured.error();

    if (inspection->isNew) {
        if (::chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0)
            qCWarning(lcStorage, "could not restrict %s to 0600: %s", path.c_str(),
                      std::strerror(errno));
        if (auto r = db->exec("PRAGMA application_id = " + std::to_string(kApplicationId)); !r)
            return r.error();
    }
    if (schema == Schema::None)
        return db;
    if (auto migrated = Migrations::apply(*db); !migrated)
        return migrated.error();
    return db;
}

Result<void> Database::configure()
{
    sqlite3_busy_timeout(m_db, kBusyTimeoutMs);
    sqlite3_extended_result_codes(m_db, 1);
    // trusted_schema=OFF: a database file is data, and a crafted one must not be able to run
    // functions with side effects from its triggers or views. secure_delete: removed rows
    // (invites, contacts) are overwritten instead of lingering in free pages. synchronous=FULL:
    // an audit entry that was reported written survives a power cut.
    if (auto r = exec("PRAGMA trusted_schema = OFF; PRAGMA foreign_keys = ON; "
                      "PRAGMA secure_delete = ON; PRAGMA synchronous = FULL");
        !r)
        return r.error();
    auto mode = prepare("PRAGMA journal_mode = WAL");
    if (!mode)
        return mode.error();
    auto row = mode->step();
    if (!row)
        return row.error();
    if (!*row || mode->columnText(0) != "wal")
        return makeError("storage.no_wal",
                         "Conclave could not switch its database " + m_path +
                             " to write-ahead logging, which it needs to stay consistent after a "
                             "crash. Keep the database on a local disk (not a network share).");
    return {};
}

Result<void> Database::exec(std::string_view sql)
{
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message); // errorFor reads the same text from sqlite3_errmsg
    if (rc != SQLITE_OK)
        return errorFor(rc, "running \"" + text + "\"");
    return {};
}

Result<Statement> Database::prepare(std::string_view sql)
{
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK)
        return errorFor(rc, "preparing \"" + std::string(sql) + "\"");
    return Statement(*this, stmt);
}

Result<int64_t> Database::pragmaInt(std::string_view name)
{
    auto stmt = prepare("PRAGMA " + std::string(name));
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return makeError("storage.sql", "PRAGMA " + std::string(name) + " returned nothing");
    return stmt->columnInt64(0);
}

Result<void> Database::checkpoint()
{
    return exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Error Database::errorFor(int sqliteResult, const std::string& action) const
{
    const std::string detail = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(sqliteResult);
    const std::string where = " (database " + m_path + ", while " + action + ": " + detail + ")";
    switch (sqliteResult & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return makeError("storage.corrupt", "The Conclave database is damaged" + where + ". " +
                                                DatabaseInspector::untouchedAdvice(m_path));
    case SQLITE_FULL:
        return makeError("storage.disk_full",
                         "The disk is full, so Conclave could not save its data" + where +
                             ". Free some space and try again; nothing was half-written.");
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return makeError("storage.busy", "Another Conclave program is holding the database" +
                                             where + ". Close other Conclave windows and retry.");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
        return makeError("storage.cannot_open",
                         "Conclave may not write to its database" + where +
                             ". Check that the file and its folder belong to you.");
    case SQLITE_IOERR:
        return makeError("storage.io", "The disk reported an error" + where +
                                           ". Check the disk, then try again.");
    case SQLITE_CONSTRAINT:
        return makeError("storage.constraint", "The database refused a change" + where + ".");
    default:
        return makeError("storage.sql", "A database operation failed" + where + ".");
    }
}

} // namespace conclave::storage
