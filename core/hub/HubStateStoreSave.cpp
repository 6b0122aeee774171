// SPDX-License-Identifier: GPL-3.0-or-later
// HubStateStore, writing: each HubChange becomes a few rows. Rows for a meeting already
// forgotten (closed earlier in the same batch, or never saved) are skipped rather than failing
// the batch, so one change can never keep every later one from being saved.
#include "hub/HubMeeting.h"
#include "hub/HubState.h"
#include "hub/HubStateStore.h"

#include "storage/Database.h"
#include "storage/Statement.h"
#include "storage/TransactionGuard.h"

#include <utility>

namespace conclave::hub {
namespace {

using Kind = HubChange::Kind;

crypto::ByteView view(const QByteArray& bytes)
{
    return {reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size())};
}

int64_t milliseconds(TimePoint t)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Every per-identity table has the same shape: (meeting, identity [, more]).
constexpr std::string_view kIfMeeting = " WHERE EXISTS (SELECT 1 FROM hub_meetings WHERE id = ?1)";

std::string insertPair(std::string_view table)
{
    // ON CONFLICT, not OR IGNORE: a row breaking a CHECK must fail the batch, not vanish.
    return "INSERT INTO " + std::string(table) + " (meeting, identity) SELECT ?1, ?2" +
           std::string(kIfMeeting) + " ON CONFLICT DO NOTHING";
}

std::string deletePair(std::string_view table)
{
    return "DELETE FROM " + std::string(table) + " WHERE meeting = ?1 AND identity = ?2";
}

} // namespace

Result<void> HubStateStore::save(const HubChanges& changes)
{
    if (changes.empty())
        return {};
    auto tx = storage::TransactionGuard::begin(*m_db);
    if (!tx)
        return tx.error();
    m_toTrim.clear(); // left by a batch that failed: it is in this one again
    m_trimEnded = false;
    for (const HubChange& change : changes)
        if (auto written = write(change); !written)
            return written.error(); // the guard rolls every change of the batch back
    // The capped records are cut back once per batch, not per row: a batch of many bans
    // costs one count. Bans are never taken back, so the same ones go as in memory; a denial
    // taken back in the same batch may leave one more older denial than memory keeps, which
    // only ever means a stricter hub after a restart.
    for (const auto& [table, meetingId] : m_toTrim)
        if (auto trimmed =
                trim(table, meetingId,
                     table == "hub_bans" ? HubMeeting::kMaxBans : HubMeeting::kMaxDenials);
            !trimmed)
            return trimmed.error();
    m_toTrim.clear();
    if (std::exchange(m_trimEnded, false))
        if (auto trimmed = trimEnded(); !trimmed)
            return trimmed.error();
    return tx->commit();
}

