// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/DatabaseInspector.h"

#include "storage/Database.h"

#include <sqlite3.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace conclave::storage {
namespace {

constexpr char kMagic[] = "SQLite format 3"; // 16 bytes with its terminating NUL
constexpr size_t kHeaderSize = 100;

uint32_t readBigEndian(const uint8_t* p, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; ++i)
        v = (v << 8) | p[i];
    return v;
}

struct ConnectionCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

Error corrupt(const std::string& path, const std::string& what)
{
    return makeError("storage.corrupt", "The Conclave database " + path + " is damaged (" + what +
                                            "). " + DatabaseInspector::untouchedAdvice(path));
}

Error notADatabase(const std::string& path, const std::string& what)
{
    return makeError("storage.not_a_database", "The file " + path +
                                                   " is not a Conclave database (" + what + "). " +
                                                   DatabaseInspector::untouchedAdvice(path));
}

// Errors reported by SQLite while only reading: map the ones that mean "bad file" to our
// codes, everything else (permissions, locks) to cannot_open.
Error inspectionError(const std::string& path, sqlite3* db, int rc)
{
    const std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        return notADatabase(path, "SQLite says: " + detail);
    case SQLITE_CORRUPT:
        return corrupt(path, "SQLite says: " + detail);
    default:
        return makeError("storage.cannot_open", "Conclave could not read its database " + path +
                                                    " (" + detail +
                                                    "). Check that the file and its folder "
                                                    "belong to you and are readable.");
    }
}

Result<int64_t> readPragma(const std::string& path, sqlite3* db, const char* sql)
{
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
    if (rc != SQLITE_OK)
        return inspectionError(path, db, rc);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    rc = sqlite3_step(raw);
    if (rc != SQLITE_ROW)
        return inspectionError(path, db, rc);
    return static_cast<int64_t>(sqlite3_column_int64(raw, 0));
}

Result<void> quickCheck(const std::string& path, sqlite3* db)
{
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(5)", -1, &raw, nullptr);
    if (rc != SQLITE_OK)
        return inspectionError(path, db, rc);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    std::string problems;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
        const std::string line = text ? text : "";
        if (line != "ok")
            problems += (problems.empty() ? "" : "; ") + line;
    }
    if (rc != SQLITE_DONE)
        return inspectionError(path, db, rc);
    if (!problems.empty())
        return corrupt(path, "integrity check: " + problems);
    return {};
}

std::string modeText(mode_t mode)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

std::string directoryOf(const std::string& path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

Error permissionDenied(const std::string& what, const std::string& path, const std::string& verb)
{
    struct stat st {};
    const std::string owner =
        ::stat(path.c_str(), &st) == 0
            ? "owned by uid " + std::to_string(st.st_uid) + ", mode " + modeText(st.st_mode)
            : "its owner could not be read";
    return makeError("storage.permission_denied",
                     "The " + what + " " + path + " cannot be " + verb + " by this user (uid " +
                         std::to_string(::geteuid()) + "; " + owner +
                         "). Nothing was changed. Run Conclave as its owner or fix its "
                         "permissions (for example chown it to this user and chmod 600 " +
                         path + "); the database itself is not damaged by this.");
}

} // namespace

Result<void> DatabaseInspector::checkAccess(const std::string& path)
{
    // Without this, an unreadable file reads as zero bytes and is diagnosed as cut short - and
    // the advice for that (start afresh with a new identity) would throw away a good identity.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 && (errno == EACCES || errno == EPERM))
        return permissionDenied("folder holding the database", directoryOf(path), "entered");
    for (const auto& [flags, verb] : {std::pair{O_RDONLY, "read"}, std::pair{O_RDWR, "written"}}) {
        const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
        if (fd >= 0) {
            ::close(fd);
            continue;
        }
        if (errno == EACCES || errno == EPERM)
            return permissionDenied("database file", path, verb);
    }
    return {};
}

std::string DatabaseInspector::untouchedAdvice(const std::string& path)
{
    return "Nothing was changed. To keep your identity, contacts and audit log, restore " + path +
           " from a backup; to start afresh with a new identity, move the file aside (for "
           "example rename it to " +
           path + ".old) and start Conclave again.";
}

