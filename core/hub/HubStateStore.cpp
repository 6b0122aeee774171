// SPDX-License-Identifier: GPL-3.0-or-later
// HubStateStore: opening and checking the file, its schema, and reading it back. Writing the
// changes is in HubStateStoreSave.cpp.
#include "hub/HubStateStore.h"

#include "storage/Database.h"
#include "storage/Statement.h"
#include "storage/TransactionGuard.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <sys/stat.h>

namespace conclave::hub {
namespace {

// The file holds the hub's tables only (Database::Schema::None); their schema version is a row
// of `hub_settings`. Files written before that also hold the device's tables, empty
// (storage::Migrations), and keep the hub's version in the device's `settings`: both are left
// as they are, and the version stays where it was found, so PRAGMA user_version is never the
// hub's. Released steps are never edited: a change is a new step.
// Every table is STRICT and checks the shapes the hub writes, so a file that holds anything
// else is refused on reading (HubStateStore::load) rather than half believed.
constexpr std::string_view kSchemaKey = "hub_state_schema";
constexpr std::string_view kVersionTable = "hub_settings";
constexpr std::string_view kLegacyVersionTable = "settings";
constexpr std::string_view kCreateVersionTable = R"sql(
CREATE TABLE hub_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
)sql";
constexpr std::string_view kStep1 = R"sql(
CREATE TABLE hub_meetings (
    id         BLOB PRIMARY KEY CHECK (length(id) = 16),
    descriptor BLOB NOT NULL,
    chair      BLOB NOT NULL CHECK (length(chair) = 32),
    succession BLOB NOT NULL,
    locked     INTEGER NOT NULL CHECK (locked IN (0, 1)),
    suspended  INTEGER NOT NULL CHECK (suspended IN (0, 1)),
    chat       INTEGER NOT NULL CHECK (chat IN (0, 1))
) STRICT;
CREATE TABLE hub_members (
    meeting  BLOB NOT NULL REFERENCES hub_meetings(id) ON DELETE CASCADE,
    identity BLOB NOT NULL CHECK (length(identity) = 32),
    PRIMARY KEY (meeting, identity)
) STRICT;
CREATE TABLE hub_co_chairs (
    meeting  BLOB NOT NULL REFERENCES hub_meetings(id) ON DELETE CASCADE,
    identity BLOB NOT NULL CHECK (length(identity) = 32),
    grant    BLOB NOT NULL,
    PRIMARY KEY (meeting, identity)
) STRICT;
CREATE TABLE hub_bans (
    meeting  BLOB NOT NULL REFERENCES hub_meetings(id) ON DELETE CASCADE,
    identity BLOB NOT NULL CHECK (length(identity) = 32),
    PRIMARY KEY (meeting, identity)
) STRICT;
CREATE TABLE hub_denials (
    meeting  BLOB NOT NULL REFERENCES hub_meetings(id) ON DELETE CASCADE,
    identity BLOB NOT NULL CHECK (length(identity) = 32),
    count    INTEGER NOT NULL CHECK (count >= 1),
    PRIMARY KEY (meeting, identity)
) STRICT;
CREATE TABLE hub_returning (
    meeting  BLOB NOT NULL REFERENCES hub_meetings(id) ON DELETE CASCADE,
    identity BLOB NOT NULL CHECK (length(identity) = 32),
    PRIMARY KEY (meeting, identity)
) STRICT;
CREATE TABLE hub_spent_invites (
    meeting    BLOB NOT NULL REFERENCES hub_meetings(id) ON DELETE CASCADE,
    invite     BLOB NOT NULL CHECK (length(invite) BETWEEN 1 AND 64),
    identity   BLOB NOT NULL CHECK (length(identity) = 32),
    expires_ms INTEGER NOT NULL,
    PRIMARY KEY (meeting, invite)
) STRICT;
CREATE TABLE hub_share_grants (
    meeting  BLOB NOT NULL REFERENCES hub_meetings(id) ON DELETE CASCADE,
    identity BLOB NOT NULL CHECK (length(identity) = 32),
    PRIMARY KEY (meeting, identity)
) STRICT;
CREATE TABLE hub_sequence (
    meeting  BLOB NOT NULL REFERENCES hub_meetings(id) ON DELETE CASCADE,
    sender   BLOB NOT NULL CHECK (length(sender) = 32),
    everyone INTEGER NOT NULL,
    directed INTEGER NOT NULL,
    PRIMARY KEY (meeting, sender)
) STRICT;
CREATE TABLE hub_ended (
    id BLOB PRIMARY KEY CHECK (length(id) = 16)
) STRICT;
)sql";
constexpr std::array<std::string_view, 1> kSteps{kStep1};

QByteArray bytesOf(const storage::Statement& row, int column)
{
    const crypto::Bytes b = row.columnBlob(column);
    return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()));
}

std::string modeText(mode_t mode)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

} // namespace

HubStateStore::HubStateStore(std::string path, std::unique_ptr<storage::Database> db)
    : m_path(std::move(path)), m_db(std::move(db))
{
}