Result<void> HubStateStore::write(const HubChange& c)
{
    // Runs `sql` with ?1 = the meeting and the rest bound by `more`.
    const auto run = [&](std::string_view sql, auto more) -> Result<void> {
        auto stmt = statement(sql);
        if (!stmt)
            return stmt.error();
        (*stmt)->bindBlob(1, view(c.meetingId));
        more(**stmt);
        return (*stmt)->run();
    };
    const auto meetingOnly = [](storage::Statement&) {};
    const auto identity = [&](storage::Statement& s) { s.bindBlob(2, view(c.identity)); };
    const auto identityAnd = [&](auto more) {
        return [&, more](storage::Statement& s) {
            s.bindBlob(2, view(c.identity));
            more(s);
        };
    };
    switch (c.kind) {
    case Kind::Opened:
        // An id once forgotten may be opened again: nothing of the old one is kept.
        if (auto r = run("DELETE FROM hub_meetings WHERE id = ?1", meetingOnly); !r)
            return r;
        if (auto r = run("INSERT INTO hub_meetings (id, chair, descriptor, succession, locked, "
                         "suspended, chat) VALUES (?1, ?2, ?3, ?4, 0, 0, 0)",
                         identityAnd([&](storage::Statement& s) {
                             s.bindBlob(3, view(c.bytes)).bindBlob(4, crypto::ByteView());
                         }));
            !r)
            return r;
        return writeRoom(c.meetingId, c.room);
    case Kind::Descriptor:
        if (auto r = run("UPDATE hub_meetings SET descriptor = ?2 WHERE id = ?1",
                         [&](storage::Statement& s) { s.bindBlob(2, view(c.bytes)); });
            !r)
            return r;
        return writeRoom(c.meetingId, c.room);
    case Kind::Chair:
        return run("UPDATE hub_meetings SET chair = ?2, succession = ?3 WHERE id = ?1",
                   identityAnd([&](storage::Statement& s) { s.bindBlob(3, view(c.bytes)); }));
    case Kind::Member:
        return run(c.on ? insertPair("hub_members") : deletePair("hub_members"), identity);
    case Kind::CoChair:
        if (!c.on)
            return run(deletePair("hub_co_chairs"), identity);
        return run("INSERT OR REPLACE INTO hub_co_chairs (meeting, identity, grant) SELECT ?1, "
                   "?2, ?3" +
                       std::string(kIfMeeting),
                   identityAnd([&](storage::Statement& s) { s.bindBlob(3, view(c.bytes)); }));
    case Kind::Banned:
        m_toTrim.emplace("hub_bans", c.meetingId);
        return run(insertPair("hub_bans"), identity);
    case Kind::Denied:
        if (c.count < 1)
            return run(deletePair("hub_denials"), identity);
        // An update keeps the row's age, as the hub's capped record keeps the entry's.
        m_toTrim.emplace("hub_denials", c.meetingId);
        return run("INSERT INTO hub_denials (meeting, identity, count) SELECT ?1, ?2, ?3" +
                       std::string(kIfMeeting) +
                       " ON CONFLICT (meeting, identity) DO UPDATE SET count = ?3",
                   identityAnd([&](storage::Statement& s) { s.bindInt64(3, c.count); }));
    case Kind::Returning:
        return run(c.on ? insertPair("hub_returning") : deletePair("hub_returning"), identity);
    case Kind::InviteSpent:
        return run("INSERT OR REPLACE INTO hub_spent_invites (meeting, identity, invite, "
                   "expires_ms) SELECT ?1, ?2, ?3, ?4" +
                       std::string(kIfMeeting),
                   identityAnd([&](storage::Statement& s) {
                       s.bindBlob(3, view(c.bytes)).bindInt64(4, milliseconds(c.time));
                   }));
    case Kind::InvitesExpired:
        return run("DELETE FROM hub_spent_invites WHERE meeting = ?1 AND expires_ms <= ?2",
                   [&](storage::Statement& s) { s.bindInt64(2, milliseconds(c.time)); });
    case Kind::Room:
        return writeRoom(c.meetingId, c.room);
    case Kind::Sequence:
        // Numbers are 64-bit unsigned; SQLite keeps them as the same 64 bits, signed.
        return run("INSERT INTO hub_sequence (meeting, sender, everyone, directed) SELECT ?1, "
                   "?2, ?3, ?4" +
                       std::string(kIfMeeting) +
                       " ON CONFLICT (meeting, sender) DO UPDATE SET everyone = ?3, "
                       "directed = ?4",
                   identityAnd([&](storage::Statement& s) {
                       s.bindInt64(3, int64_t(c.seq[0])).bindInt64(4, int64_t(c.seq[1]));
                   }));
    case Kind::Closed:
        if (auto r = run("DELETE FROM hub_meetings WHERE id = ?1", meetingOnly); !r)
            return r;
        if (!c.on)
            return {};
        m_trimEnded = true;
        return run("INSERT INTO hub_ended (id) VALUES (?1) ON CONFLICT DO NOTHING", meetingOnly);
    }
    return {};
}

Result<void> HubStateStore::writeRoom(const QByteArray& meetingId, const meeting::RoomState& room)
{
    auto switches =
        statement("UPDATE hub_meetings SET locked = ?2, suspended = ?3, chat = ?4 WHERE id = ?1");
    if (!switches)
        return switches.error();
    (*switches)
        ->bindBlob(1, view(meetingId))
        .bindInt64(2, room.locked() ? 1 : 0)
        .bindInt64(3, room.suspended() ? 1 : 0)
        .bindInt64(4, room.chat() ? 1 : 0);
    if (auto r = (*switches)->run(); !r)
        return r;
    auto clear = statement("DELETE FROM hub_share_grants WHERE meeting = ?1");
    if (!clear)
        return clear.error();
    (*clear)->bindBlob(1, view(meetingId));
    if (auto r = (*clear)->run(); !r)
        return r;
    for (const QByteArray& identity : room.shareGrants()) {
        auto grant = statement(insertPair("hub_share_grants"));
        if (!grant)
            return grant.error();
        (*grant)->bindBlob(1, view(meetingId)).bindBlob(2, view(identity));
        if (auto r = (*grant)->run(); !r)
            return r;
    }
    return {};
}

Result<void> HubStateStore::trimEnded()
{
    auto stmt = statement("DELETE FROM hub_ended WHERE rowid IN (SELECT rowid FROM hub_ended "
                          "ORDER BY rowid DESC LIMIT -1 OFFSET ?1)");
    if (!stmt)
        return stmt.error();
    (*stmt)->bindInt64(1, int64_t(HubState::kEndedRemembered));
    return (*stmt)->run();
}

Result<void> HubStateStore::trim(std::string_view table, const QByteArray& meetingId, size_t cap)
{
    const std::string name(table);
    auto count = statement("SELECT count(*) FROM " + name + " WHERE meeting = ?1");
    if (!count)
        return count.error();
    (*count)->bindBlob(1, view(meetingId));
    auto row = (*count)->step();
    if (!row)
        return row.error();
    const int64_t rows = *row ? (*count)->columnInt64(0) : 0;
    (*count)->reset(); // no read left open in the transaction
    if (rows <= int64_t(cap))
        return {};
    auto drop = statement("DELETE FROM " + name + " WHERE rowid IN (SELECT rowid FROM " + name +
                          " WHERE meeting = ?1 ORDER BY rowid DESC LIMIT -1 OFFSET ?2)");
    if (!drop)
        return drop.error();
    (*drop)->bindBlob(1, view(meetingId)).bindInt64(2, int64_t(cap));
    return (*drop)->run();
}

} // namespace conclave::hub
