// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/Result.h"
#include "hub/HubChange.h"
#include "hub/HubSnapshot.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace conclave::storage {
class Database;
class Statement;
} // namespace conclave::storage

namespace conclave::hub {

/// The standalone hub's saved state: an SQLite file (DATA/hub-state.sqlite, mode 0600) that
/// holds what the hub needs to go on enforcing its rules for the meetings it hosts after a
/// restart - each meeting's signed descriptor, its chair (and succession), members' and
/// co-chairs' keys with their grants, bans, denials, spent invites, the room's switches, the
/// last sequence numbers and the ids of ended meetings. Never chat, commits, keys or anything
/// else a meeting says: none of that reaches it (HubChange has no place for it).
///
/// An existing file that cannot be read or is not what the hub wrote is refused with an error
/// that names it and says what to do ("hub.state_corrupt", "hub.state_unreadable",
/// "hub.state_exposed", "hub.state_too_new"); the file is never reset, repaired or deleted.
class HubStateStore {
public:
    static constexpr std::string_view kFileName = "hub-state.sqlite";

    /// Opens `path`, creating it (0600) when absent.
    static Result<std::unique_ptr<HubStateStore>> open(const std::string& path);
    ~HubStateStore();
    HubStateStore(const HubStateStore&) = delete;
    HubStateStore& operator=(const HubStateStore&) = delete;

    const std::string& path() const { return m_path; }

    /// Everything saved, meetings in the order they were opened.
    Result<HubSnapshot> load();
    /// Writes `changes` in order, in one transaction: all of them or, on an error (a full
    /// disk), none - the caller keeps them and tries again.
    Result<void> save(const HubChanges& changes);

    /// The refusal for a file whose content is not what the hub wrote (`what` says how): it
    /// names the file and says what to do.
    Error damaged(const std::string& what) const;

private:
    HubStateStore(std::string path, std::unique_ptr<storage::Database> db);
    static Error damagedAt(const std::string& path, const std::string& what);
    Result<void> migrate();
    /// The table that holds the hub's schema version, made when the file has none.
    Result<std::string_view> versionTable();
    Result<HubSnapshot> readAll();
    /// A prepared statement for `sql`, kept for the next write (reset, no bindings).
    Result<storage::Statement*> statement(std::string_view sql);
    Result<void> write(const HubChange& change);
    Result<void> writeRoom(const QByteArray& meetingId, const meeting::RoomState& room);
    /// Forgets the oldest rows of `table` for the meeting past `cap`, as the hub's capped
    /// records forget the oldest entries.
    Result<void> trim(std::string_view table, const QByteArray& meetingId, size_t cap);
    /// The same for the ended meetings' ids (HubState::kEndedRemembered).
    Result<void> trimEnded();

    std::string m_path;
    std::unique_ptr<storage::Database> m_db;
    std::map<std::string, std::unique_ptr<storage::Statement>, std::less<>> m_statements;
    /// Capped records a batch added to, cut back at its end: (table, meeting).
    std::set<std::pair<std::string, QByteArray>> m_toTrim;
    bool m_trimEnded = false;
};

} // namespace conclave::hub