HubStateStore::~HubStateStore() = default;

Error HubStateStore::damaged(const std::string& what) const
{
    return damagedAt(m_path, what);
}

Error HubStateStore::damagedAt(const std::string& path, const std::string& what)
{
    return makeError(
        "hub.state_corrupt",
        "The hub's saved meeting state " + path + " cannot be used: " + what +
            ". The hub did not start and left the file as it was. Move it aside, with its -wal "
            "and -shm files if there are any (mv " +
            path + " " + path + ".broken; mv " + path + "-wal " + path + "-wal.broken; mv " + path +
            "-shm " + path +
            "-shm.broken), and start the hub again: it then starts without saved meetings, and "
            "their members come back through the waiting room once each chair opens its "
            "meeting again. Or restore the three files from a backup taken while the hub was "
            "stopped.");
}

Result<std::unique_ptr<HubStateStore>> HubStateStore::open(const std::string& path)
{
    // Members' keys and meeting titles are in it: like the TLS key, it is the hub's alone.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        return makeError("hub.state_exposed",
                         "The hub's saved meeting state " + path +
                             " can be read or written by other users (mode " +
                             modeText(st.st_mode) +
                             "). The hub did not start. Make it the hub user's alone (chmod 600 " +
                             path + ") and start the hub again.");
    auto db = storage::Database::open(path, storage::Database::Schema::None);
    if (!db) {
        const Error& e = db.error();
        if (e.code == "storage.corrupt" || e.code == "storage.not_a_database" ||
            e.code == "storage.foreign_database")
            return damagedAt(path, "it is damaged or is not the hub's (" + e.code + ")");
        if (e.code == "storage.too_new")
            return makeError("hub.state_too_new",
                             "The hub's saved meeting state " + path +
                                 " was written by a newer conclave-hub. The hub did not start "
                                 "and left it as it was: run that newer version again.");
        return makeError("hub.state_unreadable",
                         "The hub cannot open its saved meeting state " + path +
                             "; it did not start and changed nothing. " + e.message);
    }
    std::unique_ptr<HubStateStore> store(new HubStateStore(path, std::move(db).value()));
    if (auto migrated = store->migrate(); !migrated)
        return migrated.error();
    return store;
}

Result<void> HubStateStore::migrate()
{
    for (;;) {
        auto tx = storage::TransactionGuard::begin(*m_db);
        if (!tx)
            return tx.error();
        auto table = versionTable();
        if (!table)
            return table.error();
        auto read = m_db->prepare("SELECT value FROM " + std::string(*table) + " WHERE key = ?1");
        if (!read)
            return read.error();
        read->bindText(1, kSchemaKey);
        auto row = read->step();
        if (!row)
            return row.error();
        const std::string text = *row ? read->columnText(0) : std::string("0");
        int version = -1;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
        if (ec != std::errc() || end != text.data() + text.size() || version < 0)
            return damaged("its schema version reads \"" + text + "\"");
        if (version == int(kSteps.size()))
            return tx->commit();
        if (version > int(kSteps.size()))
            return makeError("hub.state_too_new",
                             "The hub's saved meeting state " + m_path +
                                 " was written by a newer conclave-hub (hub schema " + text +
                                 "). The hub did not start and left it as it was: run that "
                                 "newer version again.");
        if (auto r = m_db->exec(kSteps[size_t(version)]); !r)
            return r.error();
        auto bump = m_db->prepare("INSERT INTO " + std::string(*table) +
                                  " (key, value) VALUES (?1, ?2) "
                                  "ON CONFLICT(key) DO UPDATE SET value = ?2");
        if (!bump)
            return bump.error();
        bump->bindText(1, kSchemaKey).bindText(2, std::to_string(version + 1));
        if (auto r = bump->run(); !r)
            return r.error();
        if (auto r = tx->commit(); !r)
            return r.error();
    }
}

Result<std::string_view> HubStateStore::versionTable()
{
    for (const std::string_view table : {kVersionTable, kLegacyVersionTable}) {
        auto exists =
            m_db->prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
        if (!exists)
            return exists.error();
        exists->bindText(1, table);
        auto row = exists->step();
        if (!row)
            return row.error();
        if (*row && exists->columnInt64(0) > 0)
            return table;
    }
    // A new file: called inside migrate()'s transaction, so the table comes with step 1 or not
    // at all.
    if (auto created = m_db->exec(kCreateVersionTable); !created)
        return created.error();
    return kVersionTable;
}

Result<storage::Statement*> HubStateStore::statement(std::string_view sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        auto prepared = m_db->prepare(sql);
        if (!prepared)
            return prepared.error();
        it = m_statements
                 .emplace(std::string(sql),
                          std::make_unique<storage::Statement>(std::move(prepared).value()))
                 .first;
    }
    it->second->reset();
    return it->second.get();
}

