// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/ContactStore.h"
#include "storage/Database.h"
#include "storage/Migrations.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace conclave;
using namespace conclave::storage;

class TestContactStore : public QObject {
    Q_OBJECT

private slots:
    void trustOnFirstUse()
    {
        QTemporaryDir dir;
        auto db = Database::open((dir.path() + "/c.db").toStdString());
        QVERIFY2(db.ok(), db.ok() ? "" : db.error().message.c_str());
        ContactStore contacts(**db);
        const auto alice = crypto::Ed25519SigningKey::generate().publicKey();
        const auto impostor = crypto::Ed25519SigningKey::generate().publicKey();
        const TimePoint t(std::chrono::seconds(1795000000));

        QVERIFY(*contacts.status("Alice", alice) == ContactStatus::New);
        QVERIFY(contacts.remember("Alice", alice, t).ok());
        QVERIFY(*contacts.status("Alice", alice) == ContactStatus::Known);
        QVERIFY(*contacts.status("Alice", impostor) == ContactStatus::KeyChanged);
        QVERIFY(*contacts.status("Alicia", alice) == ContactStatus::Renamed);
        QCOMPARE(toString(ContactStatus::KeyChanged), std::string_view("key_changed"));

        // Remembered across reopening the database file.
        db = Result<std::unique_ptr<Database>>(makeError("", ""));
        auto reopened = Database::open((dir.path() + "/c.db").toStdString());
        QVERIFY(reopened.ok());
        QVERIFY(*ContactStore(**reopened).status("Alice", alice) == ContactStatus::Known);
    }

    void aVersionOneDatabaseGainsContactsAndKeepsItsData()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/old.db").toStdString();
        {
            auto db = Database::open(path);
            QVERIFY(db.ok());
            // Make it look like a file written by the first release (schema 1).
            QVERIFY((*db)
                        ->exec("DROP TABLE contacts; DROP TABLE policy_serials; "
                               "INSERT INTO settings(key, value) VALUES ('k', 'v'); "
                               "PRAGMA user_version = 1;")
                        .ok());
        }
        auto db = Database::open(path);
        QVERIFY2(db.ok(), db.ok() ? "" : db.error().message.c_str());
        QCOMPARE((*db)->pragmaInt("user_version").value(), int64_t(Migrations::latestVersion()));
        auto stmt = (*db)->prepare("SELECT value FROM settings WHERE key = 'k'");
        QVERIFY(stmt.ok() && *stmt->step());
        QCOMPARE(stmt->columnText(0), std::string("v"));
        QVERIFY(
            *ContactStore(**db).status("Bob", crypto::Ed25519SigningKey::generate().publicKey()) ==
            ContactStatus::New);
    }
};

QTEST_GUILESS_MAIN(TestContactStore)
#include "tst_contactstore.moc"