Result<void> DatabaseInspector::checkHeader(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec)
        return makeError("storage.cannot_open", "Conclave could not read its database " + path +
                                                    " (" + ec.message() + ").");
    // A zero-length file is an empty database to SQLite. With a write-ahead log beside it the
    // data may still be in the log (a crash before the first checkpoint): let SQLite read it.
    if (size == 0)
        return {};
    std::array<uint8_t, kHeaderSize> header{};
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(header.data()), kHeaderSize);
    const auto got = static_cast<size_t>(in.gcount());
    const size_t compare = std::min(got, sizeof kMagic);
    if (std::memcmp(header.data(), kMagic, compare) != 0)
        return notADatabase(path, "it does not start with the SQLite file signature");
    if (got < kHeaderSize)
        return corrupt(path, "the file is only " + std::to_string(size) +
                                 " bytes long; it was cut short");

    uint32_t pageSize = readBigEndian(header.data() + 16, 2);
    if (pageSize == 1)
        pageSize = 65536;
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        return corrupt(path, "the header gives an impossible page size");

    // With a non-empty log the main file may legitimately lag behind the header (a checkpoint
    // interrupted half way); SQLite replays the log. Without one, a short file was cut short.
    const auto walSize = fs::file_size(path + "-wal", ec);
    if (!ec && walSize > 0)
        return {};
    if (size % pageSize != 0)
        return corrupt(path, "the file ends part way through a page; it was cut short");
    const uint32_t pages = readBigEndian(header.data() + 28, 4);
    const bool pagesValid =
        pages != 0 && std::memcmp(header.data() + 24, header.data() + 92, 4) == 0;
    if (pagesValid && size < static_cast<uintmax_t>(pages) * pageSize)
        return corrupt(path, "the file holds " + std::to_string(size / pageSize) + " of its " +
                                 std::to_string(pages) + " pages; it was cut short");
    return {};
}

Result<DatabaseInspection> DatabaseInspector::inspect(const std::string& path,
                                                      int newestKnownVersion)
{
    if (auto access = checkAccess(path); !access)
        return access.error();
    if (auto header = checkHeader(path); !header)
        return header.error();
    // Even a read-only connection creates empty -wal and -shm files beside a database in WAL
    // mode. When the file is refused, remove the ones this check created, so that "nothing was
    // changed" holds for the folder too. Nobody else can be using them: they did not exist.
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool hadWal = fs::exists(path + "-wal", ec);
    const bool hadShm = fs::exists(path + "-shm", ec);
    auto result = inspectContent(path, newestKnownVersion);
    if (!result) {
        if (!hadWal && fs::exists(path + "-wal", ec) && fs::file_size(path + "-wal", ec) == 0) {
            fs::remove(path + "-wal", ec);
            if (!hadShm)
                fs::remove(path + "-shm", ec);
        }
    }
    return result;
}

Result<DatabaseInspection> DatabaseInspector::inspectContent(const std::string& path,
                                                             int newestKnownVersion)
{
    // Read-only: this connection cannot write, and never checkpoints someone else's log into
    // their file on close.
    sqlite3* raw = nullptr;
    int rc =
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_EXRESCODE, nullptr);
    Connection db(raw);
    if (rc != SQLITE_OK)
        return inspectionError(path, raw, rc);
    sqlite3_busy_timeout(raw, Database::kBusyTimeoutMs);

    auto appId = readPragma(path, raw, "PRAGMA application_id");
    if (!appId)
        return appId.error();
    auto version = readPragma(path, raw, "PRAGMA user_version");
    if (!version)
        return version.error();
    auto objects = readPragma(path, raw, "SELECT count(*) FROM sqlite_schema");
    if (!objects)
        return objects.error();

    DatabaseInspection result;
    if (*appId == 0 && *objects == 0 && *version == 0) {
        result.isNew = true;
        return result;
    }
    if (*appId != Database::kApplicationId)
        return makeError(
            "storage.foreign_database",
            "The file " + path +
                " is an SQLite database that belongs to another program, not Conclave. " +
                "Nothing was changed. Check the path Conclave was given; if it is right, move "
                "that file somewhere else so Conclave can create its own database there.");
    if (*version > newestKnownVersion)
        return makeError("storage.too_new",
                         "The Conclave database " + path + " was written by a newer version of " +
                             "Conclave (schema " + std::to_string(*version) +
                             "; this version understands up to " +
                             std::to_string(newestKnownVersion) +
                             "). Nothing was changed. Install the newer version of Conclave again "
                             "to use it; an older version must not alter it.");
    if (auto check = quickCheck(path, raw); !check)
        return check.error();
    result.userVersion = static_cast<int>(*version);
    return result;
}

} // namespace conclave::storage
