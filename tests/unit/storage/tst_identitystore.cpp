// SPDX-License-Identifier: GPL-3.0-or-later
// The device identity: created once, sealed at rest, unlocked only the way it was locked, and
// never silently replaced when it will not open.
#include "StorageTestHelpers.h"
#include "crypto/Fingerprint.h"
#include "crypto/PasswordKdf.h"
#include "storage/Database.h"
#include "storage/IdentityStore.h"
#include "storage/KeyFileProtector.h"
#include "storage/PassphraseProtector.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

using namespace conclave;
using namespace conclave::storage;
using conclave::storage::test::fileBytes;
using conclave::storage::test::rawExec;
using conclave::storage::test::writeFileBytes;

namespace {

const FixedClock kClock{TimePoint{std::chrono::seconds{1767225600}}}; // 2026-01-01

crypto::Argon2Params fast()
{
    return crypto::Argon2Params::minimumForTests();
}

std::unique_ptr<Database> openDb(const QString& path)
{
    auto db = Database::open(path.toStdString());
    if (!db) {
        qWarning("%s", db.error().message.c_str());
        return nullptr;
    }
    return std::move(*db);
}

bool signsFor(const crypto::Ed25519SigningKey& key, const crypto::Ed25519PublicKey& pub)
{
    const auto message = crypto::asBytes("meeting descriptor");
    return crypto::verifyEd25519(pub, message, key.sign(message));
}

QString message(const Error& e)
{
    return QString::fromStdString(e.message);
}

int64_t identityRows(Database& db)
{
    auto stmt = db.prepare("SELECT count(*) FROM identity");
    return stmt && stmt->step().value() ? stmt->columnInt64(0) : -1;
}

} // namespace

class TestIdentityStore : public QObject {
    Q_OBJECT

private slots:
    void keyFileCreateAndReload();
    void keyFileWithLoosePermissionsRefused();
    void existingLooseKeyFileNotUsedForNewIdentity();
    void missingOrWrongKeyFileRefused();
    void passphraseCreateAndReload();
    void wrongPassphraseRefusedWithoutLoss();
    void emptyPassphraseCannotCreate();
    void protectionMismatchRefused();
    void tamperedSecretRefusedNotReplaced_data();
    void tamperedSecretRefusedNotReplaced();
};

void TestIdentityStore::keyFileCreateAndReload()
{
    QTemporaryDir dir;
    const QString dbPath = dir.filePath("conclave.db");
    const std::string keyPath = KeyFileProtector::defaultPathFor(dbPath.toStdString());
    crypto::Ed25519PublicKey created;
    {
        auto db = openDb(dbPath);
        QVERIFY(db);
        IdentityStore store(*db, kClock);
        QVERIFY(!store.publicKey().value().has_value());
        QVERIFY(!store.protectionMode().value().has_value());
        KeyFileProtector protector(keyPath);
        auto key = store.loadOrCreate(protector);
        QVERIFY2(key, key ? "" : key.error().message.c_str());
        created = key->publicKey();
        QCOMPARE(store.publicKey().value(), std::optional{created});
        QCOMPARE(store.protectionMode().value(), std::optional{ProtectionMode::KeyFile});
        QVERIFY(QFile::exists(QString::fromStdString(keyPath)));
        QCOMPARE(QFile::permissions(QString::fromStdString(keyPath)),
                 QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
                     QFileDevice::WriteUser);
    }
    auto db = openDb(dbPath);
    QVERIFY(db);
    IdentityStore store(*db, kClock);
    KeyFileProtector protector(keyPath);
    auto again = store.loadOrCreate(protector);
    QVERIFY2(again, again ? "" : again.error().message.c_str());
    QCOMPARE(again->publicKey(), created);
    QVERIFY(signsFor(*again, created));
    QCOMPARE(identityRows(*db), int64_t(1));
}