Result<HubSnapshot> HubStateStore::load()
{
    auto snapshot = readAll();
    if (snapshot || snapshot.error().code == "hub.state_corrupt")
        return snapshot;
    const Error& e = snapshot.error();
    if (e.code == "storage.corrupt" || e.code == "storage.not_a_database")
        return damaged("SQLite finds it damaged (" + e.message + ")");
    return makeError("hub.state_unreadable",
                     "The hub cannot read its saved meeting state " + m_path +
                         "; it did not start and changed nothing. " + e.message);
}

Result<HubSnapshot> HubStateStore::readAll()
{
    HubSnapshot snapshot;
    std::map<QByteArray, size_t> index; // meeting id -> position in snapshot.meetings
    {
        auto rows = m_db->prepare("SELECT id, descriptor, chair, succession, locked, suspended, "
                                  "chat FROM hub_meetings ORDER BY rowid");
        if (!rows)
            return rows.error();
        for (;;) {
            auto row = rows->step();
            if (!row)
                return row.error();
            if (!*row)
                break;
            MeetingRecord r;
            r.meetingId = bytesOf(*rows, 0);
            r.signedDescriptor = bytesOf(*rows, 1);
            r.chairKey = bytesOf(*rows, 2);
            r.succession = bytesOf(*rows, 3);
            r.room = meeting::RoomState(rows->columnInt64(6) != 0, rows->columnInt64(4) != 0,
                                        rows->columnInt64(5) != 0);
            if (r.meetingId.size() != 16 || r.chairKey.size() != 32)
                return damaged("a meeting's id or chair key has the wrong length");
            index[r.meetingId] = snapshot.meetings.size();
            snapshot.meetings.push_back(std::move(r));
        }
    }
    // One reader per table of per-meeting rows, oldest first: `take` files each row.
    const auto each = [&](std::string_view sql, auto take) -> Result<void> {
        auto rows = m_db->prepare(sql);
        if (!rows)
            return rows.error();
        for (;;) {
            auto row = rows->step();
            if (!row)
                return row.error();
            if (!*row)
                return {};
            const auto it = index.find(bytesOf(*rows, 0));
            if (it == index.end())
                return damaged("it holds a row for a meeting it does not have");
            const QByteArray identity = bytesOf(*rows, 1);
            if (identity.size() != 32)
                return damaged("an identity key has the wrong length");
            take(snapshot.meetings[it->second], identity, *rows);
        }
    };
    using Row = const storage::Statement&;
    const Result<void> steps[] = {
        each("SELECT meeting, identity FROM hub_members ORDER BY rowid",
             [](MeetingRecord& r, const QByteArray& who, Row) { r.members.push_back(who); }),
        each("SELECT meeting, identity, grant FROM hub_co_chairs ORDER BY rowid",
             [](MeetingRecord& r, const QByteArray& who, Row row) {
                 r.coChairs.emplace_back(who, bytesOf(row, 2));
             }),
        each("SELECT meeting, identity FROM hub_bans ORDER BY rowid",
             [](MeetingRecord& r, const QByteArray& who, Row) { r.bans.push_back(who); }),
        each("SELECT meeting, identity, count FROM hub_denials ORDER BY rowid",
             [](MeetingRecord& r, const QByteArray& who, Row row) {
                 r.denials.emplace_back(who, int(row.columnInt64(2)));
             }),
        each("SELECT meeting, identity FROM hub_returning ORDER BY rowid",
             [](MeetingRecord& r, const QByteArray& who, Row) { r.returning.push_back(who); }),
        each("SELECT meeting, identity, invite, expires_ms FROM hub_spent_invites ORDER BY rowid",
             [](MeetingRecord& r, const QByteArray& who, Row row) {
                 r.spentInvites.push_back(
                     {bytesOf(row, 2), who,
                      TimePoint(std::chrono::milliseconds(row.columnInt64(3)))});
             }),
        each("SELECT meeting, identity FROM hub_share_grants ORDER BY rowid",
             [](MeetingRecord& r, const QByteArray& who, Row) {
                 meeting::ControlBody grant{meeting::ControlAction::AllowShare, {}};
                 grant.target = *crypto::Ed25519PublicKey::fromBytes(crypto::ByteView(
                     reinterpret_cast<const uint8_t*>(who.constData()), size_t(who.size())));
                 r.room.apply(grant);
             }),
        each("SELECT meeting, sender, everyone, directed FROM hub_sequence ORDER BY rowid",
             [](MeetingRecord& r, const QByteArray& who, Row row) {
                 // Stored as SQLite's signed integers; a number is 64 bits either way.
                 r.sequence.push_back(
                     {who, {uint64_t(row.columnInt64(2)), uint64_t(row.columnInt64(3))}});
             }),
    };
    for (const Result<void>& step : steps)
        if (!step)
            return step.error();

    auto ended = m_db->prepare("SELECT id FROM hub_ended ORDER BY rowid");
    if (!ended)
        return ended.error();
    for (;;) {
        auto row = ended->step();
        if (!row)
            return row.error();
        if (!*row)
            return snapshot;
        snapshot.ended.push_back(bytesOf(*ended, 0));
    }
}

} // namespace conclave::hub
