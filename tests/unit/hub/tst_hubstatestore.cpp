// SPDX-License-Identifier: GPL-3.0-or-later
// HubStateStore on a real SQLite file: what the hub notes comes back as it was written, in
// order, capped as the hub caps it; a batch is saved whole or not at all; and a file that is
// not what the hub wrote is refused - named, with what to do - and left exactly as it was.
#include "hub/HubMeeting.h"
#include "hub/HubState.h"
#include "hub/HubStateStore.h"
#include "storage/Database.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>
#include <sys/stat.h>

using namespace conclave;
using namespace conclave::hub;
using Kind = HubChange::Kind;

namespace {

QByteArray id(char fill, int n = 32)
{
    return QByteArray(n, fill);
}

QByteArray meetingId(char fill)
{
    return id(fill, 16);
}

TimePoint at(int seconds)
{
    return TimePoint(std::chrono::seconds(1800000000 + seconds));
}

HubChange opened(const QByteArray& meeting, const QByteArray& chair)
{
    return {.kind = Kind::Opened,
            .meetingId = meeting,
            .identity = chair,
            .bytes = QByteArray("signed descriptor of ") + meeting.toHex(),
            .room = meeting::RoomState(true)};
}

HubChange of(Kind kind, const QByteArray& meeting, const QByteArray& who, bool on = true)
{
    return {.kind = kind, .meetingId = meeting, .identity = who, .on = on};
}

meeting::ControlBody shareFor(const QByteArray& who)
{
    meeting::ControlBody c{meeting::ControlAction::AllowShare, {}};
    c.target = *crypto::Ed25519PublicKey::fromBytes(
        crypto::ByteView(reinterpret_cast<const uint8_t*>(who.constData()), 32));
    return c;
}

/// SQL through a connection of its own, as someone with the file would run it.
QString rawExec(const QString& path, const QString& sql)
{
    sqlite3* db = nullptr;
    if (sqlite3_open(QFile::encodeName(path).constData(), &db) != SQLITE_OK) {
        sqlite3_close(db);
        return QStringLiteral("cannot open");
    }
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, &message);
    const QString text = rc == SQLITE_OK ? QString() : QString::fromUtf8(message);
    sqlite3_free(message);
    sqlite3_close(db);
    return text;
}

/// The tables in the file, by name, read through a connection of its own.
QStringList tablesOf(const QString& path)
{
    QStringList names;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(path).constData(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &stmt,
                           nullptr);
        while (stmt && sqlite3_step(stmt) == SQLITE_ROW)
            names << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    names.sort();
    return names;
}

