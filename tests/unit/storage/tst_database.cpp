// SPDX-License-Identifier: GPL-3.0-or-later
// Opening, creating and migrating the database, and refusing - without touching them - files
// that are not a healthy Conclave database this build understands.
#include "StorageTestHelpers.h"
#include "storage/Database.h"
#include "storage/Migrations.h"
#include "storage/TransactionGuard.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>
#include <sys/stat.h>

#include <unistd.h>

using namespace conclave;
using namespace conclave::storage;
using conclave::storage::test::fileBytes;
using conclave::storage::test::filesIn;
using conclave::storage::test::rawExec;
using conclave::storage::test::writeFileBytes;

namespace {

std::string str(const QString& s)
{
    return s.toStdString();
}

int64_t count(Database& db, const std::string& sql)
{
    auto stmt = db.prepare(sql);
    if (!stmt)
        return -1;
    auto row = stmt->step();
    return row && *row ? stmt->columnInt64(0) : -1;
}

int64_t tableCount(Database& db, const std::string& table)
{
    return count(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" +
                         table + "'");
}

mode_t permissions(const QString& path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 07777;
    return st.st_mode & 0777;
}

// A database with some content, closed (so its log is checkpointed into the main file).
QByteArray makeHealthyDatabase(const QString& path)
{
    {
        auto db = Database::open(str(path));
        if (!db)
            return {};
        for (int i = 0; i < 200; ++i)
            if (!(*db)->exec("INSERT INTO settings (key, value) VALUES ('k" + std::to_string(i) +
                             "', '" + std::string(200, 'v') + "')"))
                return {};
        if (!(*db)->checkpoint())
            return {};
    }
    return fileBytes(path);
}

// Database::open as another user would run it (root cannot be refused by file permissions).
// Returns code + "\n" + message of the error, or "ok".
QString openAsAnotherUser(const QString& path)
{
    return test::asAnotherUser([&] {
        auto db = Database::open(str(path));
        return db ? QStringLiteral("ok")
                  : QString::fromStdString(db.error().code + "\n" + db.error().message);
    });
}

} // namespace

class TestDatabase : public QObject {
    Q_OBJECT

private slots:
    void createsAndMigratesNewFile();
    void initialisesEmptyFile();
    void reopenIsIdempotent();
    void refusesNewerSchema();
    void refusesGarbage();
    void refusesTruncatedFile_data();
    void refusesTruncatedFile();
    void refusesDamagedPage();
    void refusesForeignDatabase_data();
    void refusesForeignDatabase();
    void namesAnUnreadableFileAsSuch();
    void failedMigrationChangesNothing();
    void transactionRollsBackUnlessCommitted();
    void reportsBindErrors();
};

void TestDatabase::createsAndMigratesNewFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("conclave.db");
    auto db = Database::open(str(path));
    QVERIFY2(db, db ? "" : db.error().message.c_str());
    QCOMPARE((*db)->pragmaInt("user_version").value(), int64_t(Migrations::latestVersion()));
    QCOMPARE(Migrations::latestVersion(), 4);
    QCOMPARE((*db)->pragmaInt("application_id").value(), int64_t(Database::kApplicationId));
    QCOMPARE((*db)->pragmaInt("foreign_keys").value(), int64_t(1));
    for (const char* table : {"identity", "policy_state", "policy_serials", "audit_log",
                              "audit_seals", "settings", "contacts"})
        QVERIFY2(tableCount(**db, table) == 1, table);
    // Step 4: the per-authority rows carry the device's signature; nothing to adopt when new.
    QCOMPARE(count(**db, "SELECT count(*) FROM pragma_table_info('policy_serials') "
                         "WHERE name = 'signature'"),
             int64_t(1));
    QCOMPARE(count(**db, "SELECT count(*) FROM settings WHERE key LIKE 'policy_%'"), int64_t(0));
    auto mode = (*db)->prepare("PRAGMA journal_mode");
    QVERIFY(mode && mode->step().value());
    QCOMPARE(mode->columnText(0), std::string("wal"));
    QCOMPARE(permissions(path), mode_t(0600));
    QVERIFY(QFile::exists(path + "-wal"));
    QCOMPARE(permissions(path + "-wal"), mode_t(0600));
}

