// SPDX-License-Identifier: GPL-3.0-or-later
// The keyring protector against whatever secret service this machine has. Where none is
// reachable (CI, containers) it must say so promptly with storage.keyring_unavailable, so the
// caller can fall back, and must not hang or write anything.
#include "crypto/Fingerprint.h"
#include "storage/Database.h"
#include "storage/IdentityStore.h"
#include "storage/KeyringProtector.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace conclave;
using namespace conclave::storage;
using namespace std::chrono_literals;

namespace {

const FixedClock kClock{TimePoint{std::chrono::seconds{1767225600}}};
constexpr auto kTimeout = 3000ms;

} // namespace

class TestKeyringProtector : public QObject {
    Q_OBJECT

private slots:
    void createAndReloadOrReportUnavailable();
};

void TestKeyringProtector::createAndReloadOrReportUnavailable()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    IdentityStore store(**db, kClock);
    // A service name of its own, so a real keyring is not cluttered with test entries.
    const std::string service =
        "Conclave test " +
        crypto::publicKeyId(crypto::Ed25519SigningKey::generate().publicKey().view());
    KeyringProtector protector(service, kTimeout);

    QElapsedTimer timer;
    timer.start();
    auto created = store.loadOrCreate(protector);
    const qint64 elapsed = timer.elapsed();
    if (!created) {
        QCOMPARE(created.error().code, std::string("storage.keyring_unavailable"));
        QVERIFY2(elapsed < kTimeout.count() + 2000, qPrintable(QString::number(elapsed)));
        QVERIFY(QString::fromStdString(created.error().message).contains("passphrase"));
        QVERIFY(!store.publicKey().value().has_value()); // nothing half-created
        qInfo("no secret service reachable (%s); checked the refusal only",
              created.error().message.c_str());
        return;
    }

    const auto publicKey = created->publicKey();
    QCOMPARE(store.protectionMode().value(), std::optional{ProtectionMode::Keyring});
    KeyringProtector again(service, kTimeout);
    auto reloaded = store.loadOrCreate(again);
    QVERIFY2(reloaded, reloaded ? "" : reloaded.error().message.c_str());
    QCOMPARE(reloaded->publicKey(), publicKey);

    QVERIFY(protector.forget(publicKey));
    auto missing = store.loadOrCreate(again);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, std::string("storage.keyring_entry_missing"));
    QCOMPARE(store.publicKey().value(), std::optional{publicKey});
}

QTEST_GUILESS_MAIN(TestKeyringProtector)
#include "tst_keyringprotector.moc"
