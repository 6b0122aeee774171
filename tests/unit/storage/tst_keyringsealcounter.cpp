// SPDX-License-Identifier: GPL-3.0-or-later
// The seal record in the keyring, against whatever secret service this machine has. Where one
// answers: a full round trip and a cut log caught through it. Where none does (CI, containers):
// the record is "unavailable", appending still works, and verify says the log could not be
// checked - it must not call an unreachable keyring a cut log.
#include "crypto/Fingerprint.h"
#include "storage/AuditLog.h"
#include "storage/Database.h"
#include "storage/KeyringSealCounter.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace conclave;
using namespace conclave::storage;
using namespace std::chrono_literals;

namespace {

constexpr auto kTimeout = 3000ms;

} // namespace

class TestKeyringSealCounter : public QObject {
    Q_OBJECT

private slots:
    void recordInTheKeyringOrReportedUnavailable();
};

void TestKeyringSealCounter::recordInTheKeyringOrReportedUnavailable()
{
    QTemporaryDir dir;
    auto db = Database::open(dir.filePath("conclave.db").toStdString());
    QVERIFY(db);
    FixedClock clock{TimePoint{std::chrono::seconds{1767225600}}};
    const auto key = crypto::Ed25519SigningKey::generate();
    // A service name of its own, so a real keyring is not cluttered with test entries.
    const std::string service = "Conclave test " + crypto::publicKeyId(key.publicKey().view());
    KeyringSealCounter counter(key.publicKey(), service, kTimeout);
    AuditLog log(**db, key, clock, &counter);

    QElapsedTimer timer;
    timer.start();
    auto first = counter.read(key.publicKey());
    if (!first) {
        QCOMPARE(first.error().code, std::string("storage.seal_record_unavailable"));
        QVERIFY2(timer.elapsed() < kTimeout.count() + 2000,
                 qPrintable(QString::number(timer.elapsed())));
        QVERIFY(QString::fromStdString(first.error().message).contains("keyring"));
        for (int i = 0; i < 40; ++i) // the seal at 32 cannot be recorded; appending goes on
            QVERIFY(log.append("meeting.admit", "", "{}"));
        auto v = log.verify(key.publicKey());
        QVERIFY(!v);
        QCOMPARE(v.error().code, std::string("storage.seal_record_unavailable"));
        qInfo("no secret service reachable (%s); checked the refusal only",
              first.error().message.c_str());
        return;
    }

    QVERIFY(!*first);
    for (int i = 0; i < 40; ++i)
        QVERIFY(log.append("meeting.admit", "", "{}"));
    QVERIFY(log.seal());
    counter.flush(); // the writes went out in the background
    KeyringSealCounter another(key.publicKey(), service, kTimeout); // reads the keyring afresh
    auto recorded = another.read(key.publicKey());
    QVERIFY(recorded && *recorded);
    QCOMPARE((*recorded)->sealId, int64_t(2));
    QVERIFY(
        (*db)->exec("DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_seals_no_delete; "
                    "DELETE FROM audit_log WHERE id > 32; DELETE FROM audit_seals WHERE id > 1"));
    auto v = log.verify(key.publicKey());
    QVERIFY(v);
    QVERIFY(!v->intact);
    QVERIFY2(QString::fromStdString(v->reason).contains(
                 "the audit log ends at seal 1 but this device recorded seal 2"),
             v->reason.c_str());
    QVERIFY(counter.forget());
}

QTEST_GUILESS_MAIN(TestKeyringSealCounter)
#include "tst_keyringsealcounter.moc"