void TestDatabase::initialisesEmptyFile()
{
    // A zero-length file holds nothing to lose (an administrator may pre-create it); it is
    // initialised, and tightened to 0600.
    QTemporaryDir dir;
    const QString path = dir.filePath("conclave.db");
    QVERIFY(writeFileBytes(path, {}));
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                            QFileDevice::ReadGroup | QFileDevice::ReadOther));
    auto db = Database::open(str(path));
    QVERIFY2(db, db ? "" : db.error().message.c_str());
    QCOMPARE((*db)->pragmaInt("user_version").value(), int64_t(Migrations::latestVersion()));
    QCOMPARE(tableCount(**db, "audit_log"), int64_t(1));
    QCOMPARE(permissions(path), mode_t(0600));
}

void TestDatabase::reopenIsIdempotent()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("conclave.db");
    {
        auto db = Database::open(str(path));
        QVERIFY(db);
        QVERIFY((*db)->exec("INSERT INTO settings (key, value) VALUES ('theme', 'dark')"));
    }
    for (int i = 0; i < 3; ++i) {
        auto db = Database::open(str(path));
        QVERIFY2(db, db ? "" : db.error().message.c_str());
        QCOMPARE((*db)->pragmaInt("user_version").value(), int64_t(Migrations::latestVersion()));
        QCOMPARE(count(**db, "SELECT count(*) FROM settings"), int64_t(1));
        QCOMPARE(count(**db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"),
                 int64_t(7));
    }
}

void TestDatabase::refusesNewerSchema()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("conclave.db");
    {
        auto db = Database::open(str(path));
        QVERIFY(db);
        QVERIFY((*db)->exec("PRAGMA user_version = 99"));
    }
    const QByteArray before = fileBytes(path);
    auto db = Database::open(str(path));
    QVERIFY(!db);
    QCOMPARE(db.error().code, std::string("storage.too_new"));
    QVERIFY(QString::fromStdString(db.error().message).contains("newer version"));
    QVERIFY(QString::fromStdString(db.error().message).contains(path));
    QCOMPARE(fileBytes(path), before);
}

void TestDatabase::refusesGarbage()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("conclave.db");
    QByteArray garbage(64 * 1024, '\0');
    randombytes_buf(garbage.data(), static_cast<size_t>(garbage.size()));
    QVERIFY(writeFileBytes(path, garbage));
    const QStringList filesBefore = filesIn(dir.path());

    auto db = Database::open(str(path));
    QVERIFY(!db);
    QCOMPARE(db.error().code, std::string("storage.not_a_database"));
    const QString message = QString::fromStdString(db.error().message);
    QVERIFY(message.contains(path));
    QVERIFY(message.contains("Nothing was changed"));
    QVERIFY(message.contains("backup"));
    QCOMPARE(fileBytes(path), garbage);
    QCOMPARE(filesIn(dir.path()), filesBefore);
}

void TestDatabase::refusesTruncatedFile_data()
{
    QTest::addColumn<double>("fraction");
    QTest::addColumn<bool>("pageAligned");
    QTest::newRow("half, whole pages") << 0.5 << true;
    QTest::newRow("part way through a page") << 0.6 << false;
    QTest::newRow("inside the header") << 0.0 << false;
}