QByteArray bytesOf(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestHubStateStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    /// A fresh file for each test.
    std::string freshPath()
    {
        return (m_dir.path() + QStringLiteral("/state-%1.sqlite").arg(++m_n)).toStdString();
    }

    static std::unique_ptr<HubStateStore> openOrFail(const std::string& path)
    {
        auto store = HubStateStore::open(path);
        if (!store)
            qFatal("cannot open %s: %s", path.c_str(), store.error().message.c_str());
        return std::move(store).value();
    }

private slots:
    void everythingNotedComesBackInOrder()
    {
        const std::string path = freshPath();
        const QByteArray m = meetingId('m'), chair = id('c'), bob = id('b'), carol = id('k'),
                         dave = id('d'), eve = id('e');
        meeting::RoomState room(false, true, false); // chat off, locked
        room.apply(shareFor(bob));
        {
            auto store = openOrFail(path);
            HubChanges batch{
                opened(m, chair),
                of(Kind::Member, m, chair),
                of(Kind::Member, m, bob),
                of(Kind::Member, m, carol),
                {.kind = Kind::CoChair, .meetingId = m, .identity = bob, .bytes = "grant 1"},
                {.kind = Kind::CoChair, .meetingId = m, .identity = bob, .bytes = "grant 2"},
                of(Kind::Banned, m, eve),
                of(Kind::Banned, m, dave),
                {.kind = Kind::Denied, .meetingId = m, .identity = carol, .count = 1},
                {.kind = Kind::Denied, .meetingId = m, .identity = dave, .count = 1},
                {.kind = Kind::Denied, .meetingId = m, .identity = dave, .count = 0},
                of(Kind::Returning, m, dave),
                {.kind = Kind::InviteSpent,
                 .meetingId = m,
                 .identity = bob,
                 .bytes = "invite-1",
                 .time = at(3600)},
                {.kind = Kind::InviteSpent,
                 .meetingId = m,
                 .identity = carol,
                 .bytes = "invite-2",
                 .time = at(60)},
                {.kind = Kind::InvitesExpired, .meetingId = m, .time = at(60)},
                {.kind = Kind::Room, .meetingId = m, .room = room},
                {.kind = Kind::Sequence,
                 .meetingId = m,
                 .identity = bob,
                 .seq = {uint64_t(1) << 63 | 5, 7}}, // the top bit survives SQLite's signed ints
                {.kind = Kind::Chair, .meetingId = m, .identity = bob, .bytes = "succession"},
                {.kind = Kind::Descriptor, .meetingId = m, .bytes = "revision 2", .room = room},
            };
            QVERIFY(store->save(batch));
            QVERIFY(store->save({of(Kind::Member, m, carol, false)}));
        }
        auto store = openOrFail(path); // as after a restart
        auto loaded = store->load();
        QVERIFY2(loaded, loaded ? "" : loaded.error().message.c_str());
        QCOMPARE(loaded->meetings.size(), size_t(1));
        const MeetingRecord& r = loaded->meetings.front();
        QCOMPARE(r.meetingId, m);
        QCOMPARE(r.signedDescriptor, QByteArray("revision 2"));
        QCOMPARE(r.chairKey, bob);
        QCOMPARE(r.succession, QByteArray("succession"));
        QCOMPARE(r.members, (std::vector<QByteArray>{chair, bob}));
        QCOMPARE(r.coChairs.size(), size_t(1));
        QCOMPARE(r.coChairs.front().second, QByteArray("grant 2"));
        QCOMPARE(r.bans, (std::vector<QByteArray>{eve, dave})); // oldest first
        QCOMPARE(r.denials.size(), size_t(1));
        QCOMPARE(r.denials.front(), std::make_pair(carol, 1));
        QCOMPARE(r.returning, std::vector<QByteArray>{dave});
        QCOMPARE(r.spentInvites.size(), size_t(1));
        QCOMPARE(r.spentInvites.front().inviteId, QByteArray("invite-1"));
        QCOMPARE(r.spentInvites.front().identity, bob);
        QVERIFY(r.spentInvites.front().expires == at(3600));
        QVERIFY(r.room == room);
        QVERIFY(r.room.locked() && !r.room.chat() && r.room.mayShare(bob));
        QCOMPARE(r.sequence.size(), size_t(1));
        QCOMPARE(r.sequence.front().seq[0], uint64_t(1) << 63 | 5);
        QCOMPARE(r.sequence.front().seq[1], uint64_t(7));
        QVERIFY(loaded->ended.empty());
    }

    void closedMeetingsAreForgottenAndEndedOnesRemembered()
    {
        auto store = openOrFail(freshPath());
        const QByteArray ended = meetingId('1'), emptied = meetingId('2'), open = meetingId('3');
        QVERIFY(store->save({opened(ended, id('c')), of(Kind::Member, ended, id('b')),
                             opened(emptied, id('c')), opened(open, id('c'))}));
        QVERIFY(store->save({{.kind = Kind::Closed, .meetingId = ended, .on = true},
                             {.kind = Kind::Closed, .meetingId = emptied, .on = false},
                             // a row for a meeting already forgotten is skipped, not an error
                             of(Kind::Member, ended, id('x'))}));
        auto loaded = store->load();
        QVERIFY(loaded);
        QCOMPARE(loaded->meetings.size(), size_t(1));
        QCOMPARE(loaded->meetings.front().meetingId, open);
        QCOMPARE(loaded->ended, std::vector<QByteArray>{ended});
        // An id opened again starts afresh: nothing of its earlier life is kept.
        QVERIFY(store->save({of(Kind::Banned, open, id('e')),
                             {.kind = Kind::Closed, .meetingId = open, .on = false},
                             opened(open, id('c'))}));
        loaded = store->load();
        QVERIFY(loaded && loaded->meetings.front().bans.empty());
    }

    void cappedRecordsForgetTheOldestAsTheHubDoes()
    {
        auto store = openOrFail(freshPath());
        const QByteArray m = meetingId('m');
        HubChanges batch{opened(m, id('c'))};
        const auto identity = [](size_t i) {
            QByteArray who(32, '\0');
            std::memcpy(who.data(), &i, sizeof i);
            return who;
        };
        for (size_t i = 0; i <= HubMeeting::kMaxBans; ++i)
            batch.push_back(of(Kind::Banned, m, identity(i)));
        for (size_t i = 0; i <= HubState::kEndedRemembered; ++i) {
            QByteArray other(16, '\0');
            std::memcpy(other.data(), &i, sizeof i);
            other[15] = 'z';
            batch.push_back({.kind = Kind::Closed, .meetingId = other, .on = true});
        }
        QVERIFY(store->save(batch));
        auto loaded = store->load();
        QVERIFY(loaded);
        const auto& bans = loaded->meetings.front().bans;
        QCOMPARE(bans.size(), HubMeeting::kMaxBans);
        QCOMPARE(bans.front(), identity(1)); // the first one went
        QCOMPARE(bans.back(), identity(HubMeeting::kMaxBans));
        QCOMPARE(loaded->ended.size(), HubState::kEndedRemembered);
    }

    void aBatchIsSavedWholeOrNotAtAll()
    {
        auto store = openOrFail(freshPath());
        const QByteArray m = meetingId('m');
        // The second change cannot be written (a key the hub never has): neither is.
        auto saved = store->save({opened(m, id('c')), of(Kind::Member, m, id('b', 31))});
        QVERIFY(!saved);
        auto loaded = store->load();
        QVERIFY(loaded && loaded->meetings.empty());
        QVERIFY(store->save({opened(m, id('c'))})); // and the store goes on working
    }

    void theFileIsTheHubsAlone()
    {
        const std::string path = freshPath();
        openOrFail(path);
        struct stat st {};
        QCOMPARE(::stat(path.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));

        ::chmod(path.c_str(), 0644);
        auto exposed = HubStateStore::open(path);
        QVERIFY(!exposed);
        QCOMPARE(exposed.error().code, std::string("hub.state_exposed"));
        QVERIFY(exposed.error().message.find("chmod 600 " + path) != std::string::npos);
        ::chmod(path.c_str(), 0600);
        QVERIFY(HubStateStore::open(path));
    }

    void aFileThatIsNotTheHubsIsRefusedAndLeftAsItWas()
    {
        const std::string path = freshPath();
        const QString qpath = QString::fromStdString(path);
        {
            QFile f(qpath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(8192, 'x'));
            f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        }
        const QByteArray before = bytesOf(qpath);
        auto refused = HubStateStore::open(path);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("hub.state_corrupt"));
        // It names the file and says what to do.
        QVERIFY(refused.error().message.find(path) != std::string::npos);
        QVERIFY(refused.error().message.find("mv " + path + " " + path + ".broken") !=
                std::string::npos);
        QCOMPARE(bytesOf(qpath), before);
        QVERIFY(!QFile::exists(qpath + QStringLiteral("-wal")));
    }

    void aRowTheHubCannotHaveWrittenIsRefused()
    {
        const std::string path = freshPath();
        QVERIFY(openOrFail(path)->save({opened(meetingId('m'), id('c'))}));
        // Someone edits the file with the checks off: a 31-byte member key.
        QCOMPARE(rawExec(QString::fromStdString(path),
                         QStringLiteral("PRAGMA ignore_check_constraints = ON; INSERT INTO "
                                        "hub_members VALUES (x'%1', x'%2')")
                             .arg(QString::fromLatin1(meetingId('m').toHex()),
                                  QString::fromLatin1(id('b', 31).toHex()))),
                 QString());
        auto loaded = openOrFail(path)->load();
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().code, std::string("hub.state_corrupt"));
        QVERIFY(loaded.error().message.find(path) != std::string::npos);
    }

    void aFileFromANewerHubIsRefused()
    {
        const std::string path = freshPath();
        openOrFail(path);
        QCOMPARE(rawExec(QString::fromStdString(path),
                         QStringLiteral("UPDATE hub_settings SET value = '99' WHERE key = "
                                        "'hub_state_schema'")),
                 QString());
        auto refused = HubStateStore::open(path);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("hub.state_too_new"));
    }

    void theFileHoldsTheHubsTablesOnly()
    {
        const QString hubFile = QString::fromStdString(freshPath());
        openOrFail(hubFile.toStdString());
        const QStringList tables = tablesOf(hubFile);
        QVERIFY(tables.contains(QStringLiteral("hub_meetings")));
        for (const QString& table : tables)
            QVERIFY2(table.startsWith(QStringLiteral("hub_")), qPrintable(table));
        // None of a device database's tables, whatever the device schema holds by now.
        const QString deviceFile = QString::fromStdString(freshPath());
        QVERIFY(storage::Database::open(deviceFile.toStdString()));
        const QStringList deviceTables = tablesOf(deviceFile);
        QVERIFY(deviceTables.contains(QStringLiteral("settings")));
        for (const QString& table : deviceTables)
            QVERIFY2(!tables.contains(table), qPrintable(table));
    }

    void aFileWithTheDeviceTablesStillWorks()
    {
        // As the hub wrote it before it left out the device's tables: a device database with
        // the hub's schema version in `settings`.
        const std::string path = freshPath();
        const QString qpath = QString::fromStdString(path);
        QVERIFY(storage::Database::open(path));
        QVERIFY(openOrFail(path)->save({opened(meetingId('m'), id('c'))}));
        const QStringList before = tablesOf(qpath);
        QVERIFY(before.contains(QStringLiteral("settings")));
        QVERIFY(!before.contains(QStringLiteral("hub_settings")));

        auto loaded = openOrFail(path)->load();
        QVERIFY(loaded);
        QCOMPARE(loaded->meetings.size(), size_t(1));
        QCOMPARE(tablesOf(qpath), before); // the device's tables are left as they are

        QCOMPARE(rawExec(qpath, QStringLiteral("UPDATE settings SET value = '99' WHERE key = "
                                               "'hub_state_schema'")),
                 QString());
        auto refused = HubStateStore::open(path);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, std::string("hub.state_too_new"));
    }
};

QTEST_GUILESS_MAIN(TestHubStateStore)
#include "tst_hubstatestore.moc"