void TestIdentityStore::keyFileWithLoosePermissionsRefused()
{
    QTemporaryDir dir;
    const QString dbPath = dir.filePath("conclave.db");
    const std::string keyPath = KeyFileProtector::defaultPathFor(dbPath.toStdString());
    auto db = openDb(dbPath);
    QVERIFY(db);
    IdentityStore store(*db, kClock);
    KeyFileProtector protector(keyPath);
    QVERIFY(store.loadOrCreate(protector));

    const QString key = QString::fromStdString(keyPath);
    QVERIFY(QFile::setPermissions(key, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                           QFileDevice::ReadGroup | QFileDevice::ReadOther));
    auto refused = store.loadOrCreate(protector);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, std::string("storage.key_file_insecure"));
    QVERIFY2(message(refused.error()).contains("chmod 600 " + key),
             qPrintable(message(refused.error())));
    QVERIFY(message(refused.error()).contains("0644"));

    QVERIFY(QFile::setPermissions(key, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    QVERIFY(store.loadOrCreate(protector));
}

void TestIdentityStore::existingLooseKeyFileNotUsedForNewIdentity()
{
    QTemporaryDir dir;
    const QString dbPath = dir.filePath("conclave.db");
    const QString keyPath = dir.filePath("conclave.db.key");
    QVERIFY(writeFileBytes(keyPath, QByteArray(32, 'k')));
    QVERIFY(QFile::setPermissions(keyPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                               QFileDevice::ReadGroup | QFileDevice::ReadOther));
    auto db = openDb(dbPath);
    QVERIFY(db);
    IdentityStore store(*db, kClock);
    KeyFileProtector protector(keyPath.toStdString());
    auto refused = store.loadOrCreate(protector);
    QCOMPARE(refused.error().code, std::string("storage.key_file_insecure"));
    QCOMPARE(identityRows(*db), int64_t(0));
    QCOMPARE(fileBytes(keyPath), QByteArray(32, 'k'));
}

void TestIdentityStore::missingOrWrongKeyFileRefused()
{
    QTemporaryDir dir;
    const QString dbPath = dir.filePath("conclave.db");
    const QString keyPath = dir.filePath("conclave.db.key");
    auto db = openDb(dbPath);
    QVERIFY(db);
    IdentityStore store(*db, kClock);
    KeyFileProtector protector(keyPath.toStdString());
    auto created = store.loadOrCreate(protector);
    QVERIFY(created);
    const QByteArray rightKey = fileBytes(keyPath);

    QVERIFY(QFile::remove(keyPath));
    auto missing = store.loadOrCreate(protector);
    QCOMPARE(missing.error().code, std::string("storage.key_file_missing"));
    QVERIFY(message(missing.error()).contains(keyPath));
    QVERIFY(!QFile::exists(keyPath)); // and no new key file was made in its place

    QByteArray otherKey(32, '\0');
    randombytes_buf(otherKey.data(), 32);
    const QString otherPath = dir.filePath("other.key");
    QVERIFY(writeFileBytes(otherPath, otherKey));
    QVERIFY(QFile::setPermissions(otherPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    KeyFileProtector other(otherPath.toStdString());
    auto wrong = store.loadOrCreate(other);
    QCOMPARE(wrong.error().code, std::string("storage.wrong_key"));
    QVERIFY(message(wrong.error()).contains(otherPath));

    QVERIFY(writeFileBytes(otherPath, otherKey.left(31)));
    QCOMPARE(store.loadOrCreate(other).error().code, std::string("storage.key_file_invalid"));

    QVERIFY(writeFileBytes(keyPath, rightKey));
    QVERIFY(QFile::setPermissions(keyPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    auto restored = store.loadOrCreate(protector);
    QVERIFY(restored);
    QCOMPARE(restored->publicKey(), created->publicKey());
    QCOMPARE(identityRows(*db), int64_t(1));
}

void TestIdentityStore::passphraseCreateAndReload()
{
    QTemporaryDir dir;
    const QString dbPath = dir.filePath("conclave.db");
    crypto::Ed25519PublicKey created;
    {
        auto db = openDb(dbPath);
        QVERIFY(db);
        IdentityStore store(*db, kClock);
        PassphraseProtector protector("correct horse battery staple", fast());
        auto key = store.loadOrCreate(protector);
        QVERIFY2(key, key ? "" : key.error().message.c_str());
        created = key->publicKey();
        QCOMPARE(store.protectionMode().value(), std::optional{ProtectionMode::Passphrase});
    }
    // Nothing of the secret is stored in the clear.
    auto db = openDb(dbPath);
    QVERIFY(db);
    auto row = db->prepare("SELECT kdf_salt, kdf_ops, kdf_mem FROM identity");
    QVERIFY(row && row->step().value());
    QCOMPARE(row->columnBlob(0).size(), crypto::kArgon2SaltSize);
    QCOMPARE(uint64_t(row->columnInt64(1)), fast().opsLimit);
    QCOMPARE(size_t(row->columnInt64(2)), fast().memLimit);

    IdentityStore store(*db, kClock);
    PassphraseProtector protector("correct horse battery staple");
    auto again = store.loadOrCreate(protector); // stored (fast) limits are used, not the default
    QVERIFY2(again, again ? "" : again.error().message.c_str());
    QCOMPARE(again->publicKey(), created);
    QVERIFY(signsFor(*again, created));
}

void TestIdentityStore::wrongPassphraseRefusedWithoutLoss()
{
    QTemporaryDir dir;
    auto db = openDb(dir.filePath("conclave.db"));
    QVERIFY(db);
    IdentityStore store(*db, kClock);
    PassphraseProtector right("Select Committee 2026", fast());
    auto created = store.loadOrCreate(right);
    QVERIFY(created);

    PassphraseProtector wrong("select committee 2026", fast());
    auto refused = store.loadOrCreate(wrong);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, std::string("storage.wrong_passphrase"));
    QVERIFY(message(refused.error()).contains("Nothing was changed"));
    QCOMPARE(identityRows(*db), int64_t(1));

    auto unlocked = store.loadOrCreate(right);
    QVERIFY(unlocked);
    QCOMPARE(unlocked->publicKey(), created->publicKey());
}

void TestIdentityStore::emptyPassphraseCannotCreate()
{
    QTemporaryDir dir;
    auto db = openDb(dir.filePath("conclave.db"));
    QVERIFY(db);
    IdentityStore store(*db, kClock);
    PassphraseProtector empty("", fast());
    QCOMPARE(store.loadOrCreate(empty).error().code, std::string("storage.empty_passphrase"));
    QCOMPARE(identityRows(*db), int64_t(0));
}

void TestIdentityStore::protectionMismatchRefused()
{
    QTemporaryDir dir;
    const QString dbPath = dir.filePath("conclave.db");
    auto db = openDb(dbPath);
    QVERIFY(db);
    IdentityStore store(*db, kClock);
    KeyFileProtector keyFile(KeyFileProtector::defaultPathFor(dbPath.toStdString()));
    QVERIFY(store.loadOrCreate(keyFile));

    PassphraseProtector passphrase("anything", fast());
    auto refused = store.loadOrCreate(passphrase);
    QCOMPARE(refused.error().code, std::string("storage.protection_mismatch"));
    QVERIFY(message(refused.error()).contains("a key file"));
    QVERIFY(message(refused.error()).contains("a passphrase"));
    QCOMPARE(identityRows(*db), int64_t(1));
}

void TestIdentityStore::tamperedSecretRefusedNotReplaced_data()
{
    QTest::addColumn<bool>("passphrase");
    QTest::addColumn<QString>("tamper");
    const QString flipByte =
        "UPDATE identity SET sealed_secret = CAST(substr(sealed_secret, 1, 40) || "
        "CASE WHEN substr(sealed_secret, 41, 1) = X'00' THEN X'01' ELSE X'00' END || "
        "substr(sealed_secret, 42) AS BLOB)";
    QTest::newRow("key file, sealed secret byte flipped") << false << flipByte;
    QTest::newRow("passphrase, sealed secret byte flipped") << true << flipByte;
    QTest::newRow("sealed secret cut short")
        << false << "UPDATE identity SET sealed_secret = X'0102'";
    QTest::newRow("unknown protection") << false << "UPDATE identity SET protection = 'plaintext'";
    QTest::newRow("absurd passphrase limits") << true << "UPDATE identity SET kdf_mem = 1 << 50";
}

void TestIdentityStore::tamperedSecretRefusedNotReplaced()
{
    QFETCH(bool, passphrase);
    QFETCH(QString, tamper);
    QTemporaryDir dir;
    const QString dbPath = dir.filePath("conclave.db");
    std::unique_ptr<KeyProtector> protector;
    if (passphrase)
        protector = std::make_unique<PassphraseProtector>("a passphrase", fast());
    else
        protector = std::make_unique<KeyFileProtector>(
            KeyFileProtector::defaultPathFor(dbPath.toStdString()));
    crypto::Ed25519PublicKey original;
    {
        auto db = openDb(dbPath);
        QVERIFY(db);
        IdentityStore store(*db, kClock);
        auto created = store.loadOrCreate(*protector);
        QVERIFY(created);
        original = created->publicKey();
    }
    QCOMPARE(rawExec(dbPath, tamper), QString());

    auto db = openDb(dbPath);
    QVERIFY(db);
    IdentityStore store(*db, kClock);
    auto refused = store.loadOrCreate(*protector);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, std::string("storage.identity_tampered"));
    QVERIFY(message(refused.error()).contains("will not make a new identity") ||
            message(refused.error()).contains("Restore"));
    QCOMPARE(identityRows(*db), int64_t(1));
    QCOMPARE(store.publicKey().value(), std::optional{original});
}

QTEST_GUILESS_MAIN(TestIdentityStore)
#include "tst_identitystore.moc"