void TestDatabase::refusesTruncatedFile()
{
    QFETCH(double, fraction);
    QFETCH(bool, pageAligned);
    QTemporaryDir dir;
    const QString healthy = dir.filePath("healthy.db");
    const QByteArray full = makeHealthyDatabase(healthy);
    QVERIFY(full.size() > 16 * 4096);

    qsizetype length = static_cast<qsizetype>(full.size() * fraction);
    if (pageAligned)
        length -= length % 4096;
    else if (length == 0)
        length = 60; // the SQLite signature, then nothing
    else if (length % 4096 == 0)
        length += 100;
    const QByteArray truncated = full.left(length);
    const QString path = dir.filePath("conclave.db");
    QVERIFY(writeFileBytes(path, truncated));
    const QStringList filesBefore = filesIn(dir.path());

    auto db = Database::open(str(path));
    QVERIFY(!db);
    QCOMPARE(db.error().code, std::string("storage.corrupt"));
    const QString message = QString::fromStdString(db.error().message);
    QVERIFY2(message.contains("cut short"), qPrintable(message));
    QVERIFY(message.contains(path));
    QVERIFY(message.contains("Nothing was changed"));
    QCOMPARE(fileBytes(path), truncated);
    QCOMPARE(filesIn(dir.path()), filesBefore);
}

void TestDatabase::refusesDamagedPage()
{
    // Right size and header, but a b-tree page overwritten: only SQLite's check can see it.
    QTemporaryDir dir;
    const QString path = dir.filePath("conclave.db");
    QByteArray bytes = makeHealthyDatabase(path);
    QVERIFY(bytes.size() > 8 * 4096);
    const qsizetype lastPage = bytes.size() - 4096;
    for (qsizetype i = 0; i < 4096; ++i)
        bytes[lastPage + i] = static_cast<char>(0xA5 ^ (i * 7));
    QVERIFY(writeFileBytes(path, bytes));
    const QStringList filesBefore = filesIn(dir.path());

    auto db = Database::open(str(path));
    QVERIFY(!db);
    QCOMPARE(db.error().code, std::string("storage.corrupt"));
    QVERIFY(QString::fromStdString(db.error().message).contains(path));
    QCOMPARE(fileBytes(path), bytes);
    QCOMPARE(filesIn(dir.path()), filesBefore);
}

void TestDatabase::refusesForeignDatabase_data()
{
    QTest::addColumn<QString>("setup");
    QTest::newRow("other application id")
        << "PRAGMA application_id = 1234; CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
           "INSERT INTO notes (body) VALUES ('shopping list');";
    QTest::newRow("no application id, has tables")
        << "CREATE TABLE accounts (name TEXT); INSERT INTO accounts VALUES ('alice');";
    QTest::newRow("another program's WAL database")
        << "PRAGMA journal_mode = WAL; PRAGMA application_id = 42; CREATE TABLE t (x);"
           "INSERT INTO t VALUES (1);";
}

void TestDatabase::refusesForeignDatabase()
{
    QFETCH(QString, setup);
    QTemporaryDir dir;
    const QString path = dir.filePath("conclave.db");
    QCOMPARE(rawExec(path, setup), QString());
    const QByteArray before = fileBytes(path);
    const QStringList filesBefore = filesIn(dir.path());

    auto db = Database::open(str(path));
    QVERIFY(!db);
    QCOMPARE(db.error().code, std::string("storage.foreign_database"));
    QVERIFY(QString::fromStdString(db.error().message).contains(path));
    QVERIFY(QString::fromStdString(db.error().message).contains("another program"));
    QCOMPARE(fileBytes(path), before);
    QCOMPARE(filesIn(dir.path()), filesBefore);
}

void TestDatabase::failedMigrationChangesNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("conclave.db");
    auto db = Database::open(str(path));
    QVERIFY(db);
    std::vector<Migration> steps(Migrations::all().begin(), Migrations::all().end());
    const int next = Migrations::latestVersion() + 1;
    steps.push_back(Migration{next, "broken step",
                              "CREATE TABLE half_done (x INTEGER); INSERT INTO nowhere "
                              "VALUES (1);"});
    auto result = Migrations::apply(**db, steps);
    QVERIFY(!result);
    QVERIFY(result.error().message.find("schema " + std::to_string(next)) != std::string::npos);
    QCOMPARE((*db)->pragmaInt("user_version").value(), int64_t(Migrations::latestVersion()));
    QCOMPARE(tableCount(**db, "half_done"), int64_t(0));

    const Migration misnumbered[] = {Migration{2, "gap", "SELECT 1"}};
    QCOMPARE(Migrations::apply(**db, misnumbered).error().code,
             std::string("storage.bad_migrations"));
}

