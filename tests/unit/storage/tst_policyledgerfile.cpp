// SPDX-License-Identifier: GPL-3.0-or-later
// The system-wide copy of the anti-rollback record: per authority, only up, read-only when the
// administrator made it so, damaged means refused.
#include "StorageTestHelpers.h"
#include "common/Iso8601.h"
#include "storage/PolicyLedgerFile.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace conclave;
using namespace conclave::storage;

namespace {

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');
const std::string kOrg = "0123456789abcdef";
const std::string kSelfMade = "fedcba9876543210";

TimePoint at(const char* text)
{
    return parseUtcTimestamp(text).value();
}

} // namespace

class TestPolicyLedgerFile : public QObject {
    Q_OBJECT

private slots:
    void absentIsEmptyAndRecordsPerAuthority()
    {
        QTemporaryDir dir;
        const PolicyLedgerFile ledger(dir.filePath("policy-ledger"));
        QVERIFY(ledger.writable());
        QVERIFY(ledger.highestSerials().value().empty());
        QVERIFY(ledger.recordAccepted(kOrg, 7, kHashA, at("2026-01-10T09:00:00Z")));
        QVERIFY(ledger.recordAccepted(kSelfMade, uint64_t(1) << 62, kHashB,
                                      at("2026-01-11T09:00:00Z")));
        // Read back by a second reader, as another program (or a fresh data directory) would.
        const HighestSerials seen = PolicyLedgerFile(ledger.path()).highestSerials().value();
        QCOMPARE(seen.at(kOrg), uint64_t(7));
        QCOMPARE(seen.at(kSelfMade), uint64_t(1) << 62);
        QCOMPARE(ledger.recordAccepted(kOrg, 6, kHashB, at("2026-01-12T09:00:00Z")).error().code,
                 std::string("storage.rollback"));
        QCOMPARE(ledger.recordAccepted(kOrg, 7, kHashB, at("2026-01-12T09:00:00Z")).error().code,
                 std::string("storage.serial_conflict"));
        QVERIFY(ledger.recordAccepted(kOrg, 7, kHashA, at("2026-01-12T09:00:00Z")));
        QVERIFY(ledger.recordAccepted(kOrg, 8, kHashB, at("2026-01-12T09:00:00Z")));
        QCOMPARE(ledger.highestSerials().value().at(kOrg), uint64_t(8));
    }

    void aReadOnlyLedgerIsEnforcedButNeverReplaced()
    {
        // As an administrator leaves it: owned by root (here: the test), readable by everyone,
        // writable by nobody else, in a folder others may enter but not change. Read and
        // written by another user, as a person's Conclave would.
        QTemporaryDir dir;
        QVERIFY(QFile::setPermissions(
            dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther |
                            QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup));
        const PolicyLedgerFile ledger(dir.filePath("policy-ledger"));
        QVERIFY(ledger.recordAccepted(kOrg, 7, kHashA, at("2026-01-10T09:00:00Z")));
        QVERIFY(QFile::setPermissions(ledger.path(),
                                      QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        const QString seen = test::asAnotherUser([&] {
            const auto before = ledger.highestSerials();
            const auto raise = ledger.recordAccepted(kOrg, 9, kHashB, at("2026-01-11T09:00:00Z"));
            const auto after = ledger.highestSerials();
            return QStringLiteral("writable=%1 before=%2 raise=%3 after=%4")
                .arg(ledger.writable())
                .arg(before ? qulonglong(before->at(kOrg)) : 0)
                .arg(raise ? QStringLiteral("ok") : QString::fromStdString(raise.error().code))
                .arg(after ? qulonglong(after->at(kOrg)) : 0);
        });
        QCOMPARE(seen, QStringLiteral("writable=0 before=7 raise=file.unwritable after=7"));
        QCOMPARE(ledger.highestSerials().value().at(kOrg), uint64_t(7));
    }

    void aDamagedLedgerIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("policy-ledger");
        const auto write = [&](const QByteArray& text) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(text);
        };
        const PolicyLedgerFile ledger(path);
        const QByteArray good =
            "0123456789abcdef 7 " + QByteArray(64, 'a') + " 2026-01-10T09:00:00Z\n";
        write("not a ledger\n" + good);
        QCOMPARE(ledger.read().error().code, std::string("storage.corrupt"));
        write(QByteArray(PolicyLedgerFile::kHeader) + "\n0123456789abcdef seven " +
              QByteArray(64, 'a') + " 2026-01-10T09:00:00Z\n");
        QCOMPARE(ledger.read().error().code, std::string("storage.corrupt"));
        write(QByteArray(PolicyLedgerFile::kHeader) + "\n" + good + good);
        QCOMPARE(ledger.read().error().code, std::string("storage.corrupt"));
        QCOMPARE(ledger.recordAccepted(kOrg, 8, kHashB, at("2026-01-11T09:00:00Z")).error().code,
                 std::string("storage.corrupt"));
        write(QByteArray(PolicyLedgerFile::kHeader) + "\n" + good);
        QCOMPARE(ledger.highestSerials().value().at(kOrg), uint64_t(7));
    }
};

QTEST_GUILESS_MAIN(TestPolicyLedgerFile)
#include "tst_policyledgerfile.moc"
