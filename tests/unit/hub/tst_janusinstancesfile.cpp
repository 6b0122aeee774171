// SPDX-License-Identifier: GPL-3.0-or-later
// conclave-hub --janus FILE (docs/operations.md "Janus instances"): the instance list, its
// credentials in owner-only files, and a clear refusal for everything else.
#include "hub/JanusInstancesFile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace conclave;
using namespace conclave::hub;

namespace {

const QString kPin = QStringLiteral("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");

void write(const QString& path, const QByteArray& content,
           QFileDevice::Permissions permissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(content);
    f.close();
    QVERIFY(f.setPermissions(permissions));
}

} // namespace

class TestJanusInstancesFile : public QObject {
    Q_OBJECT

private slots:
    void readsInstancesAndTheirSecrets()
    {
        QTemporaryDir dir;
        write(dir.filePath("sfu1.admin-key"), "admin-one\n");
        write(dir.filePath("sfu1.api-secret"), "secret-one\n");
        write(dir.filePath("sfu2.admin-key"), "admin-two");
        write(dir.filePath("janus.json"),
              "{\"instances\": ["
              "{\"url\": \"wss://sfu1.example:8989/\", \"spki_sha256\": \"" +
                  kPin.toUtf8() +
                  "\", \"admin_key_file\": \"sfu1.admin-key\", "
                  "\"api_secret_file\": \"sfu1.api-secret\"},"
                  "{\"url\": \"wss://sfu2.example:8989/\", \"spki_sha256\": \"" +
                  kPin.toUtf8() + "\", \"admin_key_file\": \"" +
                  dir.filePath("sfu2.admin-key").toUtf8() + "\"}]}");
        auto read = JanusInstancesFile::read(dir.filePath("janus.json"));
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().message.c_str());
        QCOMPARE(read->size(), size_t(2));
        QCOMPARE(read->at(0).url, QUrl("wss://sfu1.example:8989/"));
        QCOMPARE(read->at(0).spkiPin, kPin);
        QCOMPARE(read->at(0).adminKey, QStringLiteral("admin-one"));
        QCOMPARE(read->at(0).apiSecret, QStringLiteral("secret-one"));
        QCOMPARE(read->at(1).adminKey, QStringLiteral("admin-two"));
        QVERIFY(read->at(1).apiSecret.isEmpty());
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("instance");
        QTest::addColumn<QString>("says");
        const QByteArray pin = "\"spki_sha256\": \"" + kPin.toUtf8() + "\"";
        QTest::newRow("plain ws") << QByteArray("{\"url\": \"ws://j:8188/\", " + pin +
                                                ", \"admin_key_file\": \"key\"}")
                                  << "must be wss://";
        QTest::newRow("bad pin") << QByteArray("{\"url\": \"wss://j:8989/\", \"spki_sha256\": "
                                               "\"abc\", \"admin_key_file\": \"key\"}")
                                 << "base64 SHA-256";
        QTest::newRow("no admin key") << QByteArray("{\"url\": \"wss://j:8989/\", " + pin + "}")
                                      << "no instances[0].admin_key_file";
        QTest::newRow("missing file") << QByteArray("{\"url\": \"wss://j:8989/\", " + pin +
                                                    ", \"admin_key_file\": \"nothere\"}")
                                      << "does not exist";
        QTest::newRow("readable by others") << QByteArray("{\"url\": \"wss://j:8989/\", " + pin +
                                                          ", \"admin_key_file\": \"open-key\"}")
                                            << "chmod 600";
        QTest::newRow("unknown key") << QByteArray("{\"url\": \"wss://j:8989/\", " + pin +
                                                   ", \"admin_key_file\": \"key\", \"pin\": 1}")
                                     << "unknown key 'pin'";
    }

    void refusals()
    {
        QFETCH(QByteArray, instance);
        QFETCH(QString, says);
        QTemporaryDir dir;
        write(dir.filePath("key"), "k");
        write(dir.filePath("open-key"), "k",
              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther);
        write(dir.filePath("janus.json"), "{\"instances\": [" + instance + "]}");
        auto read = JanusInstancesFile::read(dir.filePath("janus.json"));
        QVERIFY(!read.ok());
        QCOMPARE(read.error().code, std::string("janus.config"));
        QVERIFY2(QString::fromStdString(read.error().message).contains(says),
                 read.error().message.c_str());
    }

    void wholeFileRefusals()
    {
        QTemporaryDir dir;
        write(dir.filePath("empty.json"), "{\"instances\": []}");
        write(dir.filePath("notjson.json"), "instances");
        write(dir.filePath("extra.json"), "{\"instances\": [], \"placement\": \"hash\"}");
        QVERIFY(QString::fromStdString(
                    JanusInstancesFile::read(dir.filePath("empty.json")).error().message)
                    .contains("lists no instances"));
        QVERIFY(QString::fromStdString(
                    JanusInstancesFile::read(dir.filePath("notjson.json")).error().message)
                    .contains("not a JSON object"));
        QVERIFY(QString::fromStdString(
                    JanusInstancesFile::read(dir.filePath("extra.json")).error().message)
                    .contains("unknown key 'placement'"));
        QVERIFY(QString::fromStdString(
                    JanusInstancesFile::read(dir.filePath("absent.json")).error().message)
                    .contains("cannot be read"));
    }
};

QTEST_GUILESS_MAIN(TestJanusInstancesFile)
#include "tst_janusinstancesfile.moc"