void TestDatabase::transactionRollsBackUnlessCommitted()
{
    QTemporaryDir dir;
    auto db = Database::open(str(dir.filePath("conclave.db")));
    QVERIFY(db);
    {
        auto tx = TransactionGuard::begin(**db);
        QVERIFY(tx);
        QVERIFY((*db)->exec("INSERT INTO settings (key, value) VALUES ('a', '1')"));
    }
    QCOMPARE(count(**db, "SELECT count(*) FROM settings"), int64_t(0));
    {
        auto tx = TransactionGuard::begin(**db);
        QVERIFY(tx);
        QVERIFY((*db)->exec("INSERT INTO settings (key, value) VALUES ('a', '1')"));
        QVERIFY(tx->commit());
        QCOMPARE(tx->commit().error().code, std::string("storage.no_transaction"));
    }
    QCOMPARE(count(**db, "SELECT count(*) FROM settings"), int64_t(1));
}

void TestDatabase::namesAnUnreadableFileAsSuch()
{
    QTemporaryDir dir;
    QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner |
                                                  QFile::ExeOwner | QFile::ReadOther |
                                                  QFile::ExeOther));
    const QString path = dir.filePath("conclave.db");
    const QByteArray healthy = makeHealthyDatabase(path);
    QVERIFY(!healthy.isEmpty());
    QCOMPARE(permissions(path), mode_t(0600));
    if (::geteuid() != 0)
        QVERIFY(QFile::setPermissions(path, QFile::Permissions())); // not even its owner may read
    const QStringList filesBefore = filesIn(dir.path());

    const QString outcome = openAsAnotherUser(path);
    QVERIFY2(outcome.startsWith("storage.permission_denied\n"), qPrintable(outcome));
    QVERIFY2(outcome.contains("cannot be read by this user"), qPrintable(outcome));
    QVERIFY2(outcome.contains("owned by uid " + QString::number(::geteuid())), qPrintable(outcome));
    QVERIFY2(outcome.contains(::geteuid() == 0 ? "mode 0600" : "mode 0000"), qPrintable(outcome));
    QVERIFY2(outcome.contains("Run Conclave as its owner or fix its permissions"),
             qPrintable(outcome));
    // Not the advice for a damaged file, which would throw a good identity away.
    QVERIFY(!outcome.contains("cut short"));
    QVERIFY(!outcome.contains("new identity"));
    QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
    QCOMPARE(fileBytes(path), healthy);
    QCOMPARE(filesIn(dir.path()), filesBefore);

    // A folder this user may not enter is named too (not "could not create").
    QVERIFY(QFile::setPermissions(
        dir.path(), ::geteuid() == 0 ? QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner
                                     : QFile::Permissions()));
    const QString folder = openAsAnotherUser(path);
    QVERIFY(
        QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    QVERIFY2(folder.startsWith("storage.permission_denied\n"), qPrintable(folder));
    QVERIFY2(folder.contains("The folder holding the database " + dir.path() +
                             " cannot be entered by this user"),
             qPrintable(folder));
    QCOMPARE(fileBytes(path), healthy);
}

void TestDatabase::reportsBindErrors()
{
    QTemporaryDir dir;
    auto db = Database::open(str(dir.filePath("conclave.db")));
    QVERIFY(db);
    auto stmt = (*db)->prepare("INSERT INTO settings (key, value) VALUES (?, ?)");
    QVERIFY(stmt);
    stmt->bindText(1, "k").bindText(2, "v").bindText(3, "no such parameter");
    auto r = stmt->run();
    QVERIFY(!r);
    QVERIFY(QString::fromStdString(r.error().message).contains("parameter 3"));
    QCOMPARE(count(**db, "SELECT count(*) FROM settings"), int64_t(0));

    auto bad = (*db)->prepare("SELECT nonsense FROM nowhere");
    QVERIFY(!bad);
    QCOMPARE(bad.error().code, std::string("storage.sql"));
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
